"""Rules on citation chains: unsourced, circular-citation, date-anomaly (and
:mod:`provenance.audit.hops`: anonymous, unverified-hop).

Each rule is one or a few set-based queries, over the citation forest where it needs chains (see
:mod:`provenance.audit.context`); Python only groups the rows that are findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, or_, select

from provenance.audit.context import (
    CLAIM,
    DOCUMENT,
    REPORT,
    STATEMENT,
    AuditContext,
)
from provenance.audit.findings import Finding, Severity, on_claim, shorten
from provenance.store.chains import MAX_DEPTH

CHUNK = 500


def fetch_by_ids(
    connection: Connection, query: Select[Any], column: Any, ids: Iterable[str]
) -> Iterator[Any]:
    """Rows of ``query`` whose ``column`` is one of ``ids``, fetched in chunks (bounded IN lists)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield from connection.execute(query.where(column.in_(ordered[start : start + CHUNK])))


def unsourced(context: AuditContext) -> list[Finding]:
    """Statements with no report, and claims with no statement."""
    no_report = ~exists().where(REPORT.c.statement_id == STATEMENT.c.id)
    query = select(STATEMENT.c.id, STATEMENT.c.speaker_id, STATEMENT.c.claim_id,
                   STATEMENT.c.quote).where(no_report)
    query = context.within(query, STATEMENT.c.id, context.statements())
    findings = [
        Finding("unsourced", Severity.warning, "statement", row.id,
                f"{row.speaker_id} {on_claim(row.claim_id)}: no report says where this was said",
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


def date_anomalies(context: AuditContext) -> Iterator[Finding]:
    """Reports in a document published before the statement was made, or before its event.

    Published before the statement: an error (a warning when either date is inferred). Published
    before the event the claim is about: checked only for undated statements, as info, since a
    dated statement made before the event is a forecast or a call (and one made after it is
    already caught by the first check). One query per severity, each in report order: streamed.
    """
    query = (
        select(REPORT.c.id, REPORT.c.document_id, DOCUMENT.c.published, DOCUMENT.c.published_inferred,
               STATEMENT.c.id.label("statement_id"), STATEMENT.c.said_on, STATEMENT.c.said_on_inferred,
               CLAIM.c.id.label("claim_id"), CLAIM.c.about_date)
        .join(DOCUMENT, DOCUMENT.c.id == REPORT.c.document_id)
        .join(STATEMENT, STATEMENT.c.id == REPORT.c.statement_id)
        .join(CLAIM, CLAIM.c.id == STATEMENT.c.claim_id)
        .where(DOCUMENT.c.published.is_not(None))
        .order_by(context.ordered(REPORT.c.id))
    )
    query = context.within(query, REPORT.c.id, context.reports())
    said_later = and_(STATEMENT.c.said_on.is_not(None), DOCUMENT.c.published < STATEMENT.c.said_on)
    inferred = or_(DOCUMENT.c.published_inferred.is_(True), STATEMENT.c.said_on_inferred.is_(True))
    for condition in (and_(said_later, ~inferred), and_(said_later, inferred)):
        for row in context.stream(query.where(condition)):
            yield _said_later(row)
    before_event = and_(STATEMENT.c.said_on.is_(None), CLAIM.c.about_date.is_not(None),
                        DOCUMENT.c.published < CLAIM.c.about_date)
    for row in context.stream(query.where(before_event)):
        yield _before_event(row)


def _published(row: Any) -> str:
    return f"{row.published}{' (inferred)' if row.published_inferred else ''}"


def _base(row: Any) -> dict[str, Any]:
    return {"document": row.document_id, "published": row.published,
            "published_inferred": row.published_inferred, "statement": row.statement_id}


def _said_later(row: Any) -> Finding:
    inferred = row.published_inferred or row.said_on_inferred
    said = f"{row.said_on}{' (inferred)' if row.said_on_inferred else ''}"
    return Finding(
        "date-anomaly", Severity.warning if inferred else Severity.error, "report", row.id,
        f"document {row.document_id}, published {_published(row)}, reports statement"
        f" {row.statement_id} made later, on {said}",
        {**_base(row), "said_on": row.said_on, "said_on_inferred": row.said_on_inferred},
    )


def _before_event(row: Any) -> Finding:
    return Finding(
        "date-anomaly", Severity.info, "report", row.id,
        f"document {row.document_id}, published {_published(row)}, reports claim {row.claim_id}"
        f" about an event of {row.about_date}, before it happened: right only if the claim"
        " is a forecast, a call or a threat; else a date is wrong",
        {**_base(row), "claim": row.claim_id, "about_date": row.about_date},
    )
