"""The data-gathering step shared by every report: a catalog of the database and citation hops.

Everything here is SQL (through :mod:`provenance.queries`' ``fetch`` and recursive chains) that
runs unchanged on SQLite and PostgreSQL and gives the same values on both: dates as ISO strings,
booleans as ``bool``, rows in code-point order of their ids. Rendering never touches the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from provenance.queries import fetch
from provenance.queries.chains import CHAIN_STARTS
from provenance.store.chains import chain_ctes, collate

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


STATEMENT_COLUMNS = [
    "id", "speaker_id", "speaker_as_stated", "claim_id", "stance", "cue", "mode", "quote", "said_on",
    "venue", "method", "review_status", "note", "kind", "act", "about", "modality", "hedge",
]


def _add_quotes(connection: Connection, statements: list[Row], ids_sql: str,
                params: dict[str, Any] | None = None) -> None:
    """Each statement's ``quotes`` (all of them, in order; model v2), for the statements
    ``ids_sql`` selects."""
    quotes: dict[str, list[str]] = defaultdict(list)
    for row in fetch(connection, "SELECT statement_id, quote FROM statement_quote"
                     f" WHERE statement_id IN ({ids_sql}) ORDER BY statement_id, position",
                     ["statement", "quote"], params or {}):
        quotes[row["statement"]].append(row["quote"])
    for statement in statements:
        statement["quotes"] = quotes.get(statement["id"], [])


def _quotes_of_one(connection: Connection, rows: list[Row], key: str) -> None:
    _add_quotes(connection, rows, "SELECT id FROM statement WHERE id = :id", {"id": key})


def _ordered(connection: Connection, sql: str, columns: list[str], *order: str,
             params: dict[str, Any] | None = None) -> list[Row]:
    keys = ", ".join(collate(connection, expr) for expr in order)
    return fetch(connection, f"{sql} ORDER BY {keys}", columns, params)


def _scope(claim: str | None, document: str | None) -> tuple[str, dict[str, Any]]:
    """A WHERE clause on ``statement`` for the statements one report shows, and its parameters.

    A claim's report shows its statements, its related claims' (contest) and those giving a
    figure for the same count; a document's, the statements its reports carry.
    """
    if claim is not None:
        return (
            "WHERE claim_id = :scope OR claim_id IN (SELECT other_id FROM claim_relation WHERE"
            " claim_id = :scope) OR claim_id IN (SELECT claim_id FROM claim_relation WHERE other_id"
            " = :scope) OR claim_id IN (SELECT q.id FROM claim q JOIN claim c ON c.quantity_key ="
            " q.quantity_key WHERE c.id = :scope)", {"scope": claim})
    if document is not None:
        return ("WHERE id IN (SELECT statement_id FROM report WHERE document_id = :scope)",
                {"scope": document})
    return "", {}


class _Rows(dict[str, Any]):
    """Rows by id: every row (``complete``), or those one report needs, read up front, and any
    other asked for read then (a safety net: a report asks only for what its scope holds)."""

    def __init__(self, rows: dict[str, Any], connection: Connection, sql: str, columns: list[str], *,
                 complete: bool, value: str | None = None,
                 finish: Callable[[Connection, list[Row], str], None] | None = None) -> None:
        super().__init__(rows)
        self._read = None if complete else (connection, sql, columns, value)
        self._finish = finish
        self._absent: set[str] = set()

    def _lookup(self, key: str) -> Any:
        if self._read is None or key in self._absent or not isinstance(key, str):
            return None
        connection, sql, columns, value = self._read
        rows = fetch(connection, f"{sql} WHERE id = :id", columns, {"id": key})
        if not rows:
            self._absent.add(key)
            return None
        if self._finish is not None:
            self._finish(connection, rows, key)
        found = rows[0][value] if value else rows[0]
        dict.__setitem__(self, key, found)
        return found

    def __missing__(self, key: str) -> Any:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._lookup(key) is not None  # type: ignore[arg-type]

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        found = self._lookup(key)
        return default if found is None else found


def catalog(connection: Connection, claim: str | None = None, document: str | None = None) -> Catalog:
    """Read the catalog: a handful of plain SELECTs. For one claim's or one document's report,
    only the statements and reports it shows (a few, not the whole database)."""
    where, params = _scope(claim, document)
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
    statement_sql = (
        "SELECT id, speaker_id, speaker_as_stated, claim_id, stance, cue, mode, quote, said_on,"
        " venue, method, review_status, note, kind, act, about, modality, hedge FROM statement"
    )
    statements = _ordered(connection, f"{statement_sql} {where}", STATEMENT_COLUMNS, "id", params=params)
    _add_quotes(connection, statements, f"SELECT id FROM statement {where}", params)
    report_sql = "SELECT id, statement_id FROM report"
    if where:
        report_sql += f" WHERE statement_id IN (SELECT id FROM statement {where})"
    reports = _ordered(connection, report_sql, ["id", "statement"], "id", params=params)
    return Catalog(
        agents={row["id"]: row for row in agents},
        aliases=dict(aliases),
        affiliations=affiliations,
        documents={row["id"]: row for row in documents},
        claims={row["id"]: row for row in claims},
        tags=dict(tags),
        statements=_Rows({row["id"]: row for row in statements}, connection, statement_sql,
                         STATEMENT_COLUMNS, complete=not where,
                         finish=_quotes_of_one),
        report_statement=_Rows({row["id"]: row["statement"] for row in reports}, connection,
                               report_sql.split(" WHERE ")[0], ["id", "statement"], complete=not where,
                               value="statement"),
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
