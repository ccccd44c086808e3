"""Attributions around a cue verb: "X said Y", "Y, X said", "Y, said X", "X told Z Y"."""

from __future__ import annotations

import re

from provenance.articles.extraction import build as b
from provenance.articles.extraction import phrases as ph
from provenance.articles.extraction.lexicon import (
    FORM_TO_LEMMA,
    INFINITIVE_VERBS,
    NEEDS_PARTICLE,
    NOT_SUBJECT_END,
    OTHER_VERBS,
    PARTICLES,
)
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution

Range = tuple[int, int]
CLOSERS = (",", "”", '"', "—", "–", "―")
PASSIVE_BEFORE = re.compile(r"\b(?:is|was|were|be|been|being|are|so|-)\s*$", re.IGNORECASE)
VIA_HINT = re.compile(r"[A-Z]|agency|news|paper|outlet|television|radio|network")
PREV_WORD_RE = re.compile(r"([\w’']+)[^\w’']*$")
TELL_OBJECT_END = re.compile(r"\bthat\b|[,:“\"]|\b(?:on|in|at|last|during|about)\b")
AS_BEFORE = re.compile(r",\s*as$", re.IGNORECASE)
MAX_SUBJECT_WORDS = 25
LONG_WORD_RE = re.compile(r"[A-Za-z][\w’'-]{3,}")


def title_cased(text: str, sent: Sentence) -> bool:
    """A headline: most words of four letters or more in the paragraph are capitalized."""
    long_words = LONG_WORD_RE.findall(text, *sent.paragraph)
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


def _cue_span(text: str, sent: Sentence, m: re.Match[str]) -> tuple[str, Range] | None:
    """The lemma and cue span (with particle), or None for a noun/infinitive/passive reading."""
    lemma = FORM_TO_LEMMA[m.group(1).lower()]
    cue_s, cue_e = m.span(1)
    if lemma in PARTICLES:
        pm = re.compile(PARTICLES[lemma], re.IGNORECASE).match(text, cue_e)
        if pm:
            cue_e = pm.end()
        elif lemma in NEEDS_PARTICLE:
            return None
    if text[cue_s].isupper() and cue_s != sent.start and not title_cased(text, sent):
        return None  # "United States", "Fox News Sunday Shows"
    if not m.group(1).lower().endswith("ing") and PASSIVE_BEFORE.search(text, sent.start, cue_s):
        return None
    prev = PREV_WORD_RE.search(text, sent.start, cue_s)
    if prev and prev.group(1).lower() in NOT_SUBJECT_END:
        return None
    return lemma, (cue_s, cue_e)


def _tell_object(text: str, sent: Sentence, pos: int) -> tuple[Range | None, int]:
    """The listener after "told" and where the content starts."""
    stop = TELL_OBJECT_END.search(text, pos, sent.end)
    obj = ph.strip_final_period(text, pos, stop.start() if stop else sent.end)
    if obj[1] <= obj[0] or ph.word_count(text, *obj) > 8:
        return None, pos
    return obj, obj[1]


def _left_frame(text: str, sent: Sentence, left: Range, after: int) -> tuple[Range, list[Range]] | None:
    """``“Y,” X said`` / ``Y, X said.``: source X on the left with content before it."""
    before_end = max(sent.start, len(text[: left[0]].rstrip()))
    if ph.word_count(text, sent.start, before_end) < 2:
        return None
    if AS_BEFORE.search(text, sent.start, before_end):
        before_end = len(text[: before_end - 2].rstrip())
    quoted = b.quote_ends_at(sent, before_end)
    plain = text[sent.start : before_end].endswith(CLOSERS)
    if quoted or (plain and b.tail_words(text, sent, after) == 0):
        content = [b.content_left(text, sent, before_end)]
        return left, content + b.continuation_quote(text, sent, after)
    return None


def _appositive_subject(
    text: str, sent: Sentence, pre_end: int, after: int
) -> tuple[Range | None, list[Range]] | None:
    """``X, who studies Z, said Y``: the whole subject up to the verb, content after it."""
    if b.tail_words(text, sent, after) < 2:
        return None
    if ph.word_count(text, sent.start, pre_end) > MAX_SUBJECT_WORDS:
        return None
    return ph.strip_span(text, sent.start, pre_end), [b.content_right(text, sent, after)]


def _comma_frame(
    text: str, sent: Sentence, pre_end: int, after: int, inverted: bool
) -> tuple[Range | None, list[Range]] | None:
    """The verb follows a comma or closing quote: inverted order or a subject with appositive.

    Only speech verbs (``inverted``) may put their content before them.
    """
    if not inverted:
        return _appositive_subject(text, sent, pre_end, after)
    closing = [qe for _, qe in sent.quotes if qe <= pre_end]
    if b.quote_ends_at(sent, pre_end):  # “Y,” said X
        source = ph.right_source(text, after, sent.end)
        end = source[1] if source else after
        return source, [b.content_left(text, sent, pre_end), *b.continuation_quote(text, sent, end)]
    if closing and ph.word_count(text, closing[-1], pre_end) <= MAX_SUBJECT_WORDS:
        # “Y,” X, a writer for Z, said on Twitter.
        source = ph.strip_span(text, closing[-1], pre_end)
        content = [b.content_left(text, sent, closing[-1])]
        return source, content + b.continuation_quote(text, sent, after)
    if b.tail_words(text, sent, after) >= 2:
        return _appositive_subject(text, sent, pre_end, after)
    source = ph.right_source(text, after, sent.end)
    if source:  # Y, said X.
        return source, [b.content_left(text, sent, pre_end)]
    return None


def verb_attribution(
    text: str, sent: Sentence, m: re.Match[str], next_paragraph: Range | None
) -> Attribution | None:
    """One attribution around the cue verb matched by ``m``, or None."""
    found = _cue_span(text, sent, m)
    if found is None:
        return None
    lemma, cue = found
    speech = lemma not in OTHER_VERBS
    participle = m.group(1).lower().endswith("ing")
    pre_end = len(text[: cue[0]].rstrip())
    left = ph.left_source(text, sent.start, cue[0])
    via: list[Range] = []
    after = cue[1]
    if lemma == "tell":
        obj, after = _tell_object(text, sent, cue[1])
        if obj and VIA_HINT.search(text[obj[0] : obj[1]]):
            via = [obj]

    frame: tuple[Range | None, list[Range]] | None = None
    after_comma = left is None and text[sent.start : pre_end].endswith(CLOSERS)
    if not participle and after_comma:
        frame = _comma_frame(text, sent, pre_end, after, inverted=speech)
    elif not participle and speech and left is not None:
        frame = _left_frame(text, sent, left, after)
    if frame is None:
        if not (speech or participle) and left is None:
            return None
        content = b.content_right(text, sent, after, infinitive=lemma in INFINITIVE_VERBS)
        if content[1] <= content[0] and next_paragraph and text[: sent.end].endswith(":"):
            content = next_paragraph  # "X added:" then the quoted paragraph
        frame = left, [content]
    source, content = frame
    return b.build(text, sent, source=source, cue=[cue], content=content, lemma=lemma, via=via)
