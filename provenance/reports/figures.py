"""``figures.md``: every quantity (a death toll, the injured) as a timeline of the figures given."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from provenance.audit import Finding
from provenance.queries import count, figure
from provenance.queries.figures import figures, quantities
from provenance.reports.gather import Catalog, Row
from provenance.reports.markdown import anchor, link, shorten, table, text
from provenance.reports.paths import Links


@dataclass
class Quantity:
    """One quantity: its summary row, its timeline and the audit's findings on it."""

    summary: Row
    timeline: list[Row]
    findings: list[Finding]


def gather_figures(connection: Connection, findings: dict[str, list[Finding]]) -> list[Quantity]:
    """Every quantity key with its timeline, the most discussed first."""
    rows = sorted(quantities(connection).rows, key=lambda row: (-int(row["statements"]), row["quantity"]))
    return [
        Quantity(row, figures(connection, row["quantity"]).rows, findings.get(row["quantity"], []))
        for row in rows
    ]


def timeline(rows: list[Row], catalog: Catalog, links: Links) -> str:
    """Date, figure, speaker, stance, reporting chain, document and claim of each figure given."""
    body = []
    for r in rows:
        statement = catalog.statements[r["statement"]]
        doc = catalog.documents.get(r["document"] or "")
        document = (
            link(shorten(doc["title"] or r["document"], 50), links.document(r["document"]))
            if doc
            else (text(r["document"]) or "not reported")
        )
        speaker = statement["speaker_id"]
        body.append(
            [
                text(r["date"]),
                f"**{text(r['figure'])}**",
                link(catalog.agent_name(speaker), links.speaker(speaker)),
                text(r["stance"]),
                text(r["reported_by"]),
                document,
                link(r["claim"], links.claim(r["claim"])),
            ]
        )
    return table(["date", "figure", "speaker", "stance", "reported by", "document", "claim"], body)


def render_figures(data: list[Quantity], catalog: Catalog, links: Links) -> str:
    """Every quantity's timeline, with the audit's verdict on whether its figures agree."""
    lines = [
        "# Figures in circulation",
        "",
        f"[Index]({links.page('index.md')})",
        "",
        "Every number given for one count, in the order it was given (the statement's date, else"
        " the document's), one row per report of it. Quantities with the most statements come"
        " first.",
        "",
    ]
    if not data:
        return "\n".join(lines + ["No numeric claim recorded."]) + "\n"
    summary = [
        [
            link(q.summary["quantity"], f"#{links.quantity_anchor(q.summary['quantity'])}"),
            text(q.summary["claims"]),
            text(q.summary["statements"]),
            text(figure(q.summary["lowest"], None)),
            text(figure(q.summary["highest"], None)),
            text(q.summary["unit"]),
        ]
        for q in data
    ]
    lines += [table(["quantity", "claims", "statements", "lowest", "highest", "unit"], summary)]
    for quantity in data:
        key = quantity.summary["quantity"]
        shown = sorted({(r["value"], r["figure"]) for r in quantity.timeline})
        speakers = {r["speaker"] for r in quantity.timeline}
        lines += [
            f"## {anchor(links.quantity_anchor(key))}{text(key)}",
            "",
            f"{count(len(shown), 'figure')} in circulation ({text(', '.join(f for _, f in shown))})"
            f" from {count(len(speakers), 'speaker')}.",
            "",
        ]
        for finding in quantity.findings:
            lines += [f"**Audit ({text(finding.severity.value)}):** {text(finding.message)}", ""]
        lines.append(timeline(quantity.timeline, catalog, links))
    return "\n".join(lines).rstrip("\n") + "\n"
