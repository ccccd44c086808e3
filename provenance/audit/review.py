"""Drafts not yet reviewed: statements an extractor proposed that nobody has checked, agents
it proposed that nobody has checked, and the placeholder agents drafts name for a speaker they
could not find.

A draft loads (so that a team can work on it in the database), but until a person marks it
``review_status: reviewed`` it is a proposal: ``provenance audit`` says so, and a placeholder
(``unresolved-…``) standing in as an agent is an error to fix.
"""

from __future__ import annotations

from sqlalchemy import select

from provenance.audit.context import AGENT, REPORT, STATEMENT, AuditContext
from provenance.audit.findings import Finding, Severity

PLACEHOLDER_PREFIX = "unresolved-"
PROPOSED_PREFIX = "Proposed by provenance"  # how extract and ingest describe agents they propose


def unreviewed(context: AuditContext) -> list[Finding]:
    """Statements still in draft, and agents that are placeholders for someone not yet named."""
    query = select(STATEMENT.c.id, STATEMENT.c.speaker_id, STATEMENT.c.claim_id,
                   STATEMENT.c.method).where(STATEMENT.c.review_status == "draft")
    query = context.within(query, STATEMENT.c.id, context.statements())
    findings = [
        Finding("unreviewed", Severity.warning, "statement", row.id,
                f"draft statement ({row.method}) by {row.speaker_id} on claim {row.claim_id}:"
                " nobody has reviewed it yet",
                {"speaker": row.speaker_id, "claim": row.claim_id, "method": row.method})
        for row in context.connection.execute(query)
    ]
    uses = (
        select(AGENT.c.id, AGENT.c.name, STATEMENT.c.id.label("statement"))
        .join(STATEMENT, STATEMENT.c.speaker_id == AGENT.c.id)
        .where(AGENT.c.id.like(PLACEHOLDER_PREFIX + "%"))
    )
    uses = context.within(uses, STATEMENT.c.id, context.statements())
    hops = (
        select(AGENT.c.id, AGENT.c.name, REPORT.c.statement_id.label("statement"))
        .join(REPORT, REPORT.c.reporter_id == AGENT.c.id)
        .where(AGENT.c.id.like(PLACEHOLDER_PREFIX + "%"))
    )
    hops = context.within(hops, REPORT.c.statement_id, context.statements())
    placeholders: dict[str, tuple[str, set[str]]] = {}
    for query in (uses, hops):
        for agent_id, name, statement in context.connection.execute(query):
            placeholders.setdefault(agent_id, (name, set()))[1].add(statement)
    proposed = select(AGENT.c.id, AGENT.c.name, AGENT.c.kind).where(
        AGENT.c.description.like(PROPOSED_PREFIX + "%"), ~AGENT.c.id.like(PLACEHOLDER_PREFIX + "%"))
    if not context.scope.everything:
        speaking = select(STATEMENT.c.speaker_id)
        speaking = context.within(speaking, STATEMENT.c.id, context.statements())
        proposed = proposed.where(AGENT.c.id.in_(speaking))
    findings += [
        Finding("unreviewed", Severity.warning, "agent", row.id,
                f"agent «{row.name}» ({row.kind}) was proposed by a draft and nobody has checked"
                " its name, kind and identity (then remove 'Proposed by provenance' from its"
                " description)", {"name": row.name, "kind": row.kind})
        for row in context.connection.execute(proposed)
    ]
    findings += [
        Finding("unreviewed", Severity.error, "agent", agent_id,
                f"placeholder agent «{name}» stands for someone a draft could not name"
                f" ({len(statements)} statement{'s' if len(statements) != 1 else ''})",
                {"name": name, "statements": sorted(statements)})
        for agent_id, (name, statements) in placeholders.items()
    ]
    return findings
