"""The full-text index over claims, and matching a text to the claims it may express.

On SQLite the index is an FTS5 virtual table, ``claim_fts(claim_id UNINDEXED, words)`` holding
each claim's content words stemmed (:func:`index_words`; diacritics folded), with an
``fts5vocab`` table ``claim_fts_terms`` over it (how many claims hold each term, so a query
reads the rare terms' lists rather than "killed"'s); the loader keeps it in step with ``claim``
in the same transaction (:func:`update`). On PostgreSQL it is a GIN index on ``to_tsvector('english', text)``
(``ix_claim_text_fts``), which PostgreSQL itself keeps in step.

:func:`match_claims` asks the index for candidates (any of the text's content words, ranked by
BM25 / ``ts_rank``), then scores each by word overlap, fuzzy similarity (``rapidfuzz``) and
agreement of numbers: a claim about 84 dead is not one about 103.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.engine import Connection

from provenance.store.ids import id_batches

FTS_TABLE = "claim_fts"
TERMS_TABLE = "claim_fts_terms"
COMMON_TERM = 2000  # a term in more claims than this is left out of the query when rarer ones exist
MAX_TERMS = 12
RARE_FALLBACK = 2
PG_INDEX = "ix_claim_text_fts"
CANDIDATES = 30
_STOPWORDS = (
    "a an the of to in on at by for from with and or but is are was were be been being has have "
    "had it its this that these those as not no he she they we i you his her their our there "
    "which who whom what when where why how will would could should may might can did do does "
    "said says say told according than then so such also into over about after before while "
    "because if any all some more most other very just only group its"
)
STOPWORDS = frozenset(_STOPWORDS.split())
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class ClaimMatch:
    """A claim a text may express (or be about), with how well it matches: 0 to 1, whoever
    scored it (this module's :func:`score`, or the fact-check matcher of
    :mod:`provenance.export.matching`, which shows it as a percentage)."""

    id: str
    text: str
    score: float


def numbers(words: str) -> set[str]:
    """The numbers written in ``words``, thousands separators dropped: "1,200" and "1200" agree
    ("84 killed" and "89 killed" do not)."""
    return {number.replace(",", "") for number in _NUMBER.findall(words)}


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
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(claim_id UNINDEXED, words,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    ))
    connection.execute(text(f"CREATE VIRTUAL TABLE {TERMS_TABLE} USING fts5vocab({FTS_TABLE}, 'row')"))
    rows = connection.execute(text("SELECT id, text FROM claim")).all()
    update(connection, [(claim_id, body) for claim_id, body in rows], [])


def _has_fts(connection: Connection) -> bool:
    return connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = :n"), {"n": FTS_TABLE}
    ).first() is not None


def index_words(body: str) -> str:
    """What the SQLite index holds of a claim: its content words, stemmed, once each."""
    return " ".join(dict.fromkeys(_stem(w) for w in content_words(body)))


def update(connection: Connection, written: list[tuple[str, str]], removed: Iterable[str]) -> None:
    """Keep the SQLite index in step with claims just ``written`` (id, text) or ``removed``.

    Call it in the transaction that writes the claims; ``removed`` includes the ids of claims
    rewritten, whose old text leaves the index. PostgreSQL needs nothing.
    """
    if connection.dialect.name != "sqlite" or not _has_fts(connection):
        return
    for marks, values in id_batches(sorted(set(removed))):
        connection.execute(text(f"DELETE FROM {FTS_TABLE} WHERE claim_id IN ({marks})"), values)
    if written:
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE} (claim_id, words) VALUES (?, ?)",
                                   [(claim_id, index_words(body)) for claim_id, body in written])


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


def stem(word: str) -> str:
    """The form the index holds of one lowercased word (its idea's first word, suffix cut)."""
    return _stem(word)


def _candidates(connection: Connection, words: list[str], limit: int,
                counts: dict[str, int]) -> list[tuple[str, str]]:
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
    terms, joiner = _rarest(connection, list(dict.fromkeys(_stem(w) for w in words)), counts)
    if not terms:
        return []
    query = joiner.join(f'"{term}"' for term in terms)
    return [tuple(row) for row in connection.exec_driver_sql(
        f"SELECT c.id, c.text FROM (SELECT claim_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        f" ORDER BY bm25({FTS_TABLE}) LIMIT ?) found JOIN claim c ON c.id = found.claim_id",
        (query, limit))]


def _rarest(connection: Connection, terms: list[str], known: dict[str, int]) -> tuple[list[str], str]:
    """The query's terms to look up, and how to join them (" OR ", or " AND " when all are common).

    The rarest terms the index holds, while the claims holding them stay few: ranking every
    claim that shares "killed" with the query would read most of them. When every term is
    common, claims must hold the two rarest together; a single common term finds nothing.
    """
    counts = []
    for term in terms:
        if term not in known:
            found = connection.exec_driver_sql(f"SELECT doc FROM {TERMS_TABLE} WHERE term = ?",
                                               (term,)).first()
            known[term] = found[0] if found else 0
        if known[term]:
            counts.append((known[term], term))
    counts.sort()
    chosen, total = [], 0
    for count, term in counts[:MAX_TERMS]:
        if count > COMMON_TERM or (chosen and total + count > COMMON_TERM * 2):
            break
        chosen.append(term)
        total += count
    if chosen:
        return chosen, " OR "
    if len(counts) < RARE_FALLBACK or counts[0][0] > COMMON_TERM * 5:
        return [], " AND "  # only words most claims hold ("attack", "said"): none in particular
    return [term for _, term in counts[:RARE_FALLBACK]], " AND "


@lru_cache(maxsize=50_000)
def _stems(words: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(words))


def score(query: str, claim: str, context: str = "") -> float:
    """How well ``claim`` matches ``query``, 0 to 1: shared words, fuzzy similarity, numbers.

    ``context`` (words of the document around the query: its place names, its story) counts
    half for the claim's words the query leaves out.
    """
    from rapidfuzz import fuzz

    mine, theirs = _stems(query), _stems(claim)
    if not mine or not theirs:
        return 0.0
    around = _stems(context) - mine
    shared = len(mine & theirs)
    similar = fuzz.token_set_ratio(query.lower(), claim.lower()) / 100
    if context:  # a statement in a document: how much of it the claim says, then the reverse
        mine_covered = shared / len(mine)
        theirs_covered = (shared + 0.5 * len(around & theirs)) / len(theirs)
        value = 0.45 * mine_covered + 0.35 * theirs_covered + 0.2 * similar
    else:  # words typed alone: both ways alike
        value = 0.45 * 2 * shared / (len(mine) + len(theirs)) + 0.35 * shared / len(theirs) + (
            0.2 * similar)
    given, other = numbers(query), numbers(claim)
    if given and other:
        value = value + 0.1 if given & other else value * 0.5
    return round(min(value, 1.0), 3)


def match_claims(connection: Connection, words: str, limit: int = 5, context: str = "",
                 term_counts: dict[str, int] | None = None) -> list[ClaimMatch]:
    """The claims ``words`` may express, best first, each with its score (0 to 1).

    Candidates come from the full-text index; scoring is :func:`score` (``context``: words of
    the document around, see there). An empty list when no claim shares a content word with
    ``words``. ``term_counts`` keeps how many claims hold each term across calls (a caller
    matching many texts against an unchanging database passes the same dict).
    """
    counts = {} if term_counts is None else term_counts
    found = _candidates(connection, content_words(words), CANDIDATES, counts)
    ranked = sorted((ClaimMatch(cid, body, score(words, body, context)) for cid, body in found),
                    key=lambda match: (-match.score, match.id))
    return [match for match in ranked if match.score > 0][:limit]
