"""Which claim a piece of text (a fact-checker's wording of a claim) is about.

:func:`match_claims` takes its candidates from the claims' full-text index (the one ``extract``
links statements with, :mod:`provenance.store.claim_index`) and ranks them by fuzzy similarity
of their words — the mean of
rapidfuzz's token-set and token-sort ratios on folded text (case, accents, punctuation and
"U.S."/"US" do not matter), so a wording that only shares a few words with a long claim does not
score high — less a penalty when the figures disagree ("84 killed" is not "89 killed"). A match
is confident when the best score reaches :data:`THRESHOLD` and beats the next by
:data:`MARGIN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

from provenance.names import normalize

THRESHOLD = 85.0
MARGIN = 3.0
NUMBER_PENALTY = 25.0
LIMIT = 5
SHORTLIST = 200
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Candidate:
    """A claim and how well it matches (0-100)."""

    claim_id: str
    text: str
    score: float


def _numbers(text: str, value: float | None = None) -> set[str]:
    found = {number.replace(",", "") for number in _NUMBER.findall(text)}
    if value is not None:
        found.add(str(int(value)) if float(value).is_integer() else f"{value:g}")
    return found


class ClaimMatcher:
    """The claims of a database, read once, to match many texts against."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.term_counts: dict[str, int] = {}
        rows = connection.execute(sql("SELECT id, text, value FROM claim ORDER BY id")).all()
        self.position = {row[0]: index for index, row in enumerate(rows)}
        self.claims = [(row[0], row[1]) for row in rows]
        self.folded = [normalize(row[1]) for row in rows]
        self.numbers = [_numbers(row[1], row[2]) for row in rows]

    def match(self, text: str, limit: int = LIMIT) -> list[Candidate]:
        """The best ``limit`` claims for ``text``, best first (ties by claim id)."""
        from rapidfuzz import fuzz

        from provenance.store.claim_index import match_claims as indexed

        folded = normalize(text)
        wanted = _numbers(text)
        # The shortlist comes from the claims' full-text index (the one extract links with);
        # the full score is computed on it.
        shortlist = indexed(self.connection, text, SHORTLIST, term_counts=self.term_counts)
        scored = []
        for index in (self.position[match.id] for match in shortlist if match.id in self.position):
            candidate, numbers = self.folded[index], self.numbers[index]
            score = (fuzz.token_set_ratio(folded, candidate) + fuzz.token_sort_ratio(folded, candidate)) / 2
            if wanted and numbers and not wanted & numbers:
                score -= NUMBER_PENALTY
            elif bool(wanted) != bool(numbers):
                score -= NUMBER_PENALTY / 2
            claim_id, claim_text = self.claims[index]
            scored.append(Candidate(claim_id, claim_text, round(max(score, 0.0), 1)))
        scored.sort(key=lambda c: (-c.score, c.claim_id))
        return scored[:limit]


def match_claims(connection: Connection, text: str) -> list[Candidate]:
    """The claims that ``text`` may be about, best first, with scores (0-100)."""
    return ClaimMatcher(connection).match(text)


def confident(candidates: list[Candidate]) -> Candidate | None:
    """The best candidate when it is a confident match (see the module's docstring)."""
    if not candidates or candidates[0].score < THRESHOLD:
        return None
    if len(candidates) > 1 and candidates[0].score - candidates[1].score < MARGIN:
        return None
    return candidates[0]
