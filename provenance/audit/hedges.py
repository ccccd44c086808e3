"""Rules on what the record itself marks as weak: inferred hops and hedged statements.

``inferred-hop``: a report relies on another by the curator's inference (the text does not say
where the reporter heard it). ``hedged``: a statement reported in the corpus whose words keep a
distance ("probably") or name no source at all ("reportedly", "it is believed").
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from provenance.audit.context import AGENT, REPORT, STATEMENT, AuditContext
from provenance.audit.findings import Finding, Severity

VIA = REPORT.alias("via_report")
VIA_AGENT = AGENT.alias("via_agent")


def inferred_hops(context: AuditContext) -> list[Finding]:
    """One finding per report whose hop to its ``via`` is inferred."""
    query = (
        select(REPORT.c.id, REPORT.c.statement_id, REPORT.c.reporter_id, REPORT.c.document_id,
               REPORT.c.via_id, VIA.c.reporter_id.label("via_reporter"), VIA_AGENT.c.name)
        .join(VIA, VIA.c.id == REPORT.c.via_id)
        .join(VIA_AGENT, VIA_AGENT.c.id == VIA.c.reporter_id)
        .where(REPORT.c.via_inferred)
    )
    query = context.within(query, REPORT.c.statement_id, context.statements())
    findings = []
    for row in context.connection.execute(query):
        where = f" in {row.document_id}" if row.document_id else ""
        findings.append(Finding(
            "inferred-hop", Severity.info, "report", row.id,
            f"{row.reporter_id}{where} relays statement {row.statement_id} through {row.name}"
            f" ({row.via_reporter}) by inference: the text does not say so",
            {"statement": row.statement_id, "reporter": row.reporter_id,
             "document": row.document_id, "via": row.via_id, "via_reporter": row.via_reporter},
        ))
    return findings


def hedged(context: AuditContext) -> list[Finding]:
    """One finding per hedged or unattributed statement that reaches a document."""
    query = (
        select(STATEMENT.c.id, STATEMENT.c.claim_id, STATEMENT.c.modality, STATEMENT.c.hedge,
               STATEMENT.c.speaker_id, REPORT.c.document_id)
        .join(REPORT, REPORT.c.statement_id == STATEMENT.c.id)
        .where(STATEMENT.c.modality != "asserted", REPORT.c.document_id.is_not(None))
    )
    query = context.within(query, STATEMENT.c.id, context.statements())
    documents: dict[str, set[str]] = defaultdict(set)
    first = {}
    for row in context.connection.execute(query):
        documents[row.id].add(row.document_id)
        first.setdefault(row.id, row)
    findings = []
    for statement_id, row in first.items():
        how = "hedged" if row.modality == "hedged" else "reported with no source"
        words = f" («{row.hedge}»)" if row.hedge else ""
        findings.append(Finding(
            "hedged", Severity.info, "statement", statement_id,
            f"claim {row.claim_id} is {how}{words} by {row.speaker_id};"
            f" in {', '.join(sorted(documents[statement_id]))}",
            {"claim": row.claim_id, "speaker": row.speaker_id, "modality": row.modality,
             "hedge": row.hedge, "documents": sorted(documents[statement_id])},
        ))
    return findings
