"""Audit citation chains: every rule, run over the whole database, one claim or one document.

>>> findings = run_audit(engine)                               # doctest: +SKIP
>>> findings = run_audit(engine, claim="isis-backed-by-us", rules=["contested"])   # doctest: +SKIP

Each rule is a function from an :class:`~provenance.audit.context.AuditContext` to findings;
:data:`RULES` lists them with what they check. Findings come back in a stable order: severity,
rule, subject, message (see :meth:`Finding.sort_key`). Modules here may import
``provenance.store``, ``provenance.datasets.evidence`` (to re-check excerpts), the chain walking of
``provenance.queries.chains`` and the top-level shared modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from provenance.audit import chains, excerpts, figures, hedges, origins, passages
from provenance.audit.context import CLAIM, DOCUMENT, AuditContext, Scope
from provenance.audit.findings import Finding, Severity, sort_findings
from provenance.errors import NotFoundError, ProvenanceError

__all__ = ["RULES", "Finding", "Rule", "Scope", "Severity", "run_audit", "summary"]


@dataclass(frozen=True)
class Rule:
    """An audit rule: its id, what it checks, and the function that checks it."""

    id: str
    summary: str
    check: Callable[[AuditContext], list[Finding]]


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("evidence", "excerpts no longer at their recorded place; texts no longer matching their hash",
             excerpts.check),
        Rule("unsourced", "statements with no report; claims with no statement", chains.unsourced),
        Rule("anonymous", "chains that start from, or pass through, an anonymous source", chains.anonymous),
        Rule("unverified-hop", "reports whose document is not in the corpus, and who relies on them",
             chains.unverified_hops),
        Rule("inferred-hop", "reports that rely on another by the curator's inference",
             hedges.inferred_hops),
        Rule("hedged", "statements reported hedged or with no source named", hedges.hedged),
        Rule("circular-citation", "via links that loop", chains.circular_citations),
        Rule("single-origin", "claims whose chains all lead to one first-hand report or one cluster",
             origins.single_origin),
        Rule("conflicting-figures", "figures for one count that cannot all be true",
             figures.conflicting_figures),
        Rule("date-anomaly", "documents published before the statement or event they report",
             chains.date_anomalies),
        Rule("common-source", "long verbatim passages shared by documents that do not cite each other",
             passages.common_sources),
        Rule("contested", "claims asserted and denied, or contradicted by an asserted claim",
             figures.contested),
    ]
}


def run_audit(
    engine: Engine,
    claim: str | None = None,
    document: str | None = None,
    rules: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the audit rules (all, or those named) over the database, one claim or one document.

    Raises :class:`NotFoundError` for an unknown claim or document id, and
    :class:`ProvenanceError` for an unknown rule or when both a claim and a document are given.
    """
    selected = list(RULES) if rules is None else list(dict.fromkeys(rules))
    unknown = [rule for rule in selected if rule not in RULES]
    if unknown:
        raise ProvenanceError(f"unknown audit rule {unknown[0]!r}; choose from {', '.join(RULES)}")
    if claim is not None and document is not None:
        raise ProvenanceError("audit one claim or one document, not both")
    with engine.connect() as connection:
        _require(connection, CLAIM, "claim", claim)
        _require(connection, DOCUMENT, "document", document)
        context = AuditContext(connection, Scope(claim=claim, document=document))
        try:
            findings = [finding for rule in selected for finding in RULES[rule].check(context)]
        finally:
            context.close()
            connection.rollback()
    return sort_findings(findings)


def _require(connection: Connection, table: Table, kind: str, value: str | None) -> None:
    if value is None:
        return
    found = connection.execute(select(table.c.id).where(table.c.id == value)).first()
    if found is None:
        raise NotFoundError(f"no {kind} with id {value!r}", _suggest(connection, table, value))


def _suggest(connection: Connection, table: Table, value: str) -> list[str]:
    """Up to five ids close to ``value`` (fuzzy), to help with a typo."""
    from rapidfuzz import fuzz, process

    ids = [row[0] for row in connection.execute(select(table.c.id))]
    matches = process.extract(value, ids, scorer=fuzz.WRatio, limit=5, score_cutoff=60)
    return [match[0] for match in matches]


def summary(findings: list[Finding]) -> str:
    """``12 findings: 2 errors, 8 warnings, 2 info``."""
    counts = {severity: sum(1 for f in findings if f.severity is severity) for severity in Severity}
    noun = "finding" if len(findings) == 1 else "findings"
    parts = [f"{counts[Severity.error]} error{'s' if counts[Severity.error] != 1 else ''}",
             f"{counts[Severity.warning]} warning{'s' if counts[Severity.warning] != 1 else ''}",
             f"{counts[Severity.info]} info"]
    return f"{len(findings)} {noun}: " + ", ".join(parts)


def output_rows(findings: list[Finding], fmt: str) -> tuple[Iterable[dict[str, Any]], list[str] | None]:
    """The rows and columns to print ``findings`` in ``fmt``: JSON keeps the evidence nested;
    tables show severity, rule, subject and message; CSV adds the evidence as JSON text."""
    if fmt in ("json", "jsonl"):
        return (finding.row() for finding in findings), None
    columns = ["severity", "rule", "subject", "message"] + (["evidence"] if fmt == "csv" else [])
    return (finding.row(flat=True) for finding in findings), columns


def failing(findings: list[Finding], fail_on: str) -> int:
    """How many findings are at severity ``fail_on`` or worse."""
    threshold = Severity(fail_on)
    return sum(1 for finding in findings if finding.severity.at_least(threshold))
