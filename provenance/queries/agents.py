"""By speaker: who is in the database, and everything one agent (or its whole tree) said.

``speakers`` columns: agent, name, kind, statements (made), reports (passed on as reporter).

``speaker`` columns, one row per statement and chain (a report in a document, or a report that
nobody cites): statement, [speaker, through — with ``rollup``], claim, stance, cue, quote,
said_on, reporter, document, published, chain ("first-hand", or "via Mehr News Agency" naming
the reporters behind this one, innermost last). A statement nobody reported has one row with
the report columns empty.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from provenance.queries import Answer, count, fetch
from provenance.queries.chains import (
    CHAIN_STARTS,
    STARTED_CHAINS,
    chain_ctes,
    chain_text,
    collate,
    member_ctes,
)
from provenance.resolve import AgentRef

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
    rows = fetch(connection, sql, SPEAKERS_COLUMNS, {"kind": kind})
    return Answer(SPEAKERS_COLUMNS, rows)


def speaker(connection: Connection, agent: AgentRef, *, rollup: bool = False) -> Answer:
    """Every statement by ``agent`` (and, with ``rollup``, by everyone affiliated to it,
    transitively) with every document it reached and the chain it came through."""
    if rollup:
        speakers_sql = "SELECT agent_id FROM members"
        ctes = member_ctes() + ","
        extra_select = "sp.name AS speaker, NULLIF(m.through, ''),"
        extra_join = "JOIN members m ON m.agent_id = s.speaker_id"
        first_order = f"m.depth, {collate(connection, 'm.through')}, {collate(connection, 'sp.name')},"
        columns = ROLLUP_COLUMNS
    else:
        speakers_sql = "SELECT :root"
        ctes = extra_select = extra_join = first_order = ""
        columns = SPEAKER_COLUMNS
    starts = (
        "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
        f" WHERE rs.speaker_id IN ({speakers_sql}) AND {CHAIN_STARTS}"
    )
    sql = f"""
WITH RECURSIVE {ctes} {chain_ctes(starts)}
SELECT s.id, {extra_select} c.text, s.stance, s.cue, s.quote, s.said_on,
       rep.name, ch.document_id, d.published, {chain_text('ch')}
FROM statement s
JOIN agent sp ON sp.id = s.speaker_id
JOIN claim c ON c.id = s.claim_id
{extra_join}
LEFT JOIN {STARTED_CHAINS} ch ON ch.statement_id = s.id
LEFT JOIN agent rep ON rep.id = ch.reporter_id
LEFT JOIN document d ON d.id = ch.document_id
WHERE s.speaker_id IN ({speakers_sql})
ORDER BY {first_order} s.said_on IS NULL, s.said_on, {collate(connection, 's.id')},
         d.published IS NULL, d.published, {collate(connection, 'ch.start_id')}"""
    rows = fetch(connection, sql, columns, {"root": agent.id})
    statements = len({row["statement"] for row in rows})
    documents = len({row["document"] for row in rows if row["document"]})
    who = f"{agent} and everyone affiliated to it" if rollup else str(agent)
    notes = [f"{who}: {count(statements, 'statement')}, reported in {count(documents, 'document')}"]
    return Answer(columns, rows, notes, subject=agent.id)
