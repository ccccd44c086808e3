"""Building blocks shared by the rules: content spans, mode, stance, Attribution assembly."""

from __future__ import annotations

import re

from provenance.articles.extraction import phrases as ph
from provenance.articles.extraction.lexicon import ADVERBIAL_RE, DENY_VERBS, QUESTION_VERBS, THAT_RE
from provenance.articles.extraction.text import Sentence
from provenance.articles.extraction.types import Attribution, Span

Range = tuple[int, int]
MIN_CONTENT_WORDS = 2
NOT_CONTENT_START = re.compile(
    r"(?:as|when|while|after|before|during|at|in|on|with|to|from|by|for|of|because|since|but|"
    r"and|who|which|about|over|against|without)\b",
    re.IGNORECASE,
)


def _spans(ranges: list[Range]) -> tuple[Span, ...]:
    return tuple(Span(s, e) for s, e in ranges if e > s)


def mode_of(content: list[Range], quotes: tuple[Range, ...]) -> str:
    """ "direct" if every fragment is inside a quotation, "mixed" if some quote is, else
    "paraphrase"."""
    quoted = [any(qs <= s and e <= qe for qs, qe in quotes) for s, e in content]
    if quoted and all(quoted):
        return "direct"
    if any(qs < e and s < qe for s, e in content for qs, qe in quotes):
        return "mixed"
    return "paraphrase"


def stance_of(lemma: str) -> str:
    """Stance carried by a cue verb's lemma."""
    if lemma in DENY_VERBS:
        return "denies"
    if lemma in QUESTION_VERBS:
        return "questions"
    return "asserts"


def build(
    text: str,
    sent: Sentence,
    *,
    source: Range | None,
    cue: list[Range],
    content: list[Range],
    lemma: str,
    via: list[Range] | None = None,
) -> Attribution | None:
    """Assemble an Attribution, or None when the content is too thin to be one."""
    content = sorted(c for c in content if ph.word_count(text, *c) >= 1)
    if sum(ph.word_count(text, *c) for c in content) < MIN_CONTENT_WORDS:
        return None
    quotes = sent.quotes + tuple(q for c in content for q in _quotes_in(text, c))
    return Attribution(
        source=_spans([source] if source else []),
        cue=_spans(cue),
        content=_spans(content),
        mode=mode_of(content, quotes),
        stance=stance_of(lemma),
        via=_spans(via or []),
    )


def _quotes_in(text: str, span: Range) -> list[Range]:
    s, e = span
    return [(s, e)] if text[s] in '“"' and text[e - 1] in '”"' else []


def quote_ends_at(sent: Sentence, pos: int) -> bool:
    """Whether a quotation closes exactly at ``pos``."""
    return any(qe == pos for _, qe in sent.quotes)


def content_left(text: str, sent: Sentence, end: int) -> Range:
    """Content from the sentence start (or a ``: “`` lead-in) up to ``end``.

    A closing quotation mark stays in; a trailing comma or dash outside quotes is dropped.
    """
    start = sent.start
    lead_in = [qs for qs, qe in sent.quotes if qe <= end and text[sent.start : qs].rstrip().endswith(":")]
    if lead_in:
        start = lead_in[-1]
    end = len(text[:end].rstrip())
    if quote_ends_at(sent, end):
        return start, end
    return ph.strip_span(text, start, end)


def skip_adverbials(text: str, sent: Sentence, pos: int) -> int:
    """Skip "on Monday in a statement" and an optional "that"/colon after a verb."""
    pos = ADVERBIAL_RE.match(text, pos, sent.end).end()
    return THAT_RE.match(text, pos, sent.end).end()


TO_INFINITIVE = re.compile(r"to\s+[a-z]", re.IGNORECASE)


def content_right(text: str, sent: Sentence, pos: int, infinitive: bool = False) -> Range:
    """Content from ``pos`` (adverbials and a "that" skipped) to the sentence end.

    With ``infinitive`` (verbs of intention: "vowed to punish X") a to-infinitive is content.
    """
    pos = skip_adverbials(text, sent, pos)
    if infinitive and TO_INFINITIVE.match(text, pos, sent.end):
        return ph.strip_final_period(text, pos, sent.end)
    if NOT_CONTENT_START.match(text, pos, sent.end):
        return pos, pos
    if quote_ends_at(sent, sent.end):
        return ph.strip_span(text, pos, sent.end)
    return ph.strip_final_period(text, pos, sent.end)


def continuation_quote(text: str, sent: Sentence, pos: int) -> list[Range]:
    """A quotation resuming after ``..., he said, “...”``."""
    m = re.compile(r"[^\S\n]*[,:]\s*").match(text, pos, sent.end)
    if not m:
        return []
    return [q for q in sent.quotes if q[0] == m.end()]


def tail_words(text: str, sent: Sentence, pos: int) -> int:
    """Words left in the sentence after ``pos`` once adverbials are skipped."""
    start = skip_adverbials(text, sent, pos)
    if NOT_CONTENT_START.match(text, start, sent.end):
        return 0
    return ph.word_count(text, start, sent.end)
