"""The full-text index over claims, and matching a text to the claims it may express.

On SQLite the index is an FTS5 virtual table, ``claim_fts(claim_id UNINDEXED, text)`` (Porter
stemming, diacritics folded), which the loader keeps in step with ``claim`` in the same
transaction (:func:`update`). On PostgreSQL it is a GIN index on ``to_tsvector('english', text)``
(``ix_claim_text_fts``), which PostgreSQL itself keeps in step.

:func:`match_claims` asks the index for candidates (any of the text's content words, ranked by
BM25 / ``ts_rank``), then scores each by word overlap, fuzzy similarity (``rapidfuzz``) and
agreement of numbers: a claim about 84 dead is not one about 103.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "claim_fts"
PG_INDEX = "ix_claim_text_fts"
CANDIDATES = 60
_STOPWORDS = (
    "a an the of to in on at by for from with and or but is are was were be been being has have "
    "had it its this that these those as not no he she they we i you his her their our there "
    "which who whom what when where why how will would could should may might can did do does "
    "said says say told according than then so such also into over about after before while "
    "because if any all some more most other very just only group its"
)
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


@dataclass(frozen=True)
class ClaimMatch:
    """A claim a text may express, with how well it matches (0 to 1)."""

    id: str
    text: str
    score: float


def create(connection: Connection) -> None:
    """Create the index if it is missing (filling it from the claims already stored)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON claim USING gin (to_tsvector('english', text))"
        ))
        return
    if connection.dialect.name != "sqlite" or _has_fts(connection):
        return
    connection.execute(text(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(claim_id UNINDEXED, text,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    ))
    connection.execute(text(f"INSERT INTO {FTS_TABLE} (claim_id, text) SELECT id, text FROM claim"))


def _has_fts(connection: Connection) -> bool:
    return connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = :n"), {"n": FTS_TABLE}
    ).first() is not None


def update(connection: Connection, written: list[tuple[str, str]], removed: Iterable[str]) -> None:
    """Keep the SQLite index in step with claims just ``written`` (id, text) or ``removed``.

    Call it in the transaction that writes the claims; ``removed`` includes the ids of claims
    rewritten, whose old text leaves the index. PostgreSQL needs nothing.
    """
    if connection.dialect.name != "sqlite" or not _has_fts(connection):
        return
    gone = sorted(set(removed))
    for start in range(0, len(gone), 500):
        chunk = gone[start:start + 500]
        marks = ", ".join(f":k{i}" for i in range(len(chunk)))
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE claim_id IN ({marks})"),
                           {f"k{i}": value for i, value in enumerate(chunk)})
    if written:
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE} (claim_id, text) VALUES (?, ?)",
                                   list(written))


#: Names written two ways in news text: each side also counts as the other's words.
EQUIVALENT = {
    "us": ("united", "states"), "usa": ("united", "states"), "uk": ("united", "kingdom"),
    "isis": ("islamic", "state"), "isil": ("islamic", "state"), "daesh": ("islamic", "state"),
    "un": ("united", "nations"),
}


def content_words(words: str) -> list[str]:
    """The words that carry meaning, lowercased (stopwords dropped), abbreviations spelt out."""
    found: list[str] = []
    for word in _WORD.findall(words.replace(".", "").lower()):
        if word in STOPWORDS and word != "us":
            continue
        found.append(word)
        found.extend(EQUIVALENT.get(word, ()))
    return found


#: Words news text uses for one idea: each is read as the first of its group.
SAME_IDEA = {
    word: group[0]
    for group in (
        ("attack", "attacks", "bombing", "bombings", "blast", "blasts", "explosion", "explosions",
         "bombed", "attacked"),
        ("killed", "dead", "died", "deaths", "death", "kill", "killing", "fatalities"),
        ("injured", "wounded", "injuries", "hurt"),
        ("arrested", "detained", "arrests", "detentions", "held"),
        ("responsible", "behind", "carried", "responsibility", "perpetrated", "conducted"),
        ("involved", "involvement", "role", "blamed", "blame", "blames", "behind"),
        ("bombers", "bomber", "attackers", "attacker", "assailants", "gunmen"),
        ("vests", "vest", "belts"),
        ("seized", "found", "confiscated", "discovered"),
    )
    for word in group
}


def _stem(word: str) -> str:
    word = SAME_IDEA.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _candidates(connection: Connection, words: list[str], limit: int) -> list[tuple[str, str]]:
    if not words:
        return []
    if connection.dialect.name == "postgresql":
        query = " | ".join(dict.fromkeys(words))
        return [tuple(row) for row in connection.execute(text(
            "SELECT id, text FROM claim, to_tsquery('english', :q) query"
            " WHERE to_tsvector('english', text) @@ query"
            " ORDER BY ts_rank(to_tsvector('english', text), query) DESC, id LIMIT :n"
        ), {"q": query, "n": limit})]
    if not _has_fts(connection):
        return [tuple(row) for row in connection.execute(text("SELECT id, text FROM claim"))]
    query = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
    return [tuple(row) for row in connection.execute(text(
        f"SELECT claim_id, text FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
        f" ORDER BY bm25({FTS_TABLE}), claim_id LIMIT :n"
    ), {"q": query, "n": limit})]


def score(query: str, claim: str, context: str = "") -> float:
    """How well ``claim`` matches ``query``, 0 to 1: shared words, fuzzy similarity, numbers.

    ``context`` (words of the document around the query: its place names, its story) counts
    half for the claim's words the query leaves out.
    """
    from rapidfuzz import fuzz

    mine = {_stem(w) for w in content_words(query)}
    theirs = {_stem(w) for w in content_words(claim)}
    if not mine or not theirs:
        return 0.0
    around = {_stem(w) for w in content_words(context)} - mine
    shared = len(mine & theirs)
    similar = fuzz.token_set_ratio(query.lower(), claim.lower()) / 100
    if context:  # a statement in a document: how much of it the claim says, then the reverse
        mine_covered = shared / len(mine)
        theirs_covered = (shared + 0.5 * len(around & theirs)) / len(theirs)
        value = 0.45 * mine_covered + 0.35 * theirs_covered + 0.2 * similar
    else:  # words typed alone: both ways alike
        value = 0.45 * 2 * shared / (len(mine) + len(theirs)) + 0.35 * shared / len(theirs) + (
            0.2 * similar)
    numbers, other = set(_NUMBER.findall(query)), set(_NUMBER.findall(claim))
    if numbers and other:
        value = value + 0.1 if numbers & other else value * 0.5
    return round(min(value, 1.0), 3)


def match_claims(connection: Connection, words: str, limit: int = 5,
                 context: str = "") -> list[ClaimMatch]:
    """The claims ``words`` may express, best first, each with its score (0 to 1).

    Candidates come from the full-text index; scoring is :func:`score` (``context``: words of
    the document around, see there). An empty list when no claim shares a content word with
    ``words``.
    """
    found = _candidates(connection, content_words(words), CANDIDATES)
    ranked = sorted((ClaimMatch(cid, body, score(words, body, context)) for cid, body in found),
                    key=lambda match: (-match.score, match.id))
    return [match for match in ranked if match.score > 0][:limit]
