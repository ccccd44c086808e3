"""Search: claims, quotes and excerpts containing a text, case-insensitively, on both backends.

``search`` columns: found_in ("claim", "quote" or "excerpt"), id (of the claim, statement or
report), claim (id), speaker, document, text (the whole claim, quote or excerpt).
Case is folded with SQL ``lower()``: fully on PostgreSQL, for ASCII letters on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

from provenance.errors import ProvenanceError
from provenance.queries import Answer, stream
from provenance.queries.resolve import like_pattern
from provenance.store.chains import collate

SEARCH_COLUMNS = ["found_in", "id", "claim", "speaker", "document", "text"]

MATCHES = "lower({0}) LIKE lower(:pattern) ESCAPE '\\'"
#: The longest text searched for: SQLite refuses LIKE patterns over 50,000 bytes.
MAX_NEEDLE = 10_000


def search(connection: Connection, needle: str) -> Answer:
    """Every claim text, statement quote and report excerpt containing ``needle``."""
    if len(needle) > MAX_NEEDLE:
        raise ProvenanceError(f"the search text is too long ({len(needle):,} characters; the limit"
                              f" is {MAX_NEEDLE:,}): search for a shorter part of it")
    sql = f"""
SELECT found_in, id, claim, speaker, document, text FROM (
  SELECT 'claim' AS found_in, 0 AS rank, c.id AS id, c.id AS claim, NULL AS speaker,
         NULL AS document, c.text AS text
  FROM claim c WHERE {MATCHES.format('c.text')}
  UNION ALL
  SELECT 'quote', 1, s.id, s.claim_id, sp.name, NULL, s.quote
  FROM statement s JOIN agent sp ON sp.id = s.speaker_id WHERE {MATCHES.format('s.quote')}
  UNION ALL
  SELECT 'excerpt', 2, r.id, s.claim_id, sp.name, r.document_id, r.excerpt
  FROM report r JOIN statement s ON s.id = r.statement_id JOIN agent sp ON sp.id = s.speaker_id
  WHERE {MATCHES.format('r.excerpt')}
) found
ORDER BY rank, {collate(connection, 'id')}"""
    result = stream(connection, sql, SEARCH_COLUMNS, {"pattern": like_pattern(needle)})
    found = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal found
        for row in result:
            found += 1
            yield row

    return Answer(SEARCH_COLUMNS, rows(), lambda: [f"{found} matches for {needle!r}"], subject=needle)
