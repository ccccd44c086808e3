"""``claims/<id>.md``: one claim, who says it, through which chains, against whom, with findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from provenance.audit import Finding
from provenance.queries import count, figure
from provenance.queries.claims import origins
from provenance.queries.contest import contest
from provenance.queries.figures import figures
from provenance.queries.resolve import ClaimRef
from provenance.queries.verdicts import verdicts as read_verdicts
from provenance.reports.audit import findings_table
from provenance.reports.gather import CLAIM_STARTS, Catalog, Chain, Row, chains, stance_shown
from provenance.reports.markdown import (
    MAX_EDGES,
    MAX_TEXT,
    Flowchart,
    blockquote,
    ident,
    link,
    safe_url,
    shorten,
    table,
    text,
)
from provenance.reports.paths import Links
from provenance.reports.refs import agent_link, document_link, statement_ref

STANCES = {"asserts": "Asserted", "denies": "Denied", "questions": "Questioned"}
CONTEST_HEADERS = ["cluster", "speaker", "stance", "claim", "relation", "quote", "said on", "reported by"]
STANCE_ORDER = {"asserts": 0, "denies": 1, "questions": 2}
POSITIONS = {"for": "For", "against": "Against", "questions": "Questioning"}
CHART_CLASSES = {
    "asserts": "fill:#e8f4ea,stroke:#2e7d32",
    "denies": "fill:#fdecea,stroke:#c62828",
    "questions": "fill:#fff8e1,stroke:#f9a825",
    "unverified": "stroke-dasharray:5 4",
    "anonymous": "fill:#eeeeee,stroke:#616161",
}


@dataclass
class ClaimData:
    """Everything the claim report shows, read from the database."""

    claim: Row
    statements: list[Row]
    chains: list[Chain]
    origins: list[Row]
    contest: list[Row]
    figures: list[Row]
    findings: list[Finding]
    verdicts: list[Row] = field(default_factory=list)


def gather_claim(
    connection: Connection, catalog: Catalog, claim_id: str, findings: list[Finding]
) -> ClaimData:
    """Read the claim's statements, chains, origins, contest and figures."""
    claim = catalog.claims[claim_id]
    ref = ClaimRef(claim_id, claim["text"])
    statements = sorted(
        (s for s in catalog.statements.values() if s["claim_id"] == claim_id),
        key=lambda s: (STANCE_ORDER.get(s["stance"], 3), s["said_on"] is None, s["said_on"] or "", s["id"]),
    )
    quantity = claim["quantity_key"]
    return ClaimData(
        claim=claim,
        statements=statements,
        chains=chains(connection, CLAIM_STARTS, {"claim": claim_id}),
        origins=origins(connection, ref).rows,
        contest=contest(connection, ref).rows,
        figures=figures(connection, quantity).rows if quantity else [],
        findings=findings,
        verdicts=read_verdicts(connection, [claim_id]),
    )


def _names(names: list[str]) -> str:
    return ", ".join(names)


def summary(data: ClaimData, catalog: Catalog, links: Links) -> list[str]:
    """The claim in words: who asserts, denies, questions it; how independently; what contradicts."""
    lines = []
    for stance, verb in STANCES.items():
        speakers = list(dict.fromkeys(s["speaker_id"] for s in data.statements if s["stance"] == stance))
        if not speakers:
            continue
        rows = [o for o in data.origins if o["stance"] == stance]
        origins_n = len({o["origin"] for o in rows})
        clusters = sorted({o["cluster"] for o in rows})
        where = (
            f", from {count(origins_n, 'independent origin')} in"
            f" {count(len(clusters), 'affiliation cluster')} ({text(_names(clusters))})"
            if rows
            else ", with no first-hand report recorded"
        )
        who = ", ".join(agent_link(catalog, links, s) for s in speakers)
        lines.append(f"- **{verb}** by {count(len(speakers), 'speaker')} ({who}){where}.")
    rivals = [r for r in data.contest if r["relation"] == "contradicts" and r["stance"] == "asserts"]
    by_claim: dict[str, list[str]] = {}
    for row in rivals:
        statement = catalog.statements.get(row["statement"])
        if statement:
            by_claim.setdefault(statement["claim_id"], []).append(statement["speaker_id"])
    for claim_id, speakers in by_claim.items():
        who = ", ".join(agent_link(catalog, links, s) for s in dict.fromkeys(speakers))
        lines.append(
            f"- **Contradicted** by {link(catalog.claims[claim_id]['text'], links.claim(claim_id))},"
            f" asserted by {who}."
        )
    if not data.statements:
        lines.append("- No statement on this claim is recorded.")
    dated = sorted(
        (catalog.documents[c.document]["published"], c.document)
        for c in data.chains
        if c.document in catalog.documents and catalog.documents[c.document]["published"]
    )
    if dated:
        published, document = dated[0]
        lines.append(
            f"- **First reported** on {text(published)} in {document_link(catalog, links, document)}."
        )
    return lines


def _hop_line(hop: Row, catalog: Catalog, links: Links, first: bool, inferred: bool = False) -> list[str]:
    reporter = agent_link(catalog, links, hop["reporter"])
    if inferred:
        reporter += " (inferred hop: the text does not say so)"
    if hop["reporter_stance"]:
        reporter += f", which {text(hop['reporter_stance'])} it"
    if hop["document"]:
        doc = catalog.documents.get(hop["document"], {})
        published = f", {text(doc['published'])}" if doc.get("published") else ""
        head = f"{reporter} in {document_link(catalog, links, hop['document'])}{published}"
    else:
        head = f"{reporter} — not in the corpus, so this hop cannot be checked"
    if hop["reporter_kind"] in ("anonymous", "unattributed"):
        head += " (anonymous)"
    lines = [f"1. {'' if first else '← '}{head}"]
    if hop["excerpt"]:
        lines.append("   " + blockquote(hop["excerpt"]))
    return lines


def chain_section(data: ClaimData, catalog: Catalog, links: Links) -> list[str]:
    """Each chain written out, hop by hop, then all of them as one Mermaid flowchart."""
    if not data.chains:
        return ["No report of a statement on this claim is recorded.", ""]
    order = {s["id"]: n for n, s in enumerate(data.statements)}

    def published(chain: Chain) -> str:
        return catalog.documents.get(chain.document or "", {}).get("published") or ""

    ordered = sorted(data.chains, key=lambda c: (order.get(c.statement, len(order)), published(c), c.start))
    lines: list[str] = []
    for number, chain in enumerate(ordered, 1):
        statement = catalog.statements[chain.statement]
        route = " ← ".join(text(catalog.agent_name(hop["reporter"])) for hop in chain.hops)
        speaker = text(catalog.agent_name(statement["speaker_id"]))
        stance = f"*{text(stance_shown(statement))}*"
        if len(chain.hops) == 1 and chain.hops[0]["reporter"] == statement["speaker_id"]:
            head = f"**{speaker}**, in its own voice, {stance}"
        else:
            head = f"{route} ← **{speaker}**, who {stance}"
        lines += [f"**Chain {number}** — {head} (statement {statement_ref(catalog, chain.statement)})", ""]
        for n, hop in enumerate(chain.hops):
            lines += _hop_line(hop, catalog, links, n == 0, n > 0 and chain.hops[n - 1]["via_inferred"])
        said = f" on {text(statement['said_on'])}" if statement["said_on"] else ""
        how = ", ".join(text(v) for v in (statement["mode"].replace("_", " "), statement["cue"]) if v)
        end = "← said by" if chain.complete else "← (chain cut: citation cycle or too deep) said by"
        lines.append(f"1. {end} {agent_link(catalog, links, statement['speaker_id'])}{said} ({how})")
        for quote in statement["quotes"] or [statement["quote"]] * bool(statement["quote"]):
            lines.append("   " + blockquote(quote))
        lines.append("")
    chart = flowchart(data, catalog)
    if chart is None:
        return lines + [f"The chains are too many to draw as one diagram (Mermaid draws at most"
                        f" {MAX_EDGES} arrows or {MAX_TEXT:,} characters).", ""]
    lines += [
        "The same chains as a diagram: each arrow carries the statement one hop towards the"
        " documents; a dashed box is a report not in the corpus"
        + ("; a dotted arrow, a hop the curator inferred." if any(
            hop["via_inferred"] for chain in data.chains for hop in chain.hops) else "."),
        "",
        chart,
    ]
    return lines


def flowchart(data: ClaimData, catalog: Catalog) -> str | None:
    """Speakers on the right, documents on the left: ``outlet ← agency ← speaker``; None when
    Mermaid would not draw it (too many arrows or characters)."""
    chart = Flowchart(direction="RL", classes=dict(CHART_CLASSES))
    for chain in data.chains:
        statement = catalog.statements[chain.statement]
        speaker_kind = catalog.agents.get(statement["speaker_id"], {}).get("kind")
        said = statement["said_on"] or ""
        source = ("statement", chain.statement)
        chart.node(
            source,
            [catalog.agent_name(statement["speaker_id"]), f"{statement['stance']} {said}"],
            "anonymous" if speaker_kind in ("anonymous", "unattributed") else statement["stance"],
            "stadium",
        )
        previous = source
        for hop in reversed(chain.hops):
            # One node per document and reporter (the reports of one article converge there);
            # one per report outside the corpus (chains through one agency converge there).
            key: tuple[str, ...] = ("report", hop["report"])
            if hop["document"]:
                key = ("document", hop["document"], hop["reporter"])
            doc = catalog.documents.get(hop["document"] or "")
            where = "not in corpus"
            if doc:
                where = shorten(doc["title"] or hop["document"], 40) + f" {doc['published'] or ''}"
            chart.node(key, [catalog.agent_name(hop["reporter"]), where], "" if doc else "unverified")
            inferred = hop["via_inferred"]  # this hop relies on the previous one by inference
            chart.edge(previous, key, "inferred" if inferred else None, dotted=inferred)
            previous = key
        if chart.too_big():
            return None
    rendered = chart.render()
    return None if len(rendered) > MAX_TEXT else rendered


def _contest_rows(rows: list[Row], catalog: Catalog, links: Links) -> list[list[Any]]:
    out = []
    for row in rows:
        statement = catalog.statements.get(row["statement"], {})
        claim_id = statement.get("claim_id")
        claim = link(shorten(row["claim"], 90), links.claim(claim_id)) if claim_id else text(row["claim"])
        out.append(
            [
                text(row["cluster"]),
                agent_link(catalog, links, statement.get("speaker_id", "")),
                text(row["stance"]),
                claim,
                text(row["relation"].replace("_", " ")),
                text(row["quote"]),
                text(row["said_on"]),
                text(row["reported_by"]),
            ]
        )
    return out


def contest_section(data: ClaimData, catalog: Catalog, links: Links) -> list[str]:
    """Statements for and against the claim (and claims that go with or against it), by cluster."""
    lines: list[str] = []
    for position, title in POSITIONS.items():
        rows = [r for r in data.contest if r["position"] == position]
        if not rows:
            continue
        clusters = sorted({r["cluster"] for r in rows})
        lines += [
            f"### {title}: {count(len(rows), 'statement')} from {count(len(clusters), 'cluster')}",
            "",
            table(CONTEST_HEADERS, _contest_rows(rows, catalog, links)),
        ]
    return lines or ["No statement for or against this claim.", ""]


def figures_section(data: ClaimData, catalog: Catalog, links: Links) -> list[str]:
    """The timeline of the claim's quantity, this claim's figures marked."""
    key = data.claim["quantity_key"]
    lines = [
        f"Every figure given for {link(key, links.quantity(key))}; rows marked ◆ give this claim's"
        f" figure ({text(figure(data.claim['value'], data.claim['qualifier']))}"
        f" {text(data.claim['unit'] or '')}).".replace(" )", ")"),
        "",
    ]
    rows = [
        [
            "◆" if r["claim"] == data.claim["id"] else "",
            text(r["date"]),
            text(r["figure"]),
            agent_link(catalog, links, catalog.statements[r["statement"]]["speaker_id"]),
            text(r["stance"]),
            text(r["reported_by"]),
            document_link(catalog, links, r["document"]),
        ]
        for r in data.figures
    ]
    return lines + [table(["", "date", "figure", "speaker", "stance", "reported by", "document"], rows)]


def sources_section(data: ClaimData, catalog: Catalog, links: Links) -> list[str]:
    """The documents the chains pass through, and the reporters outside the corpus."""
    documents = sorted(
        {hop["document"] for c in data.chains for hop in c.hops if hop["document"]},
        key=lambda d: (catalog.documents.get(d, {}).get("published") or "", d),
    )
    lines = []
    for document_id in documents:
        doc = catalog.documents.get(document_id, {})
        outlet = f" — {agent_link(catalog, links, doc['outlet'])}" if doc.get("outlet") else ""
        date = f", {text(doc['published'])}" if doc.get("published") else ""
        original = f" · {link('original', url)}" if (url := safe_url(doc.get("url"))) else ""
        lines.append(f"- {document_link(catalog, links, document_id)}{outlet}{date}{original}")
    outside = sorted({hop["reporter"] for c in data.chains for hop in c.hops if not hop["document"]})
    if outside:
        lines.append(
            "- Not in the corpus (unverified): " + ", ".join(agent_link(catalog, links, a) for a in outside)
        )
    return (lines or ["No source recorded."]) + [""]


def verdicts_section(data: ClaimData) -> list[str]:
    """The fact-checkers' verdicts on the claim (imported from ClaimReview), newest first."""
    rows = [
        [text(v["rating"]), text(v["reviewer"]), text(v["reviewed_on"]),
         link("review", url) if (url := safe_url(v["url"])) else ""]
        for v in data.verdicts
    ]
    return [table(["verdict", "fact-checker", "reviewed on", "review"], rows)]


def render_claim(data: ClaimData, catalog: Catalog, links: Links) -> str:
    """The claim report as markdown."""
    claim = data.claim
    tags = catalog.tags.get(claim["id"], [])
    meta = [f"claim {ident(claim['id'])}"]
    if tags:
        meta.append("tags: " + ", ".join(ident(t) for t in tags))
    if claim["about_date"]:
        meta.append(f"event of {text(claim['about_date'])}")
    lines = [
        f"# {text(claim['text'])}",
        "",
        f"[Index]({links.page('index.md')}) · " + " · ".join(meta),
        "",
        "## Summary",
        "",
        *summary(data, catalog, links),
        "",
    ]
    if data.verdicts:
        lines += ["## Fact-checks", "", *verdicts_section(data)]
    lines += [
        "## Statements",
        "",
    ]
    if data.statements:
        rows = []
        reported_in: dict[str, set[str]] = {}
        for chain in data.chains:
            if chain.document:
                reported_in.setdefault(chain.statement, set()).add(chain.document)
        for s in data.statements:
            documents = sorted(reported_in.get(s["id"], ()))
            rows.append(
                [
                    statement_ref(catalog, s["id"]),
                    agent_link(catalog, links, s["speaker_id"]),
                    text(s["speaker_as_stated"]),
                    text(s["stance"]),
                    text(s["mode"].replace("_", " ")),
                    text(s["cue"]),
                    text(s["quote"]),
                    text(s["said_on"]),
                    ", ".join(document_link(catalog, links, d) for d in documents),
                ]
            )
        lines.append(
            table(
                [
                    "statement",
                    "speaker",
                    "as stated",
                    "stance",
                    "mode",
                    "cue",
                    "quote",
                    "said on",
                    "reported in",
                ],
                rows,
            )
        )
    else:
        lines += ["None recorded.", ""]
    lines += [
        "## Citation chains",
        "",
        *chain_section(data, catalog, links),
        "## Counter-claims",
        "",
        *contest_section(data, catalog, links),
    ]
    if claim["quantity_key"]:
        lines += ["## Figures", "", *figures_section(data, catalog, links)]
    lines += ["## Audit findings", ""]
    lines += [findings_table(data.findings, catalog, links)] if data.findings else ["None.", ""]
    lines += ["## Sources", "", *sources_section(data, catalog, links)]
    return "\n".join(lines).rstrip("\n") + "\n"
