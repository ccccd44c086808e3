"""``speakers/<id>.md``: one agent — who it is, its affiliations, what it said and where it went."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from provenance.queries import count
from provenance.queries.agents import speaker
from provenance.queries.outlets import outlet
from provenance.queries.resolve import AgentRef
from provenance.reports.gather import Catalog, Row
from provenance.reports.markdown import ident, link, shorten, table, text, url_link
from provenance.reports.paths import Links
from provenance.reports.refs import agent_link, document_link, statement_ref

HANDS = ("first-hand", "second-hand", "own voice")
_WIKIDATA = re.compile(r"^Q[0-9]{1,12}$")


@dataclass
class SpeakerData:
    """The agent's statements (one row per statement and chain) and the reports it passed on."""

    agent: Row
    statements: list[Row]
    passed_on: list[Row]


def gather_speaker(connection: Connection, catalog: Catalog, agent_id: str) -> SpeakerData:
    """Read what the agent said and what it passed on."""
    agent = catalog.agents[agent_id]
    ref = AgentRef(agent_id, agent["name"], agent["kind"])
    return SpeakerData(agent, speaker(connection, ref).rows, outlet(connection, ref).rows)


def _period(row: Row) -> str:
    if row["since"] and row["until"]:
        return f", {text(row['since'])} to {text(row['until'])}"
    if row["since"]:
        return f", since {text(row['since'])}"
    return f", until {text(row['until'])}" if row["until"] else ""


def identity(agent: Row, catalog: Catalog) -> list[str]:
    """The agent's identity as a two-column table."""
    rows = [["id", ident(agent["id"])], ["kind", text(agent["kind"].replace("_", " "))]]
    if agent["country"]:
        rows.append(["country", text(agent["country"])])
    if agent["wikidata"]:
        wikidata = agent["wikidata"]
        shown = (
            url_link(f"https://www.wikidata.org/wiki/{wikidata}", wikidata)
            if _WIKIDATA.match(wikidata)
            else text(wikidata)
        )
        rows.append(["Wikidata", shown])
    if agent["state_media"]:
        rows.append(["state media", "yes"])
    if agent["ownership"]:
        rows.append(["ownership", text(agent["ownership"])])
    aliases = [a for a in catalog.aliases.get(agent["id"], []) if a != agent["name"]]
    if aliases:
        rows.append(["also called", "; ".join(text(a) for a in aliases)])
    return [table(["", ""], rows)]


def affiliations(agent_id: str, catalog: Catalog, links: Links) -> list[str]:
    """Whom the agent is affiliated to, and who is affiliated to it."""
    up = [r for r in catalog.affiliations if r["agent"] == agent_id]
    down = [r for r in catalog.affiliations if r["parent"] == agent_id]
    lines = ["## Affiliations", ""]
    if not up and not down:
        return lines + ["None recorded.", ""]
    for row in up:
        role = f" ({text(row['role'])})" if row["role"] else ""
        lines.append(
            f"- {text(row['relation'].replace('_', ' '))} {agent_link(catalog, links, row['parent'])}"
            f"{role}{_period(row)}"
        )
    if down:
        lines += ["", "Affiliated to it:", ""] if up else ["Affiliated to it:", ""]
        for row in down:
            role = f" ({text(row['role'])})" if row["role"] else ""
            relation = text(row["relation"].replace("_", " "))
            lines.append(f"- {agent_link(catalog, links, row['agent'])}, {relation}{role}{_period(row)}")
    return lines + [""]


def statements_section(data: SpeakerData, catalog: Catalog, links: Links) -> list[str]:
    """The agent's statements grouped by claim, each with where it was reported and through whom."""
    ids = list(dict.fromkeys(row["statement"] for row in data.statements))
    claims: list[str | None] = list(catalog.claims_of_statements(ids))
    lines = [f"## Statements: {count(len(ids), 'statement')} on {count(len(claims), 'claim')}", ""]
    if not ids:
        return lines + ["None recorded.", ""]
    if any(catalog.statements[s]["claim_id"] is None for s in ids):
        claims.append(None)
    by_claim: dict[str | None, list[Row]] = {}
    for r in data.statements:
        by_claim.setdefault(catalog.statements[r["statement"]]["claim_id"], []).append(r)
    for claim_id in claims:
        rows = by_claim.get(claim_id, [])
        heading = ("Expressive acts (no claim)" if claim_id is None
                   else link(catalog.claims[claim_id]["text"], links.claim(claim_id)))
        lines += [
            f"### {heading}",
            "",
            table(
                [
                    "statement",
                    "stance",
                    "cue",
                    "quote",
                    "said on",
                    "reported in",
                    "published",
                    "by",
                    "through",
                ],
                (
                    [
                        statement_ref(catalog, r["statement"]),
                        text(r["stance"]),
                        text(r["cue"]),
                        text(r["quote"]),
                        text(r["said_on"]),
                        document_link(catalog, links, r["document"], 60) or "not reported",
                        text(r["published"]),
                        text(r["reporter"]),
                        text(r["chain"]),
                    ]
                    for r in rows
                ),
            ),
        ]
    return lines


def passed_on_section(data: SpeakerData, catalog: Catalog, links: Links) -> list[str]:
    """The reports the agent passed on, as an outlet or an intermediary."""
    rows = data.passed_on
    if not rows:
        return []
    hands = {hand: sum(1 for r in rows if r["hand"] == hand) for hand in HANDS}
    anonymous = sum(1 for r in rows if r["anonymous"] == "yes")
    tally = ", ".join(f"{n} {hand}" for hand, n in hands.items())
    lines = [f"## Reports it passed on: {len(rows)}", "", f"{tally}; {anonymous} from anonymous sources.", ""]
    body = []
    for r in rows:
        statement = catalog.statements[r["statement"]]
        body.append(
            [
                text(r["hand"]),
                text(r["anonymous"]),
                agent_link(catalog, links, statement["speaker_id"]),
                text(r["stance"]),
                link(shorten(r["claim"], 80), links.claim(statement["claim_id"]))
                if statement["claim_id"] else text(shorten(r["claim"], 80)),
                document_link(catalog, links, r["document"], 60) or "not in the corpus",
                text(r["chain"]),
            ]
        )
    return lines + [table(["hand", "anonymous", "speaker", "stance", "claim", "document", "chain"], body)]


def render_speaker(data: SpeakerData, catalog: Catalog, links: Links) -> str:
    """The speaker report as markdown."""
    agent = data.agent
    lines = [f"# {text(agent['name'])}", "", f"[Index]({links.page('index.md')})", ""]
    if agent["description"]:
        lines += [text(agent["description"]), ""]
    lines += identity(agent, catalog)
    lines += affiliations(agent["id"], catalog, links)
    lines += statements_section(data, catalog, links)
    lines += passed_on_section(data, catalog, links)
    return "\n".join(lines).rstrip("\n") + "\n"
