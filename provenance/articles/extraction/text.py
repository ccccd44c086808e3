"""Text segmentation: paragraphs, quotations and sentences (abbreviation-aware)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from provenance.articles.extraction.lexicon import words

OPEN_QUOTES = '“"'
CLOSE_QUOTES = '”"'
QUOTE_CHARS = '“”"'

# Lower-cased tokens that end with a period without ending a sentence.
ABBREVIATIONS = frozenset(
    words("""mr mrs ms dr gen sen rep reps gov lt col sgt capt maj adm prof st jr sr inc co corp ltd
    u.s u.k u.n e.u d.c a.m p.m no vs etc jan feb mar apr aug sep sept oct nov dec ft mt rev
    pres atty supt cmdr gens sens dept univ est approx fig e.g i.e""")
)
PARAGRAPH_RE = re.compile(r"[^\n]+")
# A candidate sentence end: terminal punctuation, optional closing quotes/brackets, whitespace.
BOUNDARY_RE = re.compile(r"[.!?]+[”\"’')\]]*(?=\s+)")
WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")
QUOTE_MARK_RE = re.compile(r"''|[“”\"]")


@dataclass(frozen=True)
class Sentence:
    """A sentence's ``[start, end)`` range and the quotations that overlap it."""

    start: int
    end: int
    quotes: tuple[tuple[int, int], ...]
    paragraph: tuple[int, int]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines, as ``(start, end)`` offsets."""
    return [(m.start(), m.end()) for m in PARAGRAPH_RE.finditer(text) if m.group().strip()]


def quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quotation spans (marks included) in one paragraph.

    Curly marks pair by direction; straight marks alternate. A quotation left open at the end
    of the paragraph runs to the paragraph's end (newspapers re-open multi-paragraph quotes).
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for m in QUOTE_MARK_RE.finditer(text, start, end):
        i, ch = m.start(), m.group()
        straight = ch != "“" and ch != "”"  # " or NYT-style ''quotes''
        if ch == "“" or (straight and opened is None):
            opened = i if opened is None else opened
        elif opened is not None:
            spans.append((opened, m.end()))
            opened = None
    if opened is not None and end - opened > 1:
        spans.append((opened, end))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` closes an abbreviation or an initial."""
    m = WORD_BEFORE_RE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS:
        return True
    # Initials ("J.", "D.C.") and dotted acronyms.
    return bool(re.fullmatch(r"(\w\.)*\w", word)) and len(word.replace(".", "")) <= 2 and (word[0].isalpha())


def _boundaries(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> list[int]:
    cuts = []
    for m in BOUNDARY_RE.finditer(text, start, end):
        cut = m.end()
        if any(qs < m.start() and cut < qe for qs, qe in quotes):
            continue  # no split inside a quotation
        if text[m.start()] == "." and m.group() == "." and _is_abbreviation(text, m.start()):
            continue
        nxt = text[cut:end].lstrip()[:1]
        if nxt and (nxt.islower() or nxt in ",;"):
            continue
        cuts.append(cut)
    return cuts


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; never inside a quotation, always at a paragraph break."""
    out: list[Sentence] = []
    for p_start, p_end in paragraphs(text):
        quotes = quotations(text, p_start, p_end)
        edges = [p_start, *_boundaries(text, p_start, p_end, quotes), p_end]
        for s, e in zip(edges, edges[1:], strict=False):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                inside = tuple(q for q in quotes if q[0] < e and q[1] > s)
                out.append(Sentence(s, e, inside, (p_start, p_end)))
    return out
