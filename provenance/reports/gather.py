"""The data-gathering step shared by every report: a catalog of the database and citation hops.

Everything here is SQL (through :mod:`provenance.queries`' ``fetch`` and recursive chains) that
runs unchanged on SQLite and PostgreSQL and gives the same values on both: dates as ISO strings,
booleans as ``bool``, rows in code-point order of their ids. Rendering never touches the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from provenance.queries import fetch
from provenance.queries.chains import CHAIN_STARTS, chain_ctes, collate

Row = dict[str, Any]


@dataclass
class Catalog:
    """Every agent, document, claim, statement and report id, with what reports show of them."""

    agents: dict[str, Row]
    aliases: dict[str, list[str]]
    affiliations: list[Row]
    documents: dict[str, Row]
    claims: dict[str, Row]
    tags: dict[str, list[str]]
    statements: dict[str, Row]
    report_statement: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)

    def agent_name(self, agent_id: str | None) -> str:
        """The agent's name, or its id when it is not in the catalog."""
        if agent_id is None:
            return ""
        return self.agents.get(agent_id, {}).get("name") or agent_id

    def claims_of_statements(self, statements: list[str]) -> list[str]:
        """The claims the statements are on, once each, in order (expressive acts have none)."""
        return list(dict.fromkeys(
            self.statements[s]["claim_id"] for s in statements
            if s in self.statements and self.statements[s]["claim_id"] is not None))

    def subject(self, statement: Row) -> str:
        """What a statement is on: its claim's text, or what its expressive act is about."""
        if statement["claim_id"] is not None:
            return self.claims[statement["claim_id"]]["text"]
        return statement["about"] or ""


def stance_shown(statement: Row) -> str:
    """A statement's stance as reports show it (as :func:`~provenance.queries.chains.stance_text`
    does in SQL): "asserts", "asserts (hedged: probably)", "asserts (unattributed: reportedly)",
    or an expressive act's act."""
    if statement["kind"] == "expressive":
        return statement["act"]
    hedge = f": {statement['hedge']}" if statement["hedge"] else ""
    if statement["modality"] == "hedged":
        return f"{statement['stance']} (hedged{hedge})"
    if statement["modality"] == "reported_unattributed":
        return f"{statement['stance']} (unattributed{hedge})"
    return statement["stance"]


def _ordered(connection: Connection, sql: str, columns: list[str], *order: str) -> list[Row]:
    keys = ", ".join(collate(connection, expr) for expr in order)
    return fetch(connection, f"{sql} ORDER BY {keys}", columns)


def catalog(connection: Connection) -> Catalog:
    """Read the catalog: a handful of plain SELECTs."""
    agents = _ordered(
        connection,
        "SELECT id, name, kind, country, description, wikidata, state_media, ownership FROM agent",
        ["id", "name", "kind", "country", "description", "wikidata", "state_media", "ownership"],
        "id",
    )
    for agent in agents:
        agent["state_media"] = bool(agent["state_media"])
    aliases: dict[str, list[str]] = defaultdict(list)
    for row in _ordered(
        connection, "SELECT agent_id, alias FROM agent_alias", ["agent", "alias"], "agent_id", "alias"
    ):
        aliases[row["agent"]].append(row["alias"])
    affiliations = _ordered(
        connection,
        "SELECT agent_id, parent_id, relation, role, since, until FROM affiliation",
        ["agent", "parent", "relation", "role", "since", "until"],
        "agent_id",
        "parent_id",
    )
    documents = _ordered(
        connection,
        "SELECT id, outlet_id, title, url, published, language, sha256, republishes_id,"
        " republishes_url FROM document",
        ["id", "outlet", "title", "url", "published", "language", "sha256", "republishes",
         "republishes_url"],
        "id",
    )
    copies: dict[str, list[Row]] = defaultdict(list)
    for row in _ordered(
        connection, "SELECT document_id, url, outlet_id, published FROM republication",
        ["document", "url", "outlet", "published"], "document_id", "url",
    ):
        copies[row["document"]].append(row)
    authors: dict[str, list[str]] = defaultdict(list)
    for row in fetch(
        connection, "SELECT document_id, name FROM document_author ORDER BY position", ["document", "name"]
    ):
        authors[row["document"]].append(row["name"])
    for document in documents:
        document["authors"] = authors.get(document["id"], [])
        document["copies"] = copies.get(document["id"], [])
    claims = _ordered(
        connection,
        "SELECT id, text, quantity_key, value, qualifier, unit, about_date FROM claim",
        ["id", "text", "quantity_key", "value", "qualifier", "unit", "about_date"],
        "id",
    )
    tags: dict[str, list[str]] = defaultdict(list)
    for row in _ordered(
        connection, "SELECT claim_id, tag FROM claim_tag", ["claim", "tag"], "claim_id", "tag"
    ):
        tags[row["claim"]].append(row["tag"])
    statements = _ordered(
        connection,
        "SELECT id, speaker_id, speaker_as_stated, claim_id, stance, cue, mode, quote, said_on,"
        " venue, method, review_status, note, kind, act, about, modality, hedge FROM statement",
        [
            "id",
            "speaker_id",
            "speaker_as_stated",
            "claim_id",
            "stance",
            "cue",
            "mode",
            "quote",
            "said_on",
            "venue",
            "method",
            "review_status",
            "note",
            "kind",
            "act",
            "about",
            "modality",
            "hedge",
        ],
        "id",
    )
    quotes: dict[str, list[str]] = defaultdict(list)
    for row in fetch(connection, "SELECT statement_id, quote FROM statement_quote ORDER BY position",
                     ["statement", "quote"]):
        quotes[row["statement"]].append(row["quote"])
    for statement in statements:
        statement["quotes"] = quotes.get(statement["id"], [])
    reports = _ordered(connection, "SELECT id, statement_id FROM report", ["id", "statement"], "id")
    return Catalog(
        agents={row["id"]: row for row in agents},
        aliases=dict(aliases),
        affiliations=affiliations,
        documents={row["id"]: row for row in documents},
        claims={row["id"]: row for row in claims},
        tags=dict(tags),
        statements={row["id"]: row for row in statements},
        report_statement={row["id"]: row["statement"] for row in reports},
        counts={
            "agents": len(agents),
            "documents": len(documents),
            "claims": len(claims),
            "statements": len(statements),
            "reports": len(reports),
        },
    )


HOP_COLUMNS = [
    "start",
    "hop",
    "report",
    "via",
    "statement",
    "reporter",
    "reporter_kind",
    "document",
    "excerpt",
    "excerpt_start",
    "complete",
    "via_inferred",
    "reporter_stance",
]


@dataclass
class Chain:
    """One citation chain: the hops from the starting report (the document's) to the first-hand."""

    start: str
    statement: str
    hops: list[Row]
    complete: bool

    @property
    def document(self) -> str | None:
        """The document the chain starts in (none: a report nobody cites, outside the corpus)."""
        return self.hops[0]["document"]


def chains(connection: Connection, starts: str, params: dict[str, Any]) -> list[Chain]:
    """The citation chains from the reports ``starts`` (a SELECT of report ids) selects.

    Each chain lists its hops in order (hop 1 is the starting report); chains come in
    code-point order of their starting report id.
    """
    sql = f"""
WITH RECURSIVE {chain_ctes(starts)}
SELECT h.start_id, h.hop, r.id, r.via_id, r.statement_id, r.reporter_id, a.kind, r.document_id,
       r.excerpt, r.excerpt_start, e.complete, h.inferred, r.reporter_stance
FROM hops h
JOIN report r ON r.id = h.report_id
JOIN agent a ON a.id = r.reporter_id
JOIN ends e ON e.start_id = h.start_id
ORDER BY {collate(connection, "h.start_id")}, h.hop"""
    found: dict[str, Chain] = {}
    for row in fetch(connection, sql, HOP_COLUMNS, params):
        chain = found.get(row["start"])
        if chain is None:
            chain = found[row["start"]] = Chain(row["start"], row["statement"], [], bool(row["complete"]))
        row["via_inferred"] = bool(row["via_inferred"])
        chain.hops.append(row)
    return list(found.values())


#: Chains worth showing for one claim: every report in a document, and every report nobody cites.
CLAIM_STARTS = (
    "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
    f" WHERE rs.claim_id = :claim AND {CHAIN_STARTS}"
)
DOCUMENT_STARTS = "SELECT r.id FROM report r WHERE r.document_id = :document"
