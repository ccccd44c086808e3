"""Search: claims, quotes and excerpts containing a text, case-insensitively, on both backends.

``search`` columns: found_in ("claim", "quote" or "excerpt"), id (of the claim, statement or
report), claim (id), speaker, document, text (the whole claim, quote or excerpt).
Case is folded with SQL ``lower()``: fully on PostgreSQL, for ASCII letters on SQLite.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from provenance.queries import Answer, fetch
from provenance.queries.chains import collate
from provenance.queries.resolve import like_pattern

SEARCH_COLUMNS = ["found_in", "id", "claim", "speaker", "document", "text"]

MATCHES = "lower({0}) LIKE lower(:pattern) ESCAPE '\\'"


def search(connection: Connection, needle: str) -> Answer:
    """Every claim text, statement quote (each of a statement's quotes) and report excerpt
    containing ``needle``."""
    sql = f"""
SELECT found_in, id, claim, speaker, document, text FROM (
  SELECT 'claim' AS found_in, 0 AS rank, c.id AS id, c.id AS claim, NULL AS speaker,
         NULL AS document, c.text AS text, 0 AS position
  FROM claim c WHERE {MATCHES.format('c.text')}
  UNION ALL
  SELECT 'quote', 1, s.id, s.claim_id, sp.name, NULL, q.quote, q.position
  FROM statement_quote q JOIN statement s ON s.id = q.statement_id
  JOIN agent sp ON sp.id = s.speaker_id WHERE {MATCHES.format('q.quote')}
  UNION ALL
  SELECT 'excerpt', 2, r.id, s.claim_id, sp.name, r.document_id, r.excerpt, 0
  FROM report r JOIN statement s ON s.id = r.statement_id JOIN agent sp ON sp.id = s.speaker_id
  WHERE {MATCHES.format('r.excerpt')}
) found
ORDER BY rank, {collate(connection, 'id')}, position"""
    rows = fetch(connection, sql, SEARCH_COLUMNS, {"pattern": like_pattern(needle)})
    return Answer(SEARCH_COLUMNS, rows, [f"{len(rows)} matches for {needle!r}"], subject=needle)
