"""Rules on the hops of citation chains: ``anonymous`` and ``unverified-hop``, streamed.

A hop is relied on by every documented report below it in the citation forest (see
:mod:`provenance.audit.context`): one whose ``undoc_path`` (or ``anon_path``) names it. Each rule
is one set-based query joining the forest to itself within a tree (same root), ordered by the
hop, so findings come out one hop at a time in reporting order, never all held at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, select

from provenance.audit.context import AGENT, REPORT, STATEMENT, AuditContext
from provenance.audit.findings import Finding, Severity, on_claim, subject
from provenance.store.chains import SEP, UNNAMED


def documents_phrase(documents: list[str]) -> str:
    """``document d-1`` or ``2 documents d-1, d-2``."""
    noun = "document" if len(documents) == 1 else f"{len(documents)} documents"
    return f"{noun} {', '.join(documents)}"


def _relying(documents: list[str]) -> str:
    verb = "relies" if len(documents) == 1 else "rely"
    return f"{documents_phrase(documents)} {verb} on it"


def _relied_on(context: AuditContext, path_column: str, condition: Any) -> Iterator[tuple[Any, list[Any]]]:
    """Each hop meeting ``condition`` (on ``REPORT`` / ``AGENT`` as its reporter) that a
    documented report's chain passes, in id order, with its details and the relying rows."""
    chain = context.chain()
    hop, relier = chain.alias("hop"), chain.alias("relier")
    needle = literal(SEP) + hop.c.id + literal(SEP)
    find = func.strpos if context.dialect == "postgresql" else func.instr
    passes: ColumnElement[bool] = find(relier.c[path_column], needle) > 0
    query = (
        select(hop.c.id, relier.c.document_id, relier.c.id.label("relier_id"), REPORT.c.reporter_id,
               AGENT.c.name.label("reporter_name"), REPORT.c.statement_id, STATEMENT.c.speaker_id,
               STATEMENT.c.claim_id, REPORT.c.via_id)
        .select_from(hop)
        .join(relier, and_(relier.c.root_id == hop.c.root_id, relier.c.document_id.is_not(None), passes))
        .join(REPORT, REPORT.c.id == hop.c.id)
        .join(AGENT, AGENT.c.id == REPORT.c.reporter_id)
        .join(STATEMENT, STATEMENT.c.id == REPORT.c.statement_id)
        .where(condition)
        .order_by(context.ordered(hop.c.id))
    )
    query = context.within(query, hop.c.id, context.reports())
    for _, rows in itertools.groupby(context.stream(query), key=attrgetter("id")):
        group = list(rows)
        yield group[0], group


def _documents_and_reports(rows: list[Any]) -> tuple[list[str], list[str]]:
    return sorted({row.document_id for row in rows}), sorted(row.relier_id for row in rows)


def anonymous(context: AuditContext) -> Iterator[Finding]:
    """Chains that pass through an anonymous reporter, then that start from an anonymous speaker."""
    for hop, rows in _relied_on(context, "anon_path", AGENT.c.kind.in_(UNNAMED)):
        documents, reports = _documents_and_reports(rows)
        yield Finding(
            "anonymous", Severity.warning, "report", hop.id,
            f"the chain passes through an anonymous reporter, {hop.reporter_name}"
            f" ({hop.reporter_id}), relaying {hop.speaker_id} {on_claim(hop.claim_id)};"
            f" {_relying(documents)}",
            {"reporter": hop.reporter_id, "statement": hop.statement_id,
             "claim": hop.claim_id, "documents": documents, "reports": reports},
        )
    query = (
        select(STATEMENT.c.id, STATEMENT.c.speaker_id, AGENT.c.name, STATEMENT.c.speaker_as_stated,
               STATEMENT.c.claim_id, REPORT.c.id.label("report_id"), REPORT.c.reporter_id,
               REPORT.c.document_id, REPORT.c.via_id)
        .join(AGENT, AGENT.c.id == STATEMENT.c.speaker_id)
        .join(REPORT, REPORT.c.statement_id == STATEMENT.c.id)
        .where(AGENT.c.kind.in_(UNNAMED))
        .order_by(context.ordered(STATEMENT.c.id))
    )
    query = context.within(query, STATEMENT.c.id, context.statements())
    for statement_id, group in itertools.groupby(context.stream(query), key=attrgetter("id")):
        rows = list(group)
        documents = sorted({row.document_id for row in rows if row.document_id})
        if not documents:
            continue
        first = rows[0]
        heard_by = sorted({row.reporter_id for row in rows if row.via_id is None})
        stated = f" («{first.speaker_as_stated}»)" if first.speaker_as_stated else ""
        yield Finding(
            "anonymous", Severity.warning, "statement", statement_id,
            f"{subject(first.claim_id)} comes from an anonymous source, {first.name}{stated}, heard by"
            f" {', '.join(heard_by) or 'nobody recorded'}; relayed by {documents_phrase(documents)}",
            {"speaker": first.speaker_id, "speaker_as_stated": first.speaker_as_stated,
             "claim": first.claim_id, "first_hand_reporters": heard_by, "documents": documents},
        )


def unverified_hops(context: AuditContext) -> Iterator[Finding]:
    """Reports with no document in the corpus that documents rely on (warnings), then those
    nobody relies on (info): one finding per report."""
    for hop, rows in _relied_on(context, "undoc_path", REPORT.c.document_id.is_(None)):
        documents, reports = _documents_and_reports(rows)
        relays = "heard it first-hand" if hop.via_id is None else f"relays report {hop.via_id}"
        yield Finding(
            "unverified-hop", Severity.warning, "report", hop.id,
            f"{hop.reporter_name}'s report of {hop.speaker_id} {on_claim(hop.claim_id)} ({relays}) is"
            f" not in the corpus, so it cannot be checked; {_relying(documents)}",
            {"reporter": hop.reporter_id, "statement": hop.statement_id, "claim": hop.claim_id,
             "via": hop.via_id, "documents": documents, "reports": reports},
        )
    child = REPORT.alias("child")
    query = (
        select(REPORT.c.id, REPORT.c.reporter_id, AGENT.c.name.label("reporter_name"),
               REPORT.c.statement_id, STATEMENT.c.speaker_id, STATEMENT.c.claim_id, REPORT.c.via_id)
        .join(AGENT, AGENT.c.id == REPORT.c.reporter_id)
        .join(STATEMENT, STATEMENT.c.id == REPORT.c.statement_id)
        .where(REPORT.c.document_id.is_(None), ~exists().where(child.c.via_id == REPORT.c.id))
        .order_by(context.ordered(REPORT.c.id))
    )
    query = context.within(query, REPORT.c.id, context.reports())
    for row in context.stream(query):
        yield Finding(
            "unverified-hop", Severity.info, "report", row.id,
            f"{row.reporter_name} is recorded reporting {row.speaker_id} {on_claim(row.claim_id)},"
            " but no document in the corpus shows it and none relies on it",
            {"reporter": row.reporter_id, "statement": row.statement_id, "claim": row.claim_id,
             "via": row.via_id},
        )
