"""Phrase helpers: find the source noun phrase next to a cue, trim content spans."""

from __future__ import annotations

import re

from provenance.articles.extraction.lexicon import AUXILIARIES, LEFT_STOPS

WORD_RE = re.compile(r"[\w’'.&-]*\w[\w’'.&-]*")
BOUNDARY_CHARS = ',;:“”"—–―'
RIGHT_STOP_RE = re.compile(
    r"[,;:()“”\"—–―.?!]|\b(?:that|who|whose|which|on|in|at|during|after|before|when|while|"
    r"because|as|to|about|of|for|and|but)\b",
    re.IGNORECASE,
)
MAX_SOURCE_WORDS = 9


def words_before(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word spans in ``text[start:end]``, last one first, up to the nearest boundary char."""
    segment = text[start:end]
    cut = max(segment.rfind(ch) for ch in BOUNDARY_CHARS)
    base = start + cut + 1
    spans = [(base + m.start(), base + m.end()) for m in WORD_RE.finditer(text[base:end])]
    return spans[::-1]


def left_source(text: str, start: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase ending right before ``cue_start`` (auxiliaries skipped), if any."""
    words = words_before(text, start, cue_start)
    i = 0
    while i < len(words) and text[words[i][0] : words[i][1]].lower() in AUXILIARIES:
        i += 1
    kept: list[tuple[int, int]] = []
    for s, e in words[i:]:
        if text[s:e].lower() in LEFT_STOPS or len(kept) >= MAX_SOURCE_WORDS:
            break
        kept.append((s, e))
    if not kept:
        return None
    return kept[-1][0], kept[0][1]


def right_source(text: str, cue_end: int, end: int) -> tuple[int, int] | None:
    """The noun phrase right after an inverted cue ("..., said Smith, a spokesman")."""
    stop = RIGHT_STOP_RE.search(text, cue_end, end)
    limit = stop.start() if stop else end
    words = [(cue_end + m.start(), cue_end + m.end()) for m in WORD_RE.finditer(text[cue_end:limit])]
    words = [w for w in words if text[w[0] : w[1]].lower() not in AUXILIARIES]
    if not words or len(words) > MAX_SOURCE_WORDS:
        return None
    s, e = words[0][0], words[-1][1]
    if text[e - 1] == "." and not re.search(r"\b\w\.$|\.\w\.$", text[s:e]):
        e -= 1
    return s, e


def strip_span(text: str, start: int, end: int, edge: str = " \t\n,;:—–-") -> tuple[int, int]:
    """Shrink ``[start, end)`` past whitespace/punctuation at both ends."""
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


def strip_final_period(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a sentence-final period/colon that is outside any quotation."""
    start, end = strip_span(text, start, end)
    while end > start and text[end - 1] in ".:;":
        end -= 1
    return start, end


def word_count(text: str, start: int, end: int) -> int:
    """How many words ``text[start:end]`` holds."""
    return len(WORD_RE.findall(text[start:end]))
