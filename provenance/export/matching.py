"""Which claim a piece of text (a fact-checker's wording of a claim) is about.

:func:`match_claims` takes its candidates from the claims' full-text index (the one ``extract``
links statements with, :mod:`provenance.store.claim_index`) and ranks them by fuzzy similarity
of their words — the mean of
rapidfuzz's token-set and token-sort ratios on folded text (case, accents, punctuation and
"U.S."/"US" do not matter), so a wording that only shares a few words with a long claim does not
score high — less a penalty when the figures disagree ("84 killed" is not "89 killed"). The
candidates are :class:`~provenance.store.claim_index.ClaimMatch` es, scored 0 to 1 like the
index's; verdicts show and store the score as a percentage (:func:`percent`). A match is
confident when the best percentage reaches :data:`THRESHOLD` and beats the next by
:data:`MARGIN`.
"""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection

from provenance.names import normalize
from provenance.store.claim_index import ClaimMatch, numbers
from provenance.store.claim_index import match_claims as match_indexed

THRESHOLD = 85.0
MARGIN = 3.0
NUMBER_PENALTY = 25.0
LIMIT = 5
SHORTLIST = 200


def percent(match: ClaimMatch) -> float:
    """The match's score as verdicts show and store it: 0 to 100, one decimal."""
    return round(match.score * 100, 1)


def _numbers(text: str, value: float | None = None) -> set[str]:
    found = numbers(text)
    if value is not None:
        found.add(str(int(value)) if float(value).is_integer() else f"{value:g}")
    return found


class ClaimMatcher:
    """Matches many texts against the claims of one database (the index's term counts kept
    across texts)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.term_counts: dict[str, int] = {}

    def match(self, text: str, limit: int = LIMIT) -> list[ClaimMatch]:
        """The best ``limit`` claims for ``text``, best first (ties by claim id)."""
        from rapidfuzz import fuzz

        folded = normalize(text)
        wanted = _numbers(text)
        # The shortlist comes from the claims' full-text index (the one extract links with);
        # the full score is computed on it.
        shortlist = match_indexed(self.connection, text, SHORTLIST, term_counts=self.term_counts)
        values = self._values([match.id for match in shortlist])
        scored = []
        for match in shortlist:
            candidate, numbers = normalize(match.text), _numbers(match.text, values.get(match.id))
            score = (fuzz.token_set_ratio(folded, candidate) + fuzz.token_sort_ratio(folded, candidate)) / 2
            if wanted and numbers and not wanted & numbers:
                score -= NUMBER_PENALTY
            elif bool(wanted) != bool(numbers):
                score -= NUMBER_PENALTY / 2
            scored.append(ClaimMatch(match.id, match.text, round(max(score, 0.0), 1) / 100))
        scored.sort(key=lambda c: (-c.score, c.id))
        return scored[:limit]

    def _values(self, ids: list[str]) -> dict[str, float | None]:
        """The numeric values of the shortlisted claims, in one query."""
        if not ids:
            return {}
        query = sql("SELECT id, value FROM claim WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True))
        return dict(self.connection.execute(query, {"ids": ids}).all())


def match_claims(connection: Connection, text: str) -> list[ClaimMatch]:
    """The claims that ``text`` may be about, best first, with scores (0 to 1)."""
    return ClaimMatcher(connection).match(text)


def confident(candidates: list[ClaimMatch]) -> ClaimMatch | None:
    """The best candidate when it is a confident match (see the module's docstring)."""
    if not candidates or percent(candidates[0]) < THRESHOLD:
        return None
    if len(candidates) > 1 and percent(candidates[0]) - percent(candidates[1]) < MARGIN:
        return None
    return candidates[0]
