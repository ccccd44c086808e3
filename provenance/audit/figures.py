"""Rules ``conflicting-figures`` and ``contested``: claims that cannot all be true.

**Figures.** Each asserted numeric claim is read as the interval its qualifier allows:

======================  ==========================  ===========================================
qualifier               interval                    example
======================  ==========================  ===========================================
exact                   [v, v]                      "89 killed"
about                   [v − 10 %, v + 10 %]        "about 300" = 270 … 330
nearly                  [v − 10 %, v]               "nearly 100" = 90 … 100
at_least / more_than    [v, ∞) / (v, ∞)             "at least 84", "more than 280"
at_most / less_than     (−∞, v] / (−∞, v)
======================  ==========================  ===========================================

10 % is the rounding a reporter does when saying "nearly" or "about": "nearly 100" for 91–99,
"about 300" for 270–330. 15 % would let "nearly 100" stand for 85, which nobody would write.
Two figures **disagree** when their intervals do not meet (84 vs 89; 89 vs "nearly 100";
89 vs "at least 103"); "at least 84" and 89 agree. A count that disagrees is a warning, listing
every figure with who gave it and when (tolls rise over time: the dates tell an update from a
contradiction). Figures that differ but can all be true (284, "more than 280", "nearly 300") are
listed as info, so the spread is still seen.

**Contested.** A claim both asserted and denied, or one that another *asserted* claim
contradicts (``claim_relation`` 'contradicts', either direction) while it is asserted itself.
Two figures for one count that contradict each other are left to ``conflicting-figures``.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, union_all

from provenance.audit.chains import fetch_by_ids
from provenance.audit.context import CLAIM, DOCUMENT, RELATION, REPORT, STATEMENT, AuditContext
from provenance.audit.findings import Finding, Severity, number, shorten

TOLERANCE = 0.10


@dataclass(frozen=True)
class Interval:
    """The values a qualified figure allows; open ends exclude their bound."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def meets(self, other: Interval) -> bool:
        """Whether some value lies in both intervals."""
        low, high = max(self.low, other.low), min(self.high, other.high)
        if low < high:
            return True
        if low > high:
            return False
        low_open = self.low_open if self.low == low else False
        low_open = low_open or (other.low_open if other.low == low else False)
        high_open = (self.high_open if self.high == high else False) or (
            other.high_open if other.high == high else False)
        return not (low_open or high_open)


def interval(value: float, qualifier: str, tolerance: float = TOLERANCE) -> Interval:
    """The interval of values ``qualifier value`` allows (see the module's table)."""
    slack = abs(value) * tolerance
    return {
        "exact": Interval(value, value),
        "about": Interval(value - slack, value + slack),
        "nearly": Interval(value - slack, value),
        "at_least": Interval(value, math.inf),
        "more_than": Interval(value, math.inf, low_open=True),
        "at_most": Interval(-math.inf, value),
        "less_than": Interval(-math.inf, value, high_open=True),
    }[qualifier]


def phrase(value: float, qualifier: str) -> str:
    """``at least 84``, ``nearly 100``, ``89``."""
    words = {"exact": "", "at_least": "at least ", "more_than": "more than ", "at_most": "at most ",
             "less_than": "less than ", "about": "about ", "nearly": "nearly "}
    return words[qualifier] + number(value)


def _asserted_claims() -> Any:
    return select(STATEMENT.c.claim_id).where(STATEMENT.c.stance == "asserts")


def _has_stance(claim_id: Any, stance: str) -> Any:
    """Some statement takes ``stance`` on ``claim_id``: a probe of the statement.claim_id index.

    (``IN (SELECT ... WHERE stance = ...)`` inside the union below made SQLite rescan statement
    once per pair: 99 s at 100k statements.)
    """
    return exists().where(STATEMENT.c.claim_id == claim_id, STATEMENT.c.stance == stance)


def conflicting_figures(context: AuditContext) -> list[Finding]:
    """Counts (quantity keys) whose asserted figures disagree, or at least differ."""
    keys = (
        select(CLAIM.c.quantity_key)
        .where(CLAIM.c.quantity_key.is_not(None), _has_stance(CLAIM.c.id, "asserts"))
        .group_by(CLAIM.c.quantity_key)
        .having(or_(func.count(func.distinct(CLAIM.c.value)) >= 2,
                    func.count(func.distinct(CLAIM.c.qualifier)) >= 2))
    )
    scoped = context.claims()
    if scoped is not None:
        scoped_keys = select(CLAIM.c.quantity_key).where(CLAIM.c.id.in_(scoped))
        keys = keys.where(CLAIM.c.quantity_key.in_(scoped_keys))
    query = (
        select(CLAIM.c.quantity_key, CLAIM.c.id, CLAIM.c.value, CLAIM.c.qualifier, CLAIM.c.unit,
               STATEMENT.c.id.label("statement_id"), STATEMENT.c.speaker_id, STATEMENT.c.said_on,
               REPORT.c.document_id, DOCUMENT.c.published)
        .join(STATEMENT, and_(STATEMENT.c.claim_id == CLAIM.c.id, STATEMENT.c.stance == "asserts"))
        .outerjoin(REPORT, and_(REPORT.c.statement_id == STATEMENT.c.id, REPORT.c.document_id.is_not(None)))
        .outerjoin(DOCUMENT, DOCUMENT.c.id == REPORT.c.document_id)
        .where(CLAIM.c.quantity_key.in_(keys))
    )
    by_key: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in context.connection.execute(query):
        by_key[row.quantity_key][row.id].append(row)
    return [_figures_finding(key, claims) for key, claims in sorted(by_key.items())]


def _figures_finding(key: str, claims: dict[str, list[Any]]) -> Finding:
    figures = []
    for claim_id, rows in sorted(claims.items(), key=lambda item: (item[1][0].value, item[0])):
        first = rows[0]
        published: dict[str, list[Any]] = defaultdict(list)  # per statement, in one pass
        for row in rows:
            if row.published:
                published[row.statement_id].append(row.published)
        givers: dict[str, dict[str, Any]] = {}
        for row in rows:
            giver = givers.setdefault(row.statement_id, {
                "statement": row.statement_id, "speaker": row.speaker_id, "said_on": row.said_on,
                "documents": []})
            if row.document_id and row.document_id not in giver["documents"]:
                giver["documents"].append(row.document_id)
                dates = published.get(row.statement_id)
                giver["first_published"] = min(dates) if dates else None
        figures.append({
            "claim": claim_id, "value": first.value, "qualifier": first.qualifier, "unit": first.unit,
            "figure": phrase(first.value, first.qualifier),
            "given_by": sorted(givers.values(), key=lambda g: (str(g["said_on"]), g["statement"])),
        })
    ranges = {f["claim"]: interval(f["value"], f["qualifier"]) for f in figures}
    pairs = [
        [a["claim"], b["claim"]] for a, b in itertools.combinations(figures, 2)
        if not ranges[a["claim"]].meets(ranges[b["claim"]])
    ]
    values = [f["value"] for f in figures]
    spread = {"low": min(values), "high": max(values)}
    shown = "; ".join(f"{f['figure']} ({_givers(f['given_by'])})" for f in figures)
    evidence = {"figures": figures, "disagreeing": pairs, "spread": spread,
                "tolerance": TOLERANCE, "unit": figures[0]["unit"]}
    if pairs:
        names = {f["claim"]: f["figure"] for f in figures}
        listed = ", ".join(f"{names[a]} vs {names[b]}" for a, b in pairs[:6])
        more = f" and {len(pairs) - 6} more" if len(pairs) > 6 else ""
        message = (f"{len(figures)} figures for {key} cannot all be true (spread {number(spread['low'])}"
                   f"–{number(spread['high'])}; {listed}{more} disagree): {shown}")
        return Finding("conflicting-figures", Severity.warning, "quantity", key, message, evidence)
    message = f"{len(figures)} different figures for {key}, all compatible with each other: {shown}"
    return Finding("conflicting-figures", Severity.info, "quantity", key, message, evidence)


def _givers(givers: list[dict[str, Any]]) -> str:
    parts = []
    for giver in givers:
        when = giver["said_on"] or giver.get("first_published")
        parts.append(giver["speaker"] + (f", {when}" if when else ""))
    return "; ".join(parts)


def contested(context: AuditContext) -> list[Finding]:
    """Claims asserted and denied, or contradicted by another asserted claim."""
    both = select(CLAIM.c.id).where(_has_stance(CLAIM.c.id, "asserts"), _has_stance(CLAIM.c.id, "denies"))
    both = context.within(both, CLAIM.c.id, context.claims())
    contradicts = RELATION.c.relation == "contradicts"
    pairs = union_all(
        select(RELATION.c.claim_id.label("claim_id"), RELATION.c.other_id.label("other_id"))
        .where(contradicts),
        select(RELATION.c.other_id.label("claim_id"), RELATION.c.claim_id.label("other_id"))
        .where(contradicts),
    ).subquery("pairs")
    mine, theirs = CLAIM.alias("mine"), CLAIM.alias("theirs")
    same_count = and_(mine.c.quantity_key.is_not(None), mine.c.quantity_key == theirs.c.quantity_key)
    opposed = (
        select(pairs.c.claim_id, pairs.c.other_id)
        .join(mine, mine.c.id == pairs.c.claim_id)
        .join(theirs, theirs.c.id == pairs.c.other_id)
        .where(_has_stance(pairs.c.claim_id, "asserts"), _has_stance(pairs.c.other_id, "asserts"),
               ~same_count)
    )
    opposed = context.within(opposed, pairs.c.claim_id, context.claims())
    denied_claims = {row.id for row in context.connection.execute(both)}
    opponents: dict[str, set[str]] = defaultdict(set)
    for row in context.connection.execute(opposed):
        opponents[row.claim_id].add(row.other_id)
    flagged = denied_claims | set(opponents)
    if not flagged:
        return []
    query = (
        select(STATEMENT.c.claim_id, CLAIM.c.text, STATEMENT.c.id, STATEMENT.c.speaker_id, STATEMENT.c.stance)
        .join(CLAIM, CLAIM.c.id == STATEMENT.c.claim_id)
        .where(STATEMENT.c.stance.in_(["asserts", "denies"]))
    )
    stances: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    texts: dict[str, str] = {}
    for row in fetch_by_ids(context.connection, query, STATEMENT.c.claim_id,
                            flagged | {o for others in opponents.values() for o in others}):
        stances[row.claim_id][row.stance].add(row.speaker_id)
        texts[row.claim_id] = row.text
    findings = []
    for claim_id in sorted(flagged):
        mine = stances[claim_id]
        parts = [f"asserted by {', '.join(sorted(mine['asserts']))}"]
        if mine["denies"]:
            parts.append(f"denied by {', '.join(sorted(mine['denies']))}")
        for other in sorted(opponents.get(claim_id, ())):
            parts.append(f"contradicted by «{shorten(texts[other], 50)}» ({other}), asserted by"
                         f" {', '.join(sorted(stances[other]['asserts']))}")
        findings.append(Finding(
            "contested", Severity.info, "claim", claim_id,
            f"«{shorten(texts[claim_id], 60)}» is contested: " + "; ".join(parts),
            {"asserted_by": sorted(mine["asserts"]), "denied_by": sorted(mine["denies"]),
             "contradicted_by": [
                 {"claim": other, "asserted_by": sorted(stances[other]["asserts"])}
                 for other in sorted(opponents.get(claim_id, ()))
             ]},
        ))
    return findings
