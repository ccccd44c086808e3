"""By speaker: who is in the database, and everything one agent (or its whole tree) said.

``speakers`` columns: agent, name, kind, statements (made), reports (passed on as reporter).

``speaker`` columns, one row per statement and chain (a report in a document, or a report that
nobody cites): statement, [speaker, through — with ``rollup``], claim, stance, cue, quote,
said_on, reporter, document, published, chain ("first-hand", or "via Mehr News Agency" naming
the reporters behind this one, innermost last). A statement nobody reported has one row with
the report columns empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from provenance.queries import REVIEW, Answer, count, marked, stream
from provenance.queries.chains import CHAIN_STARTS, STARTED_CHAINS, chain_text, claim_text, stance_text
from provenance.queries.resolve import AgentRef
from provenance.store.chains import chain_ctes, collate, member_ctes

SPEAKERS_COLUMNS = ["agent", "name", "kind", "statements", "reports"]
SPEAKER_COLUMNS = [
    "statement", "claim", "stance", "cue", "quote", "said_on",
    "reporter", "document", "published", "chain",
]
ROLLUP_COLUMNS = ["statement", "speaker", "through", *SPEAKER_COLUMNS[1:]]

def speakers(connection: Connection, *, kind: str | None = None) -> Answer:
    """Every agent with how many statements it made and how many reports it passed on."""
    where = "WHERE a.kind = :kind" if kind is not None else ""
    sql = f"""
SELECT a.id, a.name, a.kind, COALESCE(s.n, 0) AS statements, COALESCE(r.n, 0) AS reports
FROM agent a
LEFT JOIN (SELECT speaker_id, COUNT(*) AS n FROM statement GROUP BY speaker_id) s
  ON s.speaker_id = a.id
LEFT JOIN (SELECT reporter_id, COUNT(*) AS n FROM report GROUP BY reporter_id) r
  ON r.reporter_id = a.id
{where}
ORDER BY statements DESC, reports DESC, {collate(connection, 'a.id')}"""
    return Answer(SPEAKERS_COLUMNS, stream(connection, sql, SPEAKERS_COLUMNS, {"kind": kind}))


def speaker(connection: Connection, agent: AgentRef, *, rollup: bool = False,
            limit: int | None = None) -> Answer:
    """Every statement by ``agent`` (and, with ``rollup``, by everyone affiliated to it,
    transitively) with every document it reached and the chain it came through.

    ``limit`` (a table's page) keeps the chains of the first ``limit`` statements only: the
    rows are in statement order, each statement giving at least one, so the first ``limit``
    rows are among them, and only their chains are followed. The answer then counts its rows
    and tallies its notes in SQL, without the chains.
    """
    if rollup:
        ctes = member_ctes() + ","
        said_by, said_where = "JOIN members m ON m.agent_id = s.speaker_id", "1 = 1"
        extra = "m.depth, m.through,"
        extra_select = "x.speaker, NULLIF(x.through, ''),"
        first_order = f"x.depth, {collate(connection, 'x.through')}, {collate(connection, 'x.speaker')},"
        page_order = (f"m.depth, {collate(connection, 'm.through')}, {collate(connection, 'sp.name')},"
                      f" s.said_on IS NULL, s.said_on, {collate(connection, 's.id')}")
        columns = ROLLUP_COLUMNS
    else:
        ctes = extra = extra_select = first_order = ""
        page_order = f"s.said_on IS NULL, s.said_on, {collate(connection, 's.id')}"
        said_by, said_where = "", "s.speaker_id = :root"
        columns = SPEAKER_COLUMNS
    speakers_sql = "SELECT agent_id FROM members" if rollup else "SELECT :root"
    page = ""
    if limit:  # the first statements, in the answer's order (an index range for one speaker)
        page = f"""
page AS (
  SELECT s.id FROM statement s JOIN agent sp ON sp.id = s.speaker_id {said_by}
  WHERE {said_where} ORDER BY {page_order} LIMIT {int(limit)}
),"""
        said_where += " AND s.id IN (SELECT id FROM page)"
    starts = (
        "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
        f" WHERE rs.speaker_id IN ({speakers_sql}) AND {CHAIN_STARTS}"
        + (" AND rs.id IN (SELECT id FROM page)" if limit else "")
    )
    # Driven from the chains (joined to their statements by key), then the statements no chain
    # starts from: a LEFT JOIN from every statement onto the chains is planned, on PostgreSQL,
    # as a nested loop reading all chains once per statement (it expects a handful of chains).
    sql = f"""
WITH RECURSIVE {ctes} {page} {chain_ctes(starts)},
said AS (
  SELECT s.id AS statement, sp.name AS speaker, {extra} {claim_text('s', 'c')} AS claim,
         {stance_text('s')} AS stance, s.cue, s.quote,
         s.said_on, rep.name AS reporter, ch.document_id, d.published, {chain_text('ch')} AS chain,
         ch.start_id
  FROM {STARTED_CHAINS} ch
  JOIN statement s ON s.id = ch.statement_id
  JOIN agent sp ON sp.id = s.speaker_id
  LEFT JOIN claim c ON c.id = s.claim_id
  {said_by}
  LEFT JOIN agent rep ON rep.id = ch.reporter_id
  LEFT JOIN document d ON d.id = ch.document_id
  WHERE {said_where}
  UNION ALL
  SELECT s.id, sp.name, {extra} {claim_text('s', 'c')}, {stance_text('s')}, s.cue, s.quote, s.said_on,
         NULL, NULL, NULL, NULL, NULL
  FROM statement s
  JOIN agent sp ON sp.id = s.speaker_id
  LEFT JOIN claim c ON c.id = s.claim_id
  {said_by}
  WHERE {said_where}
    AND NOT EXISTS (SELECT 1 FROM report r WHERE r.statement_id = s.id AND {CHAIN_STARTS})
)
SELECT x.statement, {extra_select} x.claim, x.stance, x.cue, x.quote, x.said_on,
       x.reporter, x.document_id, x.published, x.chain
FROM said x
ORDER BY {first_order} x.said_on IS NULL, x.said_on, {collate(connection, 'x.statement')},
         x.published IS NULL, x.published, {collate(connection, 'x.start_id')}"""
    result = marked(connection, stream(connection, sql, columns, {"root": agent.id}))
    statements: set[str] = set()
    documents: set[str] = set()

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            statements.add(row["statement"])
            if row["document"]:
                documents.add(row["document"])
            yield row

    who = f"{agent} and everyone affiliated to it" if rollup else str(agent)
    if not limit:
        def notes() -> list[str]:
            return [f"{who}: {count(len(statements), 'statement')},"
                    f" reported in {count(len(documents), 'document')}"]

        return Answer([*columns, REVIEW], rows(), notes, subject=agent.id)
    tallies = _tallies(connection, agent, rollup)
    return Answer([*columns, REVIEW], rows(),
                  lambda: [f"{who}: {count(tallies()[1], 'statement')},"
                           f" reported in {count(tallies()[2], 'document')}"],
                  subject=agent.id, count=lambda: tallies()[0])


def _tallies(connection: Connection, agent: AgentRef, rollup: bool) -> Callable[[], tuple[int, int, int]]:
    """The rows of :func:`speaker`'s whole answer (one per chain start, or per statement with
    none), its statements and its documents, counted in SQL without following a chain; read once."""
    members = f"{member_ctes()}," if rollup else ""
    speakers_sql = "SELECT agent_id FROM members" if rollup else "SELECT :root"
    # The statements and their chain starts, materialised once for the three counts.
    sql = f"""
WITH RECURSIVE {members}
said AS MATERIALIZED (SELECT s.id FROM statement s WHERE s.speaker_id IN ({speakers_sql})),
starts AS MATERIALIZED (
  SELECT r.statement_id, r.document_id FROM said x CROSS JOIN report r
  WHERE r.statement_id = x.id AND {CHAIN_STARTS}
)
SELECT (SELECT COUNT(*) FROM starts)
     + (SELECT COUNT(*) FROM said WHERE id NOT IN (SELECT statement_id FROM starts)),
       (SELECT COUNT(*) FROM said),
       (SELECT COUNT(DISTINCT document_id) FROM starts)"""
    found: list[tuple[int, int, int]] = []

    def tallies() -> tuple[int, int, int]:
        if not found:
            rows, statements, documents = connection.execute(text(sql), {"root": agent.id}).one()
            found.append((rows, statements, documents))
        return found[0]

    return tallies
