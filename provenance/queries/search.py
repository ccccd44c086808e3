"""Search: claims, quotes and excerpts containing a text, case-insensitively, on both backends,
each kind ranked by relevance in SQL (the text the search text is the largest part of first);
when no text contains it, the claims the full-text index finds close to it ("related claim").

``search`` columns: found_in ("claim", "quote" or "excerpt"), id (of the claim, statement or
report), claim (id), speaker, document, text (the whole claim, quote or excerpt).
Case is folded with SQL ``lower()``: fully on PostgreSQL, for ASCII letters on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from sqlalchemy.engine import Connection

from provenance.errors import ProvenanceError
from provenance.queries import Answer, stream
from provenance.queries.resolve import like_pattern
from provenance.store.chains import collate
from provenance.store.claim_index import match_claims

SEARCH_COLUMNS = ["found_in", "id", "claim", "speaker", "document", "text"]
#: A claim the full-text index finds this close is shown when no text contains the words.
RELATED_SCORE = 0.6

MATCHES = "lower({0}) LIKE lower(:pattern) ESCAPE '\\'"
#: The longest text searched for: SQLite refuses LIKE patterns over 50,000 bytes.
MAX_NEEDLE = 10_000


def search(connection: Connection, needle: str, *, limit: int | None = None) -> Answer:
    """Every claim text, statement quote (each of a statement's quotes) and report excerpt
    containing ``needle``: claims, then quotes, then excerpts, each kind the most relevant first
    (the text the needle is the largest part of: the shortest), then by id.

    ``limit`` rows at most (a table's page; None: every one), ranked and cut in SQL: a page
    costs one scan of each table, counting the matches on the way (the notes, and
    :meth:`~provenance.queries.Answer.rest`), not the sorting, joining and reading of them all.
    """
    if len(needle) > MAX_NEEDLE:
        raise ProvenanceError(f"the search text is too long ({len(needle):,} characters; the limit"
                              f" is {MAX_NEEDLE:,}): search for a shorter part of it")
    # SQLite's LIKE ignores the case of ASCII letters, as its lower() folds them: the same match
    # without a call of lower() on every text.
    matches = MATCHES if connection.dialect.name != "sqlite" else "{0} LIKE :pattern ESCAPE '\\'"
    cut = f"LIMIT {int(limit)}" if limit else ""
    counted = "COUNT(*) OVER ()" if limit else "NULL"  # every match, counted as the page is cut
    # Each kind is ranked and cut on its own table, and only the rows kept are joined.
    sql = f"""
SELECT found_in, id, claim, speaker, document, text, matches FROM (
  SELECT 'claim' AS found_in, 0 AS kind, c.id AS id, c.id AS claim, NULL AS speaker,
         NULL AS document, c.text AS text, 0 AS position, c.size, c.matches
  FROM (SELECT id, text, length(text) AS size, {counted} AS matches FROM claim
        WHERE {matches.format('text')} ORDER BY size, {collate(connection, 'id')} {cut}) c
  UNION ALL
  SELECT 'quote', 1, s.id, s.claim_id, sp.name, NULL, q.quote, q.position, q.size, q.matches
  FROM (SELECT q.statement_id, q.quote, q.position, length(q.quote) AS size, {counted} AS matches
        FROM statement_quote q JOIN statement qs ON qs.id = q.statement_id
        WHERE {matches.format('q.quote')}
        ORDER BY size, {collate(connection, 'q.statement_id')}, q.position {cut}) q
  JOIN statement s ON s.id = q.statement_id JOIN agent sp ON sp.id = s.speaker_id
  UNION ALL
  SELECT 'excerpt', 2, r.id, s.claim_id, sp.name, r.document_id, r.excerpt, 0, r.size, r.matches
  FROM (SELECT id, statement_id, document_id, excerpt, length(excerpt) AS size, {counted} AS matches
        FROM report WHERE {matches.format('excerpt')}
        ORDER BY size, {collate(connection, 'id')} {cut}) r
  JOIN statement s ON s.id = r.statement_id JOIN agent sp ON sp.id = s.speaker_id
) found
ORDER BY kind, size, {collate(connection, 'id')}, position"""
    found = stream(connection, sql, [*SEARCH_COLUMNS, "matches"], {"pattern": like_pattern(needle)})
    if limit:  # at most a page of each kind: read them now, and the counts with them
        page = list(found)
        total = sum({row["found_in"]: row["matches"] for row in page}.values())
        found = iter(page[:limit])
    first = next(found, None)
    if first is None:
        related = _related_claims(connection, needle)
        return Answer(SEARCH_COLUMNS, related, [f"{len(related)} matches for {needle!r}"], subject=needle)
    seen = [0]

    def rows() -> Iterator[dict[str, Any]]:
        for row in chain([first], found):
            del row["matches"]
            seen[0] += 1
            yield row

    def count() -> int:
        return total if limit else seen[0]

    return Answer(SEARCH_COLUMNS, rows(), lambda: [f"{count()} matches for {needle!r}"], subject=needle,
                  count=count if limit else None)


def _related_claims(connection: Connection, needle: str) -> list[dict]:
    """No text contains ``needle``: the claims the full-text index finds close to it."""
    return [{"found_in": "related claim", "id": match.id, "claim": match.id, "speaker": None,
             "document": None, "text": match.text}
            for match in match_claims(connection, needle, 10) if match.score >= RELATED_SCORE]
