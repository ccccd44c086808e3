"""Rules on citation chains: unsourced, anonymous, unverified-hop, circular-citation, date-anomaly.

Each rule is one or two set-based queries over the citation forest (see
:mod:`provenance.audit.context`); Python only groups the rows that are findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, or_, select

from provenance.audit.context import (
    AGENT,
    CLAIM,
    DOCUMENT,
    MAX_DEPTH,
    REPORT,
    SEP,
    STATEMENT,
    AuditContext,
)
from provenance.audit.findings import Finding, Severity, shorten

CHUNK = 500


def _on(claim_id: str | None) -> str:
    """How a message names what a statement is on: "on claim X", or an expressive act."""
    return f"on claim {claim_id}" if claim_id else "in an expressive act (no claim)"


def _what(claim_id: str | None) -> str:
    return f"claim {claim_id}" if claim_id else "an expressive act"


def fetch_by_ids(
    connection: Connection, query: Select[Any], column: Any, ids: Iterable[str]
) -> Iterator[Any]:
    """Rows of ``query`` whose ``column`` is one of ``ids``, fetched in chunks (bounded IN lists)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield from connection.execute(query.where(column.in_(ordered[start : start + CHUNK])))


def _hop_details(context: AuditContext, hop_ids: Iterable[str], condition: Any) -> dict[str, Any]:
    """Reporter, statement, speaker and claim of the given reports, which all meet ``condition``.

    A full audit fetches every report meeting ``condition`` in one join (hops are many: chunked
    ``IN`` lists cost a query per 500); a scoped audit fetches just its few hops by id.
    """
    speaker = AGENT.alias("speaker")
    query = (
        select(REPORT.c.id, REPORT.c.reporter_id, AGENT.c.name.label("reporter_name"),
               REPORT.c.statement_id, STATEMENT.c.speaker_id, speaker.c.name.label("speaker_name"),
               STATEMENT.c.speaker_as_stated, STATEMENT.c.claim_id, REPORT.c.via_id)
        .join(AGENT, AGENT.c.id == REPORT.c.reporter_id)
        .join(STATEMENT, STATEMENT.c.id == REPORT.c.statement_id)
        .join(speaker, speaker.c.id == STATEMENT.c.speaker_id)
    )
    if context.scope.everything:
        return {row.id: row for row in context.connection.execute(query.where(condition))}
    return {row.id: row for row in fetch_by_ids(context.connection, query, REPORT.c.id, hop_ids)}


def _relying_documents(context: AuditContext, path_column: str) -> dict[str, list[tuple[str, str]]]:
    """For each hop named in ``path_column``: the (document, report) pairs whose chain passes it."""
    chain = context.chain()
    path = chain.c[path_column]
    query = select(chain.c.id, chain.c.document_id, path).where(
        chain.c.document_id.is_not(None), path != SEP
    )
    relying: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for report_id, document_id, hops in context.connection.execute(query):
        pair = (document_id, report_id)
        for hop in hops[1:-1].split(SEP):  # "|a|b|": never empty inside (see context.chain)
            relying[hop].append(pair)
    in_scope = context.report_ids()
    if in_scope is not None:
        relying = defaultdict(list, {hop: pairs for hop, pairs in relying.items() if hop in in_scope})
    return relying


def _documents(documents: list[str]) -> str:
    noun = "document" if len(documents) == 1 else f"{len(documents)} documents"
    return f"{noun} {', '.join(documents)}"


def _relying(documents: list[str]) -> str:
    verb = "relies" if len(documents) == 1 else "rely"
    return f"{_documents(documents)} {verb} on it"


def unsourced(context: AuditContext) -> list[Finding]:
    """Statements with no report, and claims with no statement."""
    no_report = ~exists().where(REPORT.c.statement_id == STATEMENT.c.id)
    query = select(STATEMENT.c.id, STATEMENT.c.speaker_id, STATEMENT.c.claim_id,
                   STATEMENT.c.quote).where(no_report)
    query = context.within(query, STATEMENT.c.id, context.statements())
    findings = [
        Finding("unsourced", Severity.warning, "statement", row.id,
                f"{row.speaker_id} {_on(row.claim_id)}: no report says where this was said",
                {"speaker": row.speaker_id, "claim": row.claim_id, "quote": row.quote})
        for row in context.connection.execute(query)
    ]
    no_statement = ~exists().where(STATEMENT.c.claim_id == CLAIM.c.id)
    query = select(CLAIM.c.id, CLAIM.c.text).where(no_statement)
    query = context.within(query, CLAIM.c.id, context.claims())
    findings += [
        Finding("unsourced", Severity.info, "claim", row.id,
                f"nobody is recorded asserting or denying «{shorten(row.text, 60)}»",
                {"text": row.text})
        for row in context.connection.execute(query)
    ]
    return findings


def anonymous(context: AuditContext) -> list[Finding]:
    """Chains that start from an anonymous speaker, or pass through an anonymous reporter."""
    findings: list[Finding] = []
    query = (
        select(STATEMENT.c.id, STATEMENT.c.speaker_id, AGENT.c.name, STATEMENT.c.speaker_as_stated,
               STATEMENT.c.claim_id, REPORT.c.id.label("report_id"), REPORT.c.reporter_id,
               REPORT.c.document_id, REPORT.c.via_id)
        .join(AGENT, AGENT.c.id == STATEMENT.c.speaker_id)
        .join(REPORT, REPORT.c.statement_id == STATEMENT.c.id)
        .where(AGENT.c.kind.in_(("anonymous", "unattributed")))
    )
    query = context.within(query, STATEMENT.c.id, context.statements())
    statements: dict[str, list[Any]] = defaultdict(list)
    for row in context.connection.execute(query):
        statements[row.id].append(row)
    for statement_id, rows in statements.items():
        documents = sorted({row.document_id for row in rows if row.document_id})
        if not documents:
            continue
        first = rows[0]
        heard_by = sorted({row.reporter_id for row in rows if row.via_id is None})
        stated = f" («{first.speaker_as_stated}»)" if first.speaker_as_stated else ""
        findings.append(Finding(
            "anonymous", Severity.warning, "statement", statement_id,
            f"{_what(first.claim_id)} comes from an anonymous source, {first.name}{stated}, heard by"
            f" {', '.join(heard_by) or 'nobody recorded'}; relayed by {_documents(documents)}",
            {"speaker": first.speaker_id, "speaker_as_stated": first.speaker_as_stated,
             "claim": first.claim_id, "first_hand_reporters": heard_by, "documents": documents},
        ))
    relying = _relying_documents(context, "anon_path")
    unnamed = AGENT.c.kind.in_(("anonymous", "unattributed"))
    details = _hop_details(context, relying, unnamed) if relying else {}
    for hop, pairs in relying.items():
        hop_row = details[hop]
        documents = sorted(set(map(itemgetter(0), pairs)))
        findings.append(Finding(
            "anonymous", Severity.warning, "report", hop,
            f"the chain passes through an anonymous reporter, {hop_row.reporter_name}"
            f" ({hop_row.reporter_id}), relaying {hop_row.speaker_id} {_on(hop_row.claim_id)};"
            f" {_relying(documents)}",
            {"reporter": hop_row.reporter_id, "statement": hop_row.statement_id,
             "claim": hop_row.claim_id, "documents": documents,
             "reports": sorted(map(itemgetter(1), pairs))},
        ))
    return findings


def unverified_hops(context: AuditContext) -> list[Finding]:
    """Reports with no document in the corpus: one finding per such report, with who relies on it."""
    relying = _relying_documents(context, "undoc_path")
    leaves = (
        select(REPORT.c.id)
        .where(REPORT.c.document_id.is_(None),
               ~exists().where(REPORT.alias("child").c.via_id == REPORT.c.id))
    )
    leaves = context.within(leaves, REPORT.c.id, context.reports())
    lonely = [row.id for row in context.connection.execute(leaves)]
    details = _hop_details(context, [*relying, *lonely], REPORT.c.document_id.is_(None))
    findings = []
    for hop, pairs in relying.items():
        row = details[hop]
        documents = sorted(set(map(itemgetter(0), pairs)))
        relays = "heard it first-hand" if row.via_id is None else f"relays report {row.via_id}"
        findings.append(Finding(
            "unverified-hop", Severity.warning, "report", hop,
            f"{row.reporter_name}'s report of {row.speaker_id} {_on(row.claim_id)} ({relays}) is"
            f" not in the corpus, so it cannot be checked; {_relying(documents)}",
            {"reporter": row.reporter_id, "statement": row.statement_id, "claim": row.claim_id,
             "via": row.via_id, "documents": documents,
             "reports": sorted(map(itemgetter(1), pairs))},
        ))
    for hop in lonely:
        row = details[hop]
        findings.append(Finding(
            "unverified-hop", Severity.info, "report", hop,
            f"{row.reporter_name} is recorded reporting {row.speaker_id} {_on(row.claim_id)},"
            " but no document in the corpus shows it and none relies on it",
            {"reporter": row.reporter_id, "statement": row.statement_id, "claim": row.claim_id,
             "via": row.via_id},
        ))
    return findings


def circular_citations(context: AuditContext) -> list[Finding]:
    """Via links that loop (or chains deeper than the depth cap): reports no root reaches."""
    chain = context.chain()
    query = select(REPORT.c.id, REPORT.c.via_id, REPORT.c.statement_id, REPORT.c.document_id).where(
        ~exists().where(chain.c.id == REPORT.c.id)
    )
    query = context.within(query, REPORT.c.id, context.reports())
    rows = {row.id: row for row in context.connection.execute(query)}
    via = {report_id: row.via_id for report_id, row in rows.items()}
    findings: list[Finding] = []
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles: list[list[str]] = []
    for start in sorted(via):
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in via and node not in state:
            state[node] = 1
            walk.append(node)
            node = via[node]
        if node is not None and state.get(node) == 1:
            cycles.append(walk[walk.index(node):])
        for item in walk:
            state[item] = 2
    in_cycle = {item for cycle in cycles for item in cycle}
    for cycle in cycles:
        first = cycle.index(min(cycle))
        cycle = cycle[first:] + cycle[:first]
        feeding = sorted(rid for rid in via if rid not in in_cycle and _leads_into(rid, via, set(cycle)))
        documents = sorted({rows[rid].document_id for rid in [*cycle, *feeding] if rows[rid].document_id})
        findings.append(Finding(
            "circular-citation", Severity.error, "report", cycle[0],
            "via links loop: " + " → ".join([*cycle, cycle[0]]) + "; no chain through them reaches"
            " a first-hand report",
            {"cycle": cycle, "statements": sorted({rows[rid].statement_id for rid in cycle}),
             "feeding_reports": feeding, "documents": documents},
        ))
    too_deep = sorted(rid for rid in via if rid not in in_cycle and not _leads_into(rid, via, in_cycle))
    for rid in too_deep:
        findings.append(Finding(
            "circular-citation", Severity.error, "report", rid,
            f"its citation chain is deeper than {MAX_DEPTH} hops; it was not followed",
            {"statement": rows[rid].statement_id, "via": via[rid]},
        ))
    return findings


def _leads_into(report_id: str, via: dict[str, str | None], targets: set[str]) -> bool:
    seen: set[str] = set()
    node: str | None = report_id
    while node is not None and node in via and node not in seen:
        if node in targets:
            return True
        seen.add(node)
        node = via[node]
    return node in targets if node is not None else False


def date_anomalies(context: AuditContext) -> list[Finding]:
    """Reports in a document published before the statement was made, or before its event.

    Published before the statement: an error (a warning when either date is inferred). Published
    before the event the claim is about: checked only for undated statements, as info, since a
    dated statement made before the event is a forecast or a call (and one made after it is
    already caught by the first check).
    """
    query = (
        select(REPORT.c.id, REPORT.c.document_id, DOCUMENT.c.published, DOCUMENT.c.published_inferred,
               STATEMENT.c.id.label("statement_id"), STATEMENT.c.said_on, STATEMENT.c.said_on_inferred,
               CLAIM.c.id.label("claim_id"), CLAIM.c.about_date)
        .join(DOCUMENT, DOCUMENT.c.id == REPORT.c.document_id)
        .join(STATEMENT, STATEMENT.c.id == REPORT.c.statement_id)
        .join(CLAIM, CLAIM.c.id == STATEMENT.c.claim_id)
        .where(DOCUMENT.c.published.is_not(None),
               or_(and_(STATEMENT.c.said_on.is_not(None), DOCUMENT.c.published < STATEMENT.c.said_on),
                   and_(CLAIM.c.about_date.is_not(None), DOCUMENT.c.published < CLAIM.c.about_date)))
    )
    query = context.within(query, REPORT.c.id, context.reports())
    findings = []
    for row in context.connection.execute(query):
        published = f"{row.published}{' (inferred)' if row.published_inferred else ''}"
        base = {"document": row.document_id, "published": row.published,
                "published_inferred": row.published_inferred, "statement": row.statement_id}
        if row.said_on is not None and row.published < row.said_on:
            inferred = row.published_inferred or row.said_on_inferred
            said = f"{row.said_on}{' (inferred)' if row.said_on_inferred else ''}"
            findings.append(Finding(
                "date-anomaly", Severity.warning if inferred else Severity.error, "report", row.id,
                f"document {row.document_id}, published {published}, reports statement"
                f" {row.statement_id} made later, on {said}",
                {**base, "said_on": row.said_on, "said_on_inferred": row.said_on_inferred},
            ))
        if row.about_date is not None and row.published < row.about_date and row.said_on is None:
            findings.append(Finding(
                "date-anomaly", Severity.info, "report", row.id,
                f"document {row.document_id}, published {published}, reports claim {row.claim_id}"
                f" about an event of {row.about_date}, before it happened: right only if the claim"
                " is a forecast, a call or a threat; else a date is wrong",
                {**base, "claim": row.claim_id, "about_date": row.about_date},
            ))
    return findings
