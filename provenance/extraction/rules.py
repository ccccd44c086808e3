"""The rules: turn sentences with cue words into attributions."""

from __future__ import annotations

import re

from provenance.extraction import phrases as ph
from provenance.extraction.lexicon import (
    ACCORDING_RE,
    ADVERBIAL_RE,
    CUE_RE,
    DENY_VERBS,
    FORM_TO_LEMMA,
    NEEDS_PARTICLE,
    OTHER_VERBS,
    PARTICLES,
    QUESTION_VERBS,
    QUOTED_AS_RE,
    THAT_RE,
)
from provenance.extraction.text import QUOTE_CHARS, Sentence, sentences
from provenance.extraction.types import Attribution, Span

Range = tuple[int, int]
CLOSERS = (",", "”", '"', "—", "–", "―")
PASSIVE_BEFORE = re.compile(r"\b(?:is|was|were|be|been|being|are|so|-)\s*$", re.IGNORECASE)
VIA_HINT = re.compile(r"[A-Z]|agency|news|paper|outlet|television|radio|network", re.UNICODE)
MIN_CONTENT_WORDS = 2


def _spans(ranges: list[Range] | tuple[Range, ...]) -> tuple[Span, ...]:
    return tuple(Span(s, e) for s, e in ranges if e > s)


def _mode(text: str, content: list[Range], quotes: tuple[Range, ...]) -> str:
    quoted = [any(qs <= s and e <= qe for qs, qe in quotes) for s, e in content]
    if quoted and all(quoted):
        return "direct"
    if any(quoted) or any(qs < e and s < qe for s, e in content for qs, qe in quotes):
        return "mixed"
    return "paraphrase"


def _stance(lemma: str) -> str:
    if lemma in DENY_VERBS:
        return "denies"
    if lemma in QUESTION_VERBS:
        return "questions"
    return "asserts"


def _build(
    text: str,
    sent: Sentence,
    *,
    source: Range | None,
    cue: list[Range],
    content: list[Range],
    lemma: str,
    via: list[Range] | None = None,
) -> Attribution | None:
    content = [c for c in content if ph.word_count(text, *c) >= 1]
    if sum(ph.word_count(text, *c) for c in content) < MIN_CONTENT_WORDS:
        return None
    return Attribution(
        source=_spans([source] if source else []),
        cue=_spans(cue),
        content=_spans(sorted(content)),
        mode=_mode(text, content, sent.quotes),
        stance=_stance(lemma),
        via=_spans(via or []),
    )


def _content_left(text: str, sent: Sentence, end: int) -> Range:
    """Content from the sentence start up to ``end`` (a trailing comma/dash dropped)."""
    end = len(text[:end].rstrip())
    if end and text[end - 1] in "”\"":
        return sent.start, end
    return ph.strip_span(text, sent.start, end)


def _content_right(text: str, sent: Sentence, pos: int) -> Range:
    """Content from ``pos`` (adverbials and a "that" skipped) to the sentence end."""
    pos = ADVERBIAL_RE.match(text, pos, sent.end).end()
    pos = THAT_RE.match(text, pos, sent.end).end()
    if sent.end and text[sent.end - 1] in "”\"":
        return ph.strip_span(text, pos, sent.end)
    return ph.strip_final_period(text, pos, sent.end)


def _continuation_quote(text: str, sent: Sentence, pos: int) -> list[Range]:
    """A quotation resuming after ``..., he said, “...”``."""
    m = re.match(r"\s*[,:]\s*", text[pos : sent.end])
    if not m:
        return []
    start = pos + m.end()
    return [q for q in sent.quotes if q[0] == start]


def _tell_object(text: str, sent: Sentence, pos: int) -> tuple[Range | None, int]:
    """The listener after "told" and where the content starts."""
    stop = re.compile(r"\bthat\b|[,:“\"]|\b(?:on|in|at|last|during)\b").search(text, pos, sent.end)
    end = stop.start() if stop else pos
    obj = ph.strip_span(text, pos, end)
    if obj[1] <= obj[0] or ph.word_count(text, *obj) > 8:
        return None, pos
    return obj, obj[1]


def _verb(text: str, sent: Sentence, m: re.Match[str]) -> Attribution | None:
    """One attribution around a cue verb, or None."""
    form = m.group(1).lower()
    lemma = FORM_TO_LEMMA[form]
    cue_s, cue_e = m.span(1)
    particle = PARTICLES.get(lemma)
    if particle:
        pm = re.compile(particle, re.IGNORECASE).match(text, cue_e)
        if pm:
            cue_e = pm.end()
        elif lemma in NEEDS_PARTICLE:
            return None
    if PASSIVE_BEFORE.search(text, sent.start, cue_s):
        return None
    speech = lemma not in OTHER_VERBS
    participle = form.endswith("ing")
    pre = text[sent.start : cue_s].rstrip()
    left = ph.left_source(text, sent.start, cue_s)
    via: list[Range] = []

    if speech and not participle and left is None and pre.endswith(CLOSERS):
        source = ph.right_source(text, cue_e, sent.end)
        if source and ph.word_count(text, sent.start, len(pre)) >= MIN_CONTENT_WORDS:
            content = [_content_left(text, sent, len(pre))]
            content += _continuation_quote(text, sent, source[1])
            return _build(text, sent, source=source, cue=[(cue_s, cue_e)], content=content,
                          lemma=lemma)
    if speech and not participle and left is not None:
        before = text[sent.start : left[0]].rstrip()
        after = text[cue_e : sent.end]
        tail_is_short = ph.word_count(text, cue_e, sent.end) <= 4 or after.lstrip()[:1] in ",."
        if before.endswith(CLOSERS) and ph.word_count(text, sent.start, len(before)) >= 2 and (
            tail_is_short
        ):
            content = [_content_left(text, sent, len(before))]
            content += _continuation_quote(text, sent, cue_e)
            return _build(text, sent, source=left, cue=[(cue_s, cue_e)], content=content,
                          lemma=lemma)
    if not speech and left is None:
        return None
    pos = cue_e
    if lemma == "tell":
        obj, pos = _tell_object(text, sent, cue_e)
        if obj and VIA_HINT.search(text[obj[0] : obj[1]]):
            via = [obj]
    content = _content_right(text, sent, pos)
    if content[1] <= content[0]:
        return None
    return _build(text, sent, source=left, cue=[(cue_s, cue_e)], content=[content],
                  lemma=lemma, via=via)


def _according(text: str, sent: Sentence, m: re.Match[str]) -> Attribution | None:
    """``According to X, Y`` and ``Y, according to X``."""
    cue = (m.start(), m.end())
    comma = text.find(",", m.end(), sent.end)
    if text[sent.start : m.start()].strip() == "" and comma != -1:
        source = ph.strip_span(text, m.end(), comma)
        content = ph.strip_final_period(text, comma + 1, sent.end)
    else:
        end = comma if comma != -1 else sent.end
        source = ph.strip_final_period(text, m.end(), end)
        content = _content_left(text, sent, m.start())
    return _build(text, sent, source=source, cue=[cue], content=[content], lemma="say")


def _quoted_as(text: str, sent: Sentence, m: re.Match[str]) -> Attribution | None:
    """``X quoted Y as saying Z`` / ``"Z," X quoted Y as saying``: source Y, via X."""
    via = ph.left_source(text, sent.start, m.start(1))
    source = m.span(2)
    cues = [m.span(1), m.span(3)]
    if ph.word_count(text, m.end(), sent.end) >= 3:
        content = [_content_right(text, sent, m.end())]
    else:
        start = via[0] if via else m.start(1)
        content = [_content_left(text, sent, start)]
    return _build(text, sent, source=source, cue=cues, content=content, lemma="say",
                  via=[via] if via else [])


def _inside_quote(pos: int, sent: Sentence) -> bool:
    return any(qs < pos < qe for qs, qe in sent.quotes)


def sentence_attributions(text: str, sent: Sentence) -> list[Attribution]:
    """All attributions cued inside one sentence."""
    found: list[Attribution] = []
    taken: list[Range] = []
    for m in QUOTED_AS_RE.finditer(text, sent.start, sent.end):
        if not _inside_quote(m.start(), sent) and (a := _quoted_as(text, sent, m)):
            found.append(a)
            taken.append(m.span())
    for m in ACCORDING_RE.finditer(text, sent.start, sent.end):
        if not _inside_quote(m.start(), sent) and (a := _according(text, sent, m)):
            found.append(a)
    for m in CUE_RE.finditer(text, sent.start, sent.end):
        if _inside_quote(m.start(), sent) or any(s <= m.start() < e for s, e in taken):
            continue
        if (a := _verb(text, sent, m)) is not None:
            found.append(a)
    return found


def extract_attributions(text: str) -> list[Attribution]:
    """Find attributions in ``text``: who said what, through which cue (and intermediary).

    Deterministic and offline; returns attributions sorted by their first offset.
    """
    found = [a for sent in sentences(text) for a in sentence_attributions(text, sent)]
    return sorted(found, key=lambda a: (a.first_offset(), a.cue))


__all__ = ["QUOTE_CHARS", "extract_attributions", "sentence_attributions"]
