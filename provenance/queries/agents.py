"""By speaker: who is in the database, and everything one agent (or its whole tree) said.

``speakers`` columns: agent, name, kind, statements (made), reports (passed on as reporter).

``speaker`` columns, one row per statement and chain (a report in a document, or a report that
nobody cites): statement, [speaker, through — with ``rollup``], claim, stance, cue, quote,
said_on, reporter, document, published, chain ("first-hand", or "via Mehr News Agency" naming
the reporters behind this one, innermost last). A statement nobody reported has one row with
the report columns empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


def speaker(connection: Connection, agent: AgentRef, *, rollup: bool = False) -> Answer:
    """Every statement by ``agent`` (and, with ``rollup``, by everyone affiliated to it,
    transitively) with every document it reached and the chain it came through."""
    if rollup:
        ctes = member_ctes() + ","
        said_by, said_where = "JOIN members m ON m.agent_id = s.speaker_id", "1 = 1"
        extra = "m.depth, m.through,"
        extra_select = "x.speaker, NULLIF(x.through, ''),"
        first_order = f"x.depth, {collate(connection, 'x.through')}, {collate(connection, 'x.speaker')},"
        columns = ROLLUP_COLUMNS
    else:
        ctes = extra = extra_select = first_order = ""
        said_by, said_where = "", "s.speaker_id = :root"
        columns = SPEAKER_COLUMNS
    speakers_sql = "SELECT agent_id FROM members" if rollup else "SELECT :root"
    starts = (
        "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
        f" WHERE rs.speaker_id IN ({speakers_sql}) AND {CHAIN_STARTS}"
    )
    # Driven from the chains (joined to their statements by key), then the statements no chain
    # starts from: a LEFT JOIN from every statement onto the chains is planned, on PostgreSQL,
    # as a nested loop reading all chains once per statement (it expects a handful of chains).
    sql = f"""
WITH RECURSIVE {ctes} {chain_ctes(starts)},
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

    def notes() -> list[str]:
        who = f"{agent} and everyone affiliated to it" if rollup else str(agent)
        return [f"{who}: {count(len(statements), 'statement')},"
                f" reported in {count(len(documents), 'document')}"]

    return Answer([*columns, REVIEW], rows(), notes, subject=agent.id)
