"""Audit citation chains: every rule, run over the whole database, one claim or one document.

>>> findings = run_audit(engine)                               # doctest: +SKIP
>>> findings = run_audit(engine, claim="isis-backed-by-us", rules=["contested"])   # doctest: +SKIP

Each rule is a function from an :class:`~provenance.audit.context.AuditContext` to findings;
:data:`RULES` lists them with what they check. Findings come back in a stable order: severity,
rule, subject, message (see :meth:`Finding.sort_key`). Modules here may import
``provenance.store`` (its chain walking in ``provenance.store.chains``),
``provenance.datasets.evidence`` (to re-check excerpts) and the top-level shared modules.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, select

from provenance.audit import chains, excerpts, figures, hedges, hops, origins, passages, review
from provenance.audit.context import CLAIM, DOCUMENT, AuditContext
from provenance.audit.findings import Finding, Severity, sort_findings
from provenance.errors import NotFoundError, ProvenanceError
from provenance.store.scope import Scope

__all__ = ["RULES", "Finding", "Rule", "Scope", "Severity", "Tally", "audit_findings", "run_audit", "summary"]


@dataclass(frozen=True)
class Rule:
    """An audit rule: its id, what it checks, and the function that checks it."""

    id: str
    summary: str
    check: Callable[[AuditContext], Iterable[Finding]]
    #: Yields its findings in reporting order as its queries stream (rules that can find
    #: millions); the others return theirs as a list, sorted here.
    streamed: bool = False


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("evidence", "excerpts no longer at their recorded place; texts no longer matching their hash",
             excerpts.check),
        Rule("unsourced", "statements with no report; claims with no statement", chains.unsourced),
        Rule("anonymous", "chains that start from, or pass through, an anonymous source",
             hops.anonymous, streamed=True),
        Rule("unverified-hop", "reports whose document is not in the corpus, and who relies on them",
             hops.unverified_hops, streamed=True),
        Rule("inferred-hop", "reports that rely on another by the curator's inference",
             hedges.inferred_hops),
        Rule("hedged", "statements reported hedged or with no source named", hedges.hedged),
        Rule("circular-citation", "via links that loop", chains.circular_citations),
        Rule("single-origin", "claims whose chains all lead to one first-hand report or one cluster",
             origins.single_origin),
        Rule("conflicting-figures", "figures for one count that cannot all be true",
             figures.conflicting_figures),
        Rule("date-anomaly", "documents published before the statement or event they report",
             chains.date_anomalies, streamed=True),
        Rule("common-source", "long verbatim passages shared by documents that do not cite each other",
             passages.common_sources),
        Rule("contested", "claims asserted and denied, or contradicted by an asserted claim",
             figures.contested),
        Rule("unreviewed", "draft statements nobody has reviewed; placeholder agents drafts left",
             review.unreviewed),
    ]
}


def audit_findings(
    engine: Engine,
    claim: str | None = None,
    document: str | None = None,
    rules: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Iterator[Finding]:
    """The findings of the audit rules (all, or those named) over the database, one claim or one
    document, in reporting order, as they come: each rule's findings are in that order (the
    large rules stream theirs from their queries), and they are merged.

    ``progress(done, total, "auditing")`` is called as each rule that is not streamed starts and
    when they are all done (the streamed rules then yield as the output reads).

    Raises :class:`NotFoundError` for an unknown claim or document id, and
    :class:`ProvenanceError` for an unknown rule or when both a claim and a document are given.
    """
    selected = list(RULES) if rules is None else list(dict.fromkeys(rules))
    unknown = [rule for rule in selected if rule not in RULES]
    if unknown:
        raise ProvenanceError(f"unknown audit rule {unknown[0]!r}; choose from {', '.join(RULES)}")
    if claim is not None and document is not None:
        raise ProvenanceError("audit one claim or one document, not both")
    connection = engine.connect()
    try:
        _require(connection, CLAIM, "claim", claim)
        _require(connection, DOCUMENT, "document", document)
    except BaseException:
        connection.close()
        raise
    return _merged(connection, Scope(claim=claim, document=document), selected, progress)


def _merged(connection: Connection, scope: Scope, selected: list[str],
            progress: Callable[[int, int, str], None] | None = None) -> Iterator[Finding]:
    context = AuditContext(connection, scope)
    streams: list[Iterator[Finding]] = []
    try:
        # The lists first, so that no temporary table is made or dropped while a stream is open.
        listed = [rule for rule in selected if not RULES[rule].streamed]
        lists = []
        for done, rule in enumerate(listed):
            if progress is not None:
                progress(done, len(listed), "auditing")
            lists.append(iter(sort_findings(list(RULES[rule].check(context)))))
        if progress is not None:
            progress(len(listed), len(listed), "auditing")
        streams = [iter(RULES[rule].check(context)) for rule in selected if RULES[rule].streamed]
        if streams:
            context.chain()
        yield from heapq.merge(*lists, *streams, key=Finding.sort_key)
    finally:
        for stream in streams:
            stream.close()  # type: ignore[attr-defined]
        context.close()
        connection.rollback()
        connection.close()


def run_audit(
    engine: Engine,
    claim: str | None = None,
    document: str | None = None,
    rules: Iterable[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Finding]:
    """Every finding of :func:`audit_findings`, as a list."""
    return list(audit_findings(engine, claim=claim, document=document, rules=rules, progress=progress))


class Tally:
    """Counts findings by severity as they pass (for the summary after a streamed output)."""

    def __init__(self) -> None:
        self.counts = {severity: 0 for severity in Severity}

    def __call__(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """``findings``, counted."""
        for finding in findings:
            self.counts[finding.severity] += 1
            yield finding

    def summary(self) -> str:
        """``12 findings: 2 errors, 8 warnings, 2 info``."""
        return _summary(self.counts)

    def failing(self, fail_on: str) -> int:
        """How many findings were at severity ``fail_on`` or worse."""
        threshold = Severity(fail_on)
        return sum(count for severity, count in self.counts.items() if severity.at_least(threshold))


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
    return _summary({severity: sum(1 for f in findings if f.severity is severity) for severity in Severity})


def _summary(counts: dict[Severity, int]) -> str:
    total = sum(counts.values())
    noun = "finding" if total == 1 else "findings"
    parts = [f"{counts[Severity.error]} error{'s' if counts[Severity.error] != 1 else ''}",
             f"{counts[Severity.warning]} warning{'s' if counts[Severity.warning] != 1 else ''}",
             f"{counts[Severity.info]} info"]
    return f"{total} {noun}: " + ", ".join(parts)


TABLE_COLUMNS = ["severity", "rule", "subject", "message"]


def output_rows(findings: Iterable[Finding], fmt: str) -> tuple[Iterable[dict[str, Any]], list[str] | None]:
    """The rows and columns to print ``findings`` in ``fmt``: JSON keeps the evidence nested;
    tables show severity, rule, subject and message; CSV adds the evidence as JSON text."""
    if fmt in ("json", "jsonl"):
        return (finding.row() for finding in findings), None
    if fmt == "csv":
        return (finding.row(flat=True) for finding in findings), [*TABLE_COLUMNS, "evidence"]
    return (finding.row(evidence=False) for finding in findings), TABLE_COLUMNS


def failing(findings: list[Finding], fail_on: str) -> int:
    """How many findings are at severity ``fail_on`` or worse."""
    threshold = Severity(fail_on)
    return sum(1 for finding in findings if finding.severity.at_least(threshold))
