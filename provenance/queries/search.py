"""Search: claims, quotes and excerpts containing a text, case-insensitively, on both backends,
each kind ranked by relevance (:func:`provenance.store.claim_index.score`); when no text contains
it, the claims the full-text index finds close to it ("related claim").

``search`` columns: found_in ("claim", "quote" or "excerpt"), id (of the claim, statement or
report), claim (id), speaker, document, text (the whole claim, quote or excerpt).
Case is folded with SQL ``lower()``: fully on PostgreSQL, for ASCII letters on SQLite.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from provenance.errors import ProvenanceError
from provenance.queries import Answer, fetch
from provenance.queries.resolve import like_pattern
from provenance.store.chains import collate
from provenance.store.claim_index import match_claims, score

SEARCH_COLUMNS = ["found_in", "id", "claim", "speaker", "document", "text"]
#: A claim the full-text index finds this close is shown when no text contains the words.
RELATED_SCORE = 0.6

MATCHES = "lower({0}) LIKE lower(:pattern) ESCAPE '\\'"
#: The longest text searched for: SQLite refuses LIKE patterns over 50,000 bytes.
MAX_NEEDLE = 10_000


def search(connection: Connection, needle: str) -> Answer:
    """Every claim text, statement quote (each of a statement's quotes) and report excerpt
    containing ``needle``."""
    if len(needle) > MAX_NEEDLE:
        raise ProvenanceError(f"the search text is too long ({len(needle):,} characters; the limit"
                              f" is {MAX_NEEDLE:,}): search for a shorter part of it")
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
    rows = _by_relevance(needle, rows) if rows else _related_claims(connection, needle)
    return Answer(SEARCH_COLUMNS, rows, [f"{len(rows)} matches for {needle!r}"], subject=needle)


def _by_relevance(needle: str, rows: list[dict]) -> list[dict]:
    """Claims, then quotes, then excerpts, each kind best match first (then by id)."""
    kinds = {"claim": 0, "quote": 1, "excerpt": 2}
    return sorted(rows, key=lambda row: (kinds[row["found_in"]], -score(needle, row["text"] or "")))


def _related_claims(connection: Connection, needle: str) -> list[dict]:
    """No text contains ``needle``: the claims the full-text index finds close to it."""
    return [{"found_in": "related claim", "id": match.id, "claim": match.id, "speaker": None,
             "document": None, "text": match.text}
            for match in match_claims(connection, needle, 10) if match.score >= RELATED_SCORE]
