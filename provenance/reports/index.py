"""``index.md``: what the dataset holds, the headline findings, and a link to every report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from provenance.audit import RULES, Finding, summary
from provenance.queries import count, fetch
from provenance.queries.agents import speakers
from provenance.queries.claims import claims
from provenance.reports.audit import rule_anchor, subject_link
from provenance.reports.figures import Quantity
from provenance.reports.gather import Catalog, Row
from provenance.reports.markdown import link, shorten, table, text
from provenance.reports.paths import Links

HEADLINE_RULES = (
    "evidence",
    "circular-citation",
    "single-origin",
    "conflicting-figures",
    "common-source",
    "date-anomaly",
)


@dataclass
class IndexData:
    """Counts per claim, agent and document, the quantities and every finding."""

    claims: list[Row]
    speakers: list[Row]
    attributions: dict[str, int]
    quantities: list[Quantity]
    findings: list[Finding]


def gather_index(connection: Connection, quantities: list[Quantity], findings: list[Finding]) -> IndexData:
    """Read the counts the index lists."""
    per_document = fetch(
        connection,
        "SELECT document_id, COUNT(*) FROM report WHERE document_id IS NOT NULL GROUP BY document_id",
        ["document", "n"],
    )
    return IndexData(
        claims(connection).rows,
        speakers(connection).rows,
        {row["document"]: int(row["n"]) for row in per_document},
        quantities,
        findings,
    )


def holdings(data: IndexData, catalog: Catalog, links: Links) -> list[str]:
    """What the dataset holds, in one paragraph."""
    n = catalog.counts
    dates = sorted(d["published"] for d in catalog.documents.values() if d["published"])
    span = f", published {text(dates[0])} to {text(dates[-1])}" if dates else ""
    contested = sum(1 for c in data.claims if c["contested"] == "yes")
    quantities = f"{len(data.quantities)} {'quantity' if len(data.quantities) == 1 else 'quantities'}"
    speaking = sum(1 for s in data.speakers if s["statements"])
    return [
        f"{count(n['documents'], 'document')}{span}; {count(n['claims'], 'claim')}"
        f" ({contested} contested, {quantities} with figures);"
        f" {count(n['statements'], 'statement')} by {count(speaking, 'speaker')};"
        f" {count(n['reports'], 'report')} passing them on; {count(n['agents'], 'agent')} in all.",
        "",
    ]


def headlines(data: IndexData, catalog: Catalog, links: Links) -> list[str]:
    """The audit's summary, the figures in circulation, and the findings an editor reads first."""
    lines = [f"{link(summary(data.findings), links.page('audit.md'))}.", ""]
    single = 0
    for quantity in data.quantities:
        key = quantity.summary["quantity"]
        shown = sorted({(r["value"], r["figure"]) for r in quantity.timeline})
        if len(shown) < 2:
            single += 1
            continue
        lines.append(
            f"- **Figures**: {count(len(shown), 'figure')} for {link(key, links.quantity(key))}"
            f" ({text(', '.join(f for _, f in shown))})."
        )
    if single:
        lines.append(
            f"- **Figures**: {single} other {'quantity has' if single == 1 else 'quantities have'}"
            f" one figure each ({link('all figures', links.page('figures.md'))})."
        )
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.findings:
        by_rule[finding.rule].append(finding)
    for rule in HEADLINE_RULES:
        found = by_rule.get(rule, [])
        if not found:
            continue
        about = RULES[rule].summary if rule in RULES else rule
        lines.append(
            f"- {link(rule, links.page('audit.md', rule_anchor(rule)))} ({text(about)}):"
            f" {count(len(found), 'finding')}"
        )
        for finding in found:
            message = text(shorten(finding.message, 220))
            lines.append(f"  - {subject_link(finding, catalog, links)}: {message}")
    return lines + [""]


def render_index(data: IndexData, catalog: Catalog, links: Links) -> str:
    """The index page as markdown."""
    lines = [
        "# Provenance reports",
        "",
        "Generated from the database by `provenance report --all`; do not edit by hand."
        " Each claim, speaker and document has its own report; [figures](figures.md) and"
        " [audit findings](audit.md) cover the whole dataset.",
        "",
        "## What the dataset holds",
        "",
        *holdings(data, catalog, links),
        "## Headline findings",
        "",
        *headlines(data, catalog, links),
    ]
    documents = sorted(catalog.documents.values(), key=lambda d: (d["published"] or "", d["id"]))
    lines += [
        "## Documents",
        "",
        table(
            ["published", "document", "outlet", "attributions"],
            (
                [
                    text(d["published"]),
                    link(shorten(d["title"] or d["id"], 80), links.document(d["id"])),
                    link(catalog.agent_name(d["outlet"]), links.speaker(d["outlet"]))
                    if d["outlet"] in catalog.agents
                    else text(d["outlet"]),
                    str(data.attributions.get(d["id"], 0)),
                ]
                for d in documents
            ),
        ),
    ]
    lines += [
        "## Claims",
        "",
        table(
            ["claim", "statements", "asserts", "denies", "questions", "contested"],
            (
                [
                    link(shorten(c["text"], 100), links.claim(c["claim"])),
                    text(c["statements"]),
                    text(c["asserts"]),
                    text(c["denies"]),
                    text(c["questions"]),
                    text(c["contested"]),
                ]
                for c in data.claims
            ),
        ),
    ]
    lines += [
        "## Speakers",
        "",
        "Every agent: people, bodies, outlets, anonymous sources.",
        "",
        table(
            ["agent", "kind", "statements", "reports passed on"],
            (
                [
                    link(s["name"], links.speaker(s["agent"])),
                    text(s["kind"].replace("_", " ")),
                    text(s["statements"]),
                    text(s["reports"]),
                ]
                for s in data.speakers
            ),
        ),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
