"""The data-gathering step shared by every report: a catalog of the database and citation hops.

Everything here is SQL (through :mod:`provenance.queries`' ``fetch`` and recursive chains) that
runs unchanged on SQLite and PostgreSQL and gives the same values on both: dates as ISO strings,
booleans as ``bool``, rows in code-point order of their ids. Rendering never touches the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from provenance.queries import fetch
from provenance.queries.chains import CHAIN_STARTS
from provenance.reports.markdown import RESERVED, SLUG
from provenance.store.chains import chain_ctes, collate
from provenance.store.ids import id_batches

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
    _copies: dict[str, list[Row]] | None = field(default=None, repr=False)

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

    def republished_by(self, document_id: str) -> list[Row]:
        """The documents (read) republishing ``document_id``, in id order."""
        if self._copies is None:
            self._copies = defaultdict(list)
            for document in self.documents.values():
                if document["republishes"]:
                    self._copies[document["republishes"]].append(document)
        return self._copies.get(document_id, [])

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




def _add_quotes(connection: Connection, statements: list[Row], ids_sql: str | None = None,
                params: dict[str, Any] | None = None) -> None:
    """Each statement's ``quotes`` (all of them, in order; model v2), for the statements
    ``ids_sql`` selects (by default, the ``statements`` given)."""
    quotes: dict[str, list[str]] = defaultdict(list)
    if ids_sql is None:
        for marks, values in id_batches([s["id"] for s in statements]):
            for row in fetch(connection, "SELECT statement_id, quote FROM statement_quote"
                             f" WHERE statement_id IN ({marks}) ORDER BY statement_id, position",
                             ["statement", "quote"], values):
                quotes[row["statement"]].append(row["quote"])
    else:
        for row in fetch(connection, "SELECT statement_id, quote FROM statement_quote"
                         f" WHERE statement_id IN ({ids_sql}) ORDER BY statement_id, position",
                         ["statement", "quote"], params or {}):
            quotes[row["statement"]].append(row["quote"])
    for statement in statements:
        statement["quotes"] = quotes.get(statement["id"], [])


def _ordered(connection: Connection, sql: str, columns: list[str], *order: str,
             params: dict[str, Any] | None = None) -> list[Row]:
    keys = ", ".join(collate(connection, expr) for expr in order)
    return fetch(connection, f"{sql} ORDER BY {keys}", columns, params)


#: The ids one claim's report starts from: the claim, the claims related to it either way
#: (contest), and the claims giving a figure for the same quantity (figures).
_CLAIM_SCOPE = (
    "SELECT CAST(:scope AS VARCHAR(120))"
    " UNION SELECT other_id FROM claim_relation WHERE claim_id = :scope"
    " UNION SELECT claim_id FROM claim_relation WHERE other_id = :scope"
    " UNION SELECT q.id FROM claim q JOIN claim c ON c.quantity_key = q.quantity_key WHERE c.id = :scope"
)


@dataclass(frozen=True)
class _Scope:
    """What one report reads up front, as SELECTs of ids (``statements`` a WHERE clause on
    ``statement``); an empty scope is the whole database."""

    statements: str = ""
    agents: str = ""
    documents: str = ""
    claims: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def _scope(claim: str | None, document: str | None, speaker: str | None = None) -> _Scope:
    """The statements, agents, documents and claims one report shows.

    A claim's report shows its statements, its related claims' (contest) and those giving a
    figure for the same count; a document's, the statements its reports carry; a speaker's,
    its statements and those it passed on. Each shows the speakers, reporters and documents
    of their reports, and the outlets of those documents.
    """
    if claim is not None:
        where = f"WHERE claim_id IN ({_CLAIM_SCOPE})"
    elif document is not None:
        where = "WHERE id IN (SELECT statement_id FROM report WHERE document_id = :scope)"
    elif speaker is not None:
        where = ("WHERE id IN (SELECT id FROM statement WHERE speaker_id = :scope"
                 " UNION SELECT statement_id FROM report WHERE reporter_id = :scope)")
    else:
        return _Scope()
    statements = f"SELECT id FROM statement {where}"
    documents = f"SELECT document_id FROM report WHERE statement_id IN ({statements})"
    if document is not None:  # the document, the one it republishes, those republishing it
        documents += (" UNION SELECT :scope UNION SELECT republishes_id FROM document WHERE id = :scope"
                      " UNION SELECT id FROM document WHERE republishes_id = :scope")
    agents = (f"SELECT speaker_id FROM statement {where}"
              f" UNION SELECT reporter_id FROM report WHERE statement_id IN ({statements})"
              f" UNION SELECT outlet_id FROM document WHERE id IN ({documents})")
    if speaker is not None:  # the agent, and those it is affiliated with, either way
        agents += (" UNION SELECT :scope UNION SELECT parent_id FROM affiliation WHERE agent_id = :scope"
                   " UNION SELECT agent_id FROM affiliation WHERE parent_id = :scope")
    claims = f"SELECT claim_id FROM statement {where}"
    if claim is not None:
        claims += f" UNION {_CLAIM_SCOPE}"
    return _Scope(where, agents, documents, claims, {"scope": claim or document or speaker})


Finish = Callable[[Connection, list[Row]], None]


class _Rows(dict[str, Any]):
    """Rows by id: every row (``complete``), or those one report needs, read up front, and any
    other asked for read then (a safety net: a report asks only for what its scope holds);
    :meth:`fill` reads many at once."""

    def __init__(self, rows: dict[str, Any], connection: Connection, sql: str, columns: list[str], *,
                 complete: bool, value: str | None = None, finish: Finish | None = None) -> None:
        super().__init__(rows)
        self._read = None if complete else (connection, sql, columns, value)
        self._finish = finish
        self._absent: set[str] = set()

    def fill(self, keys: Iterable[Any]) -> None:
        """Read the rows of ``keys`` not read yet, :data:`~provenance.store.ids.IN_CHUNK` ids a query."""
        if self._read is None:
            return
        wanted = sorted({key for key in keys if isinstance(key, str)} - self.keys() - self._absent)
        connection, sql, columns, value = self._read
        for marks, values in id_batches(wanted):
            chunk = list(values.values())
            rows = fetch(connection, f"{sql} WHERE id IN ({marks})", columns, values)
            if self._finish is not None and rows:
                self._finish(connection, rows)
            for row in rows:
                dict.__setitem__(self, row["id"], row[value] if value else row)
            self._absent.update(key for key in chunk if not dict.__contains__(self, key))

    def _lookup(self, key: str) -> Any:
        if self._read is None or key in self._absent or not isinstance(key, str):
            return None
        self.fill([key])
        return dict.get(self, key)

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


AGENT_SQL = "SELECT id, name, kind, country, description, wikidata, state_media, ownership FROM agent"
AGENT_COLUMNS = ["id", "name", "kind", "country", "description", "wikidata", "state_media", "ownership"]
DOCUMENT_SQL = ("SELECT id, outlet_id, title, url, published, language, sha256, republishes_id,"
                " republishes_url FROM document")
DOCUMENT_COLUMNS = ["id", "outlet", "title", "url", "published", "language", "sha256", "republishes",
                    "republishes_url"]
CLAIM_SQL = "SELECT id, text, quantity_key, value, qualifier, unit, about_date FROM claim"
CLAIM_COLUMNS = ["id", "text", "quantity_key", "value", "qualifier", "unit", "about_date"]
STATEMENT_SQL = (
    "SELECT id, speaker_id, speaker_as_stated, claim_id, stance, cue, mode, quote, said_on,"
    " venue, method, review_status, note, kind, act, about, modality, hedge FROM statement"
)


def _finish_agents(connection: Connection, agents: list[Row]) -> None:
    for agent in agents:
        agent["state_media"] = bool(agent["state_media"])


def _finish_documents(connection: Connection, documents: list[Row], ids_sql: str | None = None,
                      params: dict[str, Any] | None = None) -> None:
    """Each document's ``authors`` and ``copies`` (republications outside the corpus), for the
    documents ``ids_sql`` selects (by default, the ``documents`` given; "": every one)."""
    copies: dict[str, list[Row]] = defaultdict(list)
    authors: dict[str, list[str]] = defaultdict(list)
    batches = (id_batches([d["id"] for d in documents]) if ids_sql is None
               else [(ids_sql, params or {})])
    for marks, values in batches:
        where = f" WHERE document_id IN ({marks})" if marks else ""
        for row in _ordered(connection,
                            f"SELECT document_id, url, outlet_id, published FROM republication{where}",
                            ["document", "url", "outlet", "published"], "document_id", "url", params=values):
            copies[row["document"]].append(row)
        for row in fetch(connection, f"SELECT document_id, name FROM document_author{where}"
                         " ORDER BY position", ["document", "name"], values):
            authors[row["document"]].append(row["name"])
    for document in documents:
        document["authors"] = authors.get(document["id"], [])
        document["copies"] = copies.get(document["id"], [])


def catalog(connection: Connection, claim: str | None = None, document: str | None = None,
            speaker: str | None = None) -> Catalog:
    """Read the catalog: a handful of plain SELECTs. For one claim's, document's or speaker's
    report, only the statements and reports it shows and the agents, documents and claims
    they name (a few, not the whole database; any other is read when asked for)."""
    scope = _scope(claim, document, speaker)
    where, params = scope.statements, scope.params

    def within(ids_sql: str, column: str = "id") -> str:
        return f" WHERE {column} IN ({ids_sql})" if ids_sql else ""

    agents = _ordered(connection, AGENT_SQL + within(scope.agents), AGENT_COLUMNS, "id", params=params)
    _finish_agents(connection, agents)
    aliases: dict[str, list[str]] = defaultdict(list)
    alias_sql = "SELECT agent_id, alias FROM agent_alias" + within(scope.agents, "agent_id")
    for row in _ordered(connection, alias_sql, ["agent", "alias"], "agent_id", "alias", params=params):
        aliases[row["agent"]].append(row["alias"])
    affiliation_sql = "SELECT agent_id, parent_id, relation, role, since, until FROM affiliation"
    if scope.agents:
        affiliation_sql += f" WHERE agent_id IN ({scope.agents}) OR parent_id IN ({scope.agents})"
    affiliations = _ordered(connection, affiliation_sql,
                            ["agent", "parent", "relation", "role", "since", "until"],
                            "agent_id", "parent_id", params=params)
    documents = _ordered(connection, DOCUMENT_SQL + within(scope.documents), DOCUMENT_COLUMNS, "id",
                         params=params)
    _finish_documents(connection, documents, scope.documents, params)
    claims = _ordered(connection, CLAIM_SQL + within(scope.claims), CLAIM_COLUMNS, "id", params=params)
    tags: dict[str, list[str]] = defaultdict(list)
    for row in _ordered(connection, "SELECT claim_id, tag FROM claim_tag" + within(scope.claims, "claim_id"),
                        ["claim", "tag"], "claim_id", "tag", params=params):
        tags[row["claim"]].append(row["tag"])
    statements = _ordered(connection, f"{STATEMENT_SQL} {where}", STATEMENT_COLUMNS, "id", params=params)
    _add_quotes(connection, statements, f"SELECT id FROM statement {where}", params)
    report_sql = "SELECT id, statement_id FROM report"
    if where:
        report_sql += f" WHERE statement_id IN (SELECT id FROM statement {where})"
    reports = _ordered(connection, report_sql, ["id", "statement"], "id", params=params)
    complete = not where

    def rows(found: list[Row], sql: str, columns: list[str], finish: Finish | None = None) -> _Rows:
        return _Rows({row["id"]: row for row in found}, connection, sql, columns, complete=complete,
                     finish=finish)

    return Catalog(
        agents=rows(agents, AGENT_SQL, AGENT_COLUMNS, _finish_agents),
        aliases=dict(aliases),
        affiliations=affiliations,
        documents=rows(documents, DOCUMENT_SQL, DOCUMENT_COLUMNS, _finish_documents),
        claims=rows(claims, CLAIM_SQL, CLAIM_COLUMNS),
        tags=dict(tags),
        statements=rows(statements, STATEMENT_SQL, STATEMENT_COLUMNS, _add_quotes),
        report_statement=_Rows({row["id"]: row["statement"] for row in reports}, connection,
                               report_sql.split(" WHERE ")[0], ["id", "statement"], complete=complete,
                               value="statement"),
        counts={
            "agents": len(agents),
            "documents": len(documents),
            "claims": len(claims),
            "statements": len(statements),
            "reports": len(reports),
        },
    )


def link_ids(connection: Connection) -> tuple[tuple[list[str], list[str], list[str]] | None, list[str]]:
    """What report file names are made unique among (:class:`~provenance.reports.paths.Links`),
    for a report that read only its own ids: every claim, agent and document id — or None when
    every one is a clean slug, its own file name (asked in SQL, without reading the ids) — and
    every quantity key."""
    quantities = [value for (value,) in connection.execute(
        text("SELECT DISTINCT quantity_key FROM claim WHERE quantity_key IS NOT NULL"))]
    reserved = ", ".join(f"'{name}'" for name in sorted(RESERVED))
    if connection.dialect.name == "postgresql":
        unclean = f"id !~ '{SLUG.pattern}' OR strpos(id, '..') > 0"
    else:
        unclean = ("id GLOB '*[^a-z0-9._-]*' OR id NOT GLOB '[a-z0-9]*' OR id NOT GLOB '*[a-z0-9]'"
                   " OR length(id) > 120 OR instr(id, '..') > 0")
    tables = ("claim", "agent", "document")
    if not any(connection.execute(text(
            f"SELECT 1 FROM {table} WHERE {unclean} OR id IN ({reserved}) LIMIT 1")).first()
            for table in tables):
        return None, quantities
    claims, agents, documents = (
        [value for (value,) in connection.execute(text(f"SELECT id FROM {table}"))] for table in tables)
    return (claims, agents, documents), quantities


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
