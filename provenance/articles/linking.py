"""Which claim it is: a drafted statement's words matched to the claims the database holds.

A denial is matched in its positive form ("the United States was not involved" is a denial of
"the United States was involved"); a count becomes a numeric claim ("at least 84 people were
killed": quantity ``<story>-killed``, value 84, qualifier ``at_least``), linked to the known
claim with the same quantity, value and qualifier when there is one; "revised from 103 to 95 to
84" gives three figures. Text goes through the claims' full-text index
(:func:`provenance.store.claim_index.match_claims`): a confident, clear winner is linked (its
score in the statement's note); otherwise a new claim is proposed and the best candidates are
listed for the reviewer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, text

from provenance.store.claim_index import STOPWORDS, ClaimMatch, content_words, match_claims, stem

LINK_SCORE = 0.50
LINK_MARGIN = 0.03
MEASURES = {
    "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed", "death": "killed",
    "lives": "killed", "perished": "killed", "fatalities": "killed", "injured": "injured",
    "wounded": "injured", "hurt": "injured",
    "injuries": "injured", "arrested": "arrested", "detained": "arrested", "arrests": "arrested",
}
QUALIFIERS = {
    "at least": "at_least", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "about": "about", "around": "about", "some": "about", "approximately": "about",
    "roughly": "about", "an estimated": "about", "more than": "more_than", "over": "more_than",
    "up to": "at_most", "as many as": "at_most", "fewer than": "less_than", "less than": "less_than",
}
_QUAL = "|".join(sorted(QUALIFIERS, key=len, reverse=True))
_MEASURE = "|".join(MEASURES)
_WORD_NUMBERS = {
    word: value for value, word in enumerate([
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        "twenty"])
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUM = rf"\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{'|'.join(_WORD_NUMBERS)})(?=\s)"
_COUNT = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?(?<!\bno\s)\b(?P<num>{_NUM})\s+(?:people|persons|civilians|"
    rf"others|individuals|suspects|men|women|children|victims)?\s*(?:(?:were|have been|had been|"
    rf"was|are|being|who were|who had been|have|has|had)\s+)?(?:(?:confirmed|reported|reportedly|"
    rf"feared|said|believed)\s+)?(?:to have\s+(?:been\s+)?)?(?P<measure>{_MEASURE})\b", re.I)
# A toll's figure comes right after it ("a toll of 84") or after a verb of change ("the death toll
# … has risen to 33"); never any number later in the sentence ("… while authorities performed
# the autopsy of 82 people" is not a toll).
_TOLL = re.compile(
    rf"(?:(?P<measure>death|casualty|injury|arrest)\s+)?toll\b(?:\s+(?:of|at|is|was|stands at|stood at"
    rf"|reached|hit)\s+|[^.;]{{0,120}}?\b(?:rose|risen|rises|rising|climbed|climbs|increased|jumped|"
    rf"raised|revised|grew|reached|reaches|lowered|down)\s+(?:to\s+)?)(?:(?P<qual>{_QUAL})\s+)?(?P<num>\d[\d,]*)\b",
    re.I)
# Words that name a kind of event, not which one: a quantity key's story is told by its other words.
_EVENT_WORDS = {
    "attack", "attacks", "bombing", "bombings", "blast", "blasts", "explosion", "explosions", "shooting",
    "strike", "strikes", "war", "crash", "fire", "flood", "floods", "earthquake", "quake", "storm",
    "protest", "protests", "riot", "riots", "siege", "raid", "massacre", "killed", "injured", "arrested",
}
_TOLL_NAMED = re.compile(r"(?:\b(?P<measure>death|casualty|injury|arrest)\s+)?\btoll\b", re.I)
_REVISED = re.compile(r"\bfrom\s+(\d[\d,]*)((?:\s*,?\s*(?:to|and then to|then to)\s+\d[\d,]*)+)", re.I)
_BACKGROUND = re.compile(
    r",?\s*\b(?:(?:that|which|who)\s+(?:has\s+|had\s+|have\s+)?(?:was\s+|were\s+|been\s+)?"
    r"(?:killed|left|wounded|injured|claimed\s+the\s+lives\s+of|rocked|struck|hit)"
    r"|resulting\s+in|killing|leaving|wounding|injuring)\b[^,.;:“”\"]*", re.I)
_DENIED = re.compile(r"^(?:any |the )?(?:suggestions?|claims?|reports?|allegations?|accusations?)"
                     r" (?:that )?", re.I)
_NEGATION = [
    (re.compile(r"\b(?:there (?:is|was) )?no (?:indication|evidence|sign|proof) (?:that|of)\s+", re.I), ""),
    (re.compile(r"\b(?:we |they |i )?(?:have |had |has |see |saw )?no reason to (?:believe|think|suspect)"
                r" (?:that )?", re.I), ""),
    (re.compile(r"\b(was|were|is|are|had|has|have|did|does|do)\s+not\b\s*", re.I), r"\1 "),
    (re.compile(r"\b(was|were|is|are|had|has|have|did|does|do)n[’']t\b\s*", re.I), r"\1 "),
    (re.compile(r"\bhad no (role|part|involvement|hand)\b", re.I), r"had a \1"),
    (re.compile(r"\bnever\s+", re.I), ""),
]


CANDIDATES = 10
MAX_LINKS = 3  # claims one statement may be linked to at once
SAME_IDEAS = 0.6  # words two claims share (of all their words, names aside) to say the same thing
ENTITY_SHARED = 0.12  # per actor both name (two at most)
ENTITY_MISSING = 0.15  # per actor the claim names and the statement does not
CLAIM_IDEAS = 0.5  # of a claim's words (names aside), those a statement saying one of them must say
UNSUPPORTED = 0.5  # the score kept by a claim whose words the statement mostly does not say
#: One actor, several names: a country's demonym and capital, a group's acronyms.
SAME_ACTOR = {
    **dict.fromkeys(("us", "usa", "america", "american", "americans", "washington"), "united states"),
    **dict.fromkeys(("israel", "israeli", "israelis", "zionist", "zionists"), "israel"),
    **dict.fromkeys(("isis", "isil", "daesh", "is", "da’esh", "da'esh"), "islamic state"),
    **dict.fromkeys(("iran", "iranian", "iranians", "tehran"), "iran"),
    **dict.fromkeys(("russia", "russian", "russians", "moscow", "kremlin"), "russia"),
    **dict.fromkeys(("ukraine", "ukrainian", "ukrainians", "kyiv"), "ukraine"),
}
_PHRASES = [(re.compile(r"\bUnited States\b|\bU\.S\.(?=\W|$)|\bU\.S\b"), "US"),
            (re.compile(r"\bIslamic State\b"), "ISIS")]
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*")
_NOT_ACTORS = frozenset(STOPWORDS | {
    "two", "three", "four", "five", "one", "several", "people", "mr", "mrs", "ms", "dr", "gen",
    "general", "president", "minister", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "make", "we", "our"})


@lru_cache(maxsize=50_000)
def actors(words: str) -> frozenset[str]:
    """The named actors and places in ``words``: capitalised words, one name per actor."""
    for pattern, replacement in _PHRASES:
        words = pattern.sub(replacement, words)
    found = set()
    for word in _CAPITALISED.findall(words):
        bare = re.sub(r"[’']s$", "", word).lower()
        if bare not in _NOT_ACTORS and (bare != "is" or word == "IS"):
            found.add(SAME_ACTOR.get(bare, bare))
    return frozenset(found)


@lru_cache(maxsize=50_000)
def ideas(words: str) -> frozenset[str]:
    """The stemmed content words of ``words`` that are not names ("backed", "responsible")."""
    for pattern, replacement in _PHRASES:
        words = pattern.sub(replacement, words)
    return frozenset(stem(word) for word in content_words(_CAPITALISED.sub(" ", words)))


def _parallel(one: ClaimMatch, other: ClaimMatch, named: frozenset[str]) -> bool:
    """Whether two claims say the same thing of different actors, each of them in ``named``."""
    mine, theirs = actors(one.text), actors(other.text)
    if not (mine - theirs and theirs - mine and (mine ^ theirs) <= named):
        return False
    said, also = ideas(one.text), ideas(other.text)
    return len(said & also) >= SAME_IDEAS * len(said | also)


def agreeing(words: str, candidates: list[ClaimMatch], around: frozenset[str] = frozenset(),
             speaker: frozenset[str] = frozenset()) -> list[ClaimMatch]:
    """``candidates`` re-scored by the actors they and ``words`` name, best first.

    A claim naming the statement's actors gains ("the United States was not involved": the
    claim about the United States, not the one about Israel); one naming an actor that neither
    the statement, its ``speaker`` nor its document (``around``: its actors) names loses; one whose own words
    (names aside) the statement does not say, or only one of several, keeps half its score.
    """
    mine, said = actors(words) | speaker, ideas(words)
    rescored = []
    for match in candidates:
        named = actors(match.text)
        shared, missing = named & mine, named - mine - around
        value = match.score + ENTITY_SHARED * min(len(shared), 2) - ENTITY_MISSING * len(missing)
        claimed = ideas(match.text)
        common = len(said & claimed)
        if common == 0 or common == 1 and common < CLAIM_IDEAS * len(claimed):
            value = match.score * UNSUPPORTED  # the same actors, not what the claim says of them
        rescored.append(ClaimMatch(match.id, match.text, round(max(0.0, min(value, 1.0)), 3)))
    return sorted(rescored, key=lambda match: (-match.score, match.id))


@dataclass
class Link:
    """A drafted statement's claim: a known one (with its score) or a new one to propose."""

    claim: str
    stance: str
    score: float | None = None
    new_claim: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    figure: bool = False  # a count, drafted as a numeric claim


def background_removed(words: str) -> str:
    """``words`` without the relative clauses that only name the event or a person ("the
    blasts that killed 84 people", "Soleimani, who was killed in a US drone strike"): the
    speaker does not claim them, and their words would link a blame to a death toll."""
    return re.sub(r"\s+", " ", _BACKGROUND.sub("", words)).strip() or words


def positive(words: str) -> tuple[str, bool]:
    """The positive form of a negated sentence, and whether it was negated."""
    changed = words
    for pattern, replacement in _NEGATION:
        changed = pattern.sub(replacement, changed)
    changed = re.sub(r"\s+", " ", changed).strip()
    return changed, changed != words.strip()


def _number(value: str) -> float:
    word = value.lower()
    return float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else float(value.replace(",", ""))


def figures(words: str) -> list[tuple[str, float, str]]:
    """The counts in ``words``: (measure, value, qualifier), in the order the text gives them."""
    found: list[tuple[str, float, str]] = []
    revised = _REVISED.search(words)
    toll = _TOLL_NAMED.search(words)
    if revised and toll:
        values = [revised.group(1), *re.findall(r"\d[\d,]*", revised.group(2))]
        measure = MEASURES.get((toll.group("measure") or "death").lower(), "killed")
        return [(measure, _number(v), "exact") for v in values]
    for match in [*_COUNT.finditer(words), *_TOLL.finditer(words)]:
        measure = MEASURES.get((match.group("measure") or "death").lower(), "killed")
        qualifier = QUALIFIERS.get((match.group("qual") or "").lower(), "exact")
        figure = (measure, _number(match.group("num")), qualifier)
        if figure not in found:
            found.append(figure)
    return found


class ClaimLinker:
    """Links drafted statements to the claims of one database (none: every claim is new)."""

    def __init__(self, engine: Engine | None) -> None:
        self.engine = engine
        self.quantities: dict[tuple[str, float, str], str] = {}
        self.keys: Counter[str] = Counter()
        self.proposed: dict[tuple[str, float, str], str] = {}
        self.context = ""
        self.key_of: dict[str, str] = {}  # numeric claim -> its quantity key
        self.document_id: str | None = None
        self.around: frozenset[str] = frozenset()
        self.connection: Connection | None = None
        self.term_counts: dict[str, int] = {}
        if engine is not None:
            with engine.connect() as connection:
                for claim_id, key, value, qualifier in connection.execute(text(
                    "SELECT id, quantity_key, value, qualifier FROM claim"
                    " WHERE quantity_key IS NOT NULL ORDER BY id"
                )):
                    self.quantities.setdefault((key, float(value), qualifier), claim_id)
                    self.key_of[claim_id] = key
                    self.keys[key] += 1

    def _matches(self, words: str, speaker: frozenset[str] = frozenset()) -> list[ClaimMatch]:
        if self.engine is None:
            return []
        if self.connection is None:
            self.connection = self.engine.connect()
        return agreeing(words, match_claims(self.connection, words, CANDIDATES, self.context,
                                            self.term_counts), self.around, speaker)[:5]

    def close(self) -> None:
        """Give back the connection matching used."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _key(self, measure: str, candidates: list[ClaimMatch]) -> str:
        """The quantity a count belongs to: a known one of the story the document names, else its own.

        A known key such as ``kerman-bombing-killed`` is taken only when the document names its
        story (a proper name of the key, "Kerman", written in the text): a toll from another
        event must not join that timeline. Otherwise the figure gets ``<document>-<measure>``,
        which the reviewer renames to the story's key.
        """
        suffix = f"-{measure}"
        named = [key for key in self.keys if key.endswith(suffix) and self._names_story(key[:-len(suffix)])]
        for match in candidates:
            if self.key_of.get(match.id) in named:
                return self.key_of[match.id]
        keys = [(self.keys[key], key) for key in named]
        if keys:
            return max(keys)[1]
        return f"{self.document_id}-{measure}" if self.document_id else measure

    def _names_story(self, story: str) -> bool:
        return any(word in self.around for word in story.split("-") if word not in _EVENT_WORDS)

    def read(self, document: str, document_id: str | None = None) -> None:
        """Take the story words of the document to link next: its title, its repeated names."""
        lines = document.strip().splitlines()
        names = re.findall(r"\b[A-Z][a-z]{3,}\b", document)
        repeated = sorted({name for name in names if names.count(name) >= 2})
        self.context = " ".join([lines[0] if lines else "", *repeated])
        self.document_id = document_id
        self.around = actors(document)

    def link(self, words: str, stance: str, new_id: str, speaker: str = "") -> list[Link]:
        """The claims a statement of ``words`` makes (one, or one per figure it gives).

        ``speaker`` (as the text names them) counts among the statement's actors: "Daesh
        claimed responsibility" is the claim that the Islamic State carried it out."""
        said_by = actors(speaker)
        counts = figures(words)
        if counts:
            candidates = self._matches(words, said_by)
            return [self._figure(words, stance, f"{new_id}{'' if i == 0 else f'-{i + 1}'}",
                                 figure, candidates) for i, figure in enumerate(counts)]
        words = background_removed(words)
        plain, negated = positive(_DENIED.sub("", words))
        candidates = self._matches(words, said_by)
        tops = self._confident(words, candidates, said_by)
        if negated or stance == "denies":  # a denial is of the positive claim
            found = self._confident(plain, self._matches(plain, said_by), said_by)
            if found and (not tops or tops[0].id == found[0].id or found[0].score >= tops[0].score):
                return [Link(match.id, "denies", match.score, None,
                             [f"denial of {match.id} (score {match.score:.2f})"]) for match in found]
            if not tops:
                stance, words = "denies", plain
        query = words
        if tops:
            return [Link(top.id, stance, top.score, None,
                         [f"claim linked to {top.id} (score {top.score:.2f})"]) for top in tops]
        claim = {"id": new_id, "text": (query or words)[:1000], "tags": ["draft"]}
        notes = ["new claim; closest known: " + ", ".join(
            f"{m.id} ({m.score:.2f})" for m in candidates[:3])] if candidates else []
        return [Link(new_id, stance, None, claim, notes)]

    @staticmethod
    def _confident(words: str, candidates: list[ClaimMatch], speaker: frozenset[str]) -> list[ClaimMatch]:
        """The first candidate when it is good enough and clearly ahead of any rival saying
        something else; with it, the claims that say the same of another actor the statement
        also names ("the U.S. and Israel were behind it": the claim about each). Else none."""
        if not candidates or candidates[0].score < LINK_SCORE:
            return []
        top, mine = candidates[0], actors(words) | speaker
        chosen = [top]
        for match in candidates[1:]:
            if match.score < LINK_SCORE:
                break
            if _parallel(top, match, mine):
                chosen.append(match)
            elif top.score - match.score < LINK_MARGIN:
                return []  # a close rival saying something else: the reviewer chooses
        return chosen[:MAX_LINKS]

    def _figure(self, words: str, stance: str, new_id: str, figure: tuple[str, float, str],
                candidates: list[ClaimMatch]) -> Link:
        measure, value, qualifier = figure
        key = self._key(measure, candidates)
        known = self.quantities.get((key, value, qualifier))
        if known:
            return Link(known, stance, 1.0, None, [f"figure {key} = {value:g} ({qualifier}) is {known}"],
                        figure=True)
        if (key, value, qualifier) in self.proposed:
            return Link(self.proposed[(key, value, qualifier)], stance, figure=True)
        self.proposed[(key, value, qualifier)] = new_id
        shown = f"{qualifier.replace('_', ' ')} " if qualifier != "exact" else ""
        claim = {"id": new_id, "text": f"{shown}{value:g} {measure} ({key})",
                 "tags": ["draft", "figure"],
                 "quantity": {"key": key, "value": value, "qualifier": qualifier, "unit": "people"}}
        notes = [] if key in self.keys else [
            f"figure has no known quantity of a story this document names; {key} is its own key:"
            " rename it to the story's"]
        return Link(new_id, stance, None, claim, notes, figure=True)
