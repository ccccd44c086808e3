"""``documents/<id>.md``: one document — its attributions in order, its sourcing profile, and the
passages it shares with documents it does not cite (the audit's ``common-source`` rule)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

from provenance.audit import Finding
from provenance.audit.passages import MIN_WORDS
from provenance.reports.audit import findings_table
from provenance.reports.gather import DOCUMENT_STARTS, Catalog, Chain, Row, chains, stance_shown
from provenance.reports.markdown import ident, link, shorten, table, text, url_link
from provenance.reports.paths import Links
from provenance.reports.refs import agent_link

HANDS = ("first-hand", "second-hand", "own voice")


@dataclass
class DocumentData:
    """The document's reports, each with its chain, and the findings about it."""

    document: Row
    chains: list[Chain]
    findings: list[Finding]


def gather_document(
    connection: Connection, catalog: Catalog, document_id: str, findings: list[Finding]
) -> DocumentData:
    """Read the chains of every report in the document, in excerpt order."""
    found = chains(connection, DOCUMENT_STARTS, {"document": document_id})
    found.sort(key=lambda c: (c.hops[0]["excerpt_start"] is None, c.hops[0]["excerpt_start"] or 0, c.start))
    return DocumentData(catalog.documents[document_id], found, findings)


def hand(chain: Chain, catalog: Catalog) -> str:
    """ "own voice" (the reporter is the speaker), "first-hand" or "second-hand"."""
    if catalog.statements[chain.statement]["speaker_id"] == chain.hops[0]["reporter"]:
        return "own voice"
    return "first-hand" if len(chain.hops) == 1 else "second-hand"


def anonymous(chain: Chain, catalog: Catalog) -> bool:
    """Whether the speaker or any reporter along the chain is anonymous."""
    speaker = catalog.statements[chain.statement]["speaker_id"]
    return catalog.agents.get(speaker, {}).get("kind") in ("anonymous", "unattributed") or any(
        hop["reporter_kind"] in ("anonymous", "unattributed") for hop in chain.hops
    )


def metadata(doc: Row, catalog: Catalog, links: Links) -> list[str]:
    """Outlet, authors, date, URL, language, hash, republication."""
    rows = [["id", ident(doc["id"])]]
    if doc["outlet"]:
        rows.append(["outlet", agent_link(catalog, links, doc["outlet"])])
    if doc["authors"]:
        rows.append(["authors", "; ".join(text(a) for a in doc["authors"])])
    rows.append(["published", text(doc["published"]) or "unknown"])
    if doc["url"]:
        rows.append(["url", url_link(doc["url"])])
    rows += [["language", text(doc["language"])], ["text", ident(doc["sha256"])]]
    if doc["republishes"]:
        original = doc["republishes"]
        shown = link(original, links.document(original)) if original in catalog.documents else text(original)
        rows.append(["republishes", shown])
    if doc["republishes_url"]:
        rows.append(["republishes", url_link(doc["republishes_url"]) + " (not in the corpus)"])
    copies = catalog.republished_by(doc["id"])
    if copies:
        rows.append(["republished by", ", ".join(link(d["id"], links.document(d["id"])) for d in copies)])
    for copy in doc["copies"]:
        by = f" by {agent_link(catalog, links, copy['outlet'])}" if copy["outlet"] else ""
        on = f" on {text(copy['published'])}" if copy["published"] else ""
        rows.append(["republished at", f"{url_link(copy['url'])}{by}{on} (not in the corpus)"])
    return [table(["", ""], rows)]


def attributions(data: DocumentData, catalog: Catalog, links: Links) -> list[str]:
    """Every report in the document, in the order of its excerpt."""
    rows = []
    for n, chain in enumerate(data.chains, 1):
        first = chain.hops[0]
        statement = catalog.statements[chain.statement]
        route = " ← ".join(
            text(catalog.agent_name(h["reporter"])) + (" (inferred)" if before["via_inferred"] else "")
            for before, h in zip(chain.hops, chain.hops[1:], strict=False))
        through = f"via {route}" if route else ""
        if not chain.complete:
            through += " (cut: citation cycle or too deep)"
        at = f"{first['excerpt_start']}" if first["excerpt_start"] is not None else ""
        rows.append(
            [
                str(n),
                at,
                agent_link(catalog, links, statement["speaker_id"]),
                text(statement["speaker_as_stated"]),
                text(stance_shown(statement)),
                link(shorten(catalog.subject(statement), 80), links.claim(statement["claim_id"]))
                if statement["claim_id"] else text(shorten(catalog.subject(statement), 80)),
                text(hand(chain, catalog)) + (" (anonymous)" if anonymous(chain, catalog) else "")
                + (f", {text(first['reporter_stance'])}" if first["reporter_stance"] else ""),
                text(through),
                text(first["excerpt"]),
            ]
        )
    if not rows:
        return ["No attribution recorded in this document.", ""]
    return [table(["#", "at", "speaker", "as stated", "stance", "claim", "hand", "through", "excerpt"], rows)]


def profile(data: DocumentData, catalog: Catalog) -> list[str]:
    """How the document sources its attributions, as counts and shares."""
    total = len(data.chains)
    if not total:
        return ["No attribution recorded.", ""]

    def share(n: int) -> str:
        return f"{round(100 * n / total)}%"

    counts = {h: sum(1 for c in data.chains if hand(c, catalog) == h) for h in HANDS}
    anon = sum(1 for c in data.chains if anonymous(c, catalog))
    rows = [[h, str(n), share(n)] for h, n in counts.items()]
    rows.append(["total", str(total), "100%"])
    rows.append(["of which from anonymous sources", str(anon), share(anon)])
    return [
        "First-hand: the reporter heard the speaker; second-hand: through another reporter; own voice:"
        " the reporter is the speaker.",
        "",
        table(["sourcing", "attributions", "share"], rows),
    ]


def shared_passages(data: DocumentData, catalog: Catalog, links: Links) -> list[str]:
    """Long verbatim passages shared with documents this one neither cites nor republishes."""
    lines = []
    me = data.document["id"]
    for finding in data.findings:
        if finding.rule != "common-source":
            continue
        others = [d for d in finding.evidence.get("documents", []) if d != me]
        for passage in finding.evidence.get("passages", []):
            for other in others:
                shown = link(other, links.document(other)) if other in catalog.documents else text(other)
                here, there = _span(passage.get(me)), _span(passage.get(other))
                nearly = (f" ({text(passage['differing_words'])} differing)"
                          if passage.get("differing_words") else "")
                lines.append(
                    f"- {text(passage.get('words'))} words{nearly} shared with {shown}"
                    f" (characters {here} here, {there} there):"
                )
                lines.append("  > " + text(passage.get("texts", {}).get(me, passage.get("text"))))
    if not lines:
        return [
            "None found: the audit's `common-source` rule reports no passage of"
            f" {MIN_WORDS} words or more shared with a document this one does not cite.",
            "",
        ]
    return [
        f"Found by the audit's `common-source` rule: passages of {MIN_WORDS} words or more that another"
        " document also has, though neither cites nor republishes the other.",
        "",
        *lines,
        "",
    ]


def _span(span: object) -> str:
    if isinstance(span, list) and len(span) == 2:
        return f"{text(span[0])}–{text(span[1])}"
    return text(span)


def render_document(data: DocumentData, catalog: Catalog, links: Links) -> str:
    """The document report as markdown."""
    doc = data.document
    lines = [
        f"# {text(doc['title'] or doc['id'])}",
        "",
        f"[Index]({links.page('index.md')})",
        "",
        *metadata(doc, catalog, links),
        f"## Attributions: {len(data.chains)}",
        "",
        *attributions(data, catalog, links),
        "## Sourcing profile",
        "",
        *profile(data, catalog),
        "## Passages shared with other documents",
        "",
        *shared_passages(data, catalog, links),
        "## Audit findings",
        "",
    ]
    lines += [findings_table(data.findings, catalog, links)] if data.findings else ["None.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
