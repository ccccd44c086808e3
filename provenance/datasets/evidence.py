"""Excerpt evidence: locating a quoted passage in a document text and checking it later.

Follows the W3C Web Annotation selectors: a position (``[start, end)`` character offsets) and a
quote (the exact text with a short prefix and suffix), so that a passage can be re-anchored when
a text is re-imported with small changes and a mismatch is detected rather than accepted.
Hashes carry their algorithm (``sha256:<hex>``) so a future change of algorithm is visible.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

CONTEXT_CHARS = 32

# Characters that look alike or are invisible; folded only to explain a failed match.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"))
_LOOKALIKES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
     "–": "-", "—": "-", "‐": "-", "\u00a0": " "}
)


def sha256(text: str) -> str:
    """The content hash of a text, with its algorithm: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    """Where an excerpt sits in a text, with the context that re-anchors it."""

    start: int
    end: int
    prefix: str
    suffix: str


class ExcerptNotFound(Exception):
    """The excerpt does not occur in the text; ``hint`` says why, when it can be guessed."""

    def __init__(self, hint: str = "") -> None:
        super().__init__(hint)
        self.hint = hint


class ExcerptAmbiguous(Exception):
    """The excerpt occurs more than once; ``offsets`` are every start."""

    def __init__(self, offsets: list[int]) -> None:
        super().__init__(offsets)
        self.offsets = offsets


class ExcerptMisplaced(Exception):
    """The excerpt is not at the offset given; ``offsets`` are where it does occur."""

    def __init__(self, offsets: list[int]) -> None:
        super().__init__(offsets)
        self.offsets = offsets


def occurrences(text: str, excerpt: str) -> list[int]:
    """Every offset at which ``excerpt`` starts in ``text`` (overlaps included)."""
    offsets: list[int] = []
    position = text.find(excerpt)
    while position != -1:
        offsets.append(position)
        position = text.find(excerpt, position + 1)
    return offsets


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of ``text[start:end]`` with its prefix and suffix."""
    return Anchor(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def locate(text: str, excerpt: str, start: int | None = None) -> Anchor:
    """Find ``excerpt`` in ``text``: exactly once, or at ``start`` when given.

    Raises :class:`ExcerptNotFound`, :class:`ExcerptAmbiguous` or :class:`ExcerptMisplaced`.
    """
    offsets = occurrences(text, excerpt)
    if start is not None:
        if text[start : start + len(excerpt)] != excerpt:
            if not offsets:
                raise ExcerptNotFound(_near_miss_hint(text, excerpt))
            raise ExcerptMisplaced(offsets)
        return anchor_at(text, start, start + len(excerpt))
    if not offsets:
        raise ExcerptNotFound(_near_miss_hint(text, excerpt))
    if len(offsets) > 1:
        raise ExcerptAmbiguous(offsets)
    return anchor_at(text, offsets[0], offsets[0] + len(excerpt))


def fold(text: str) -> str:
    """A lenient form for explaining near misses: NFC, no invisibles, plain quotes, one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_LOOKALIKES)
    return re.sub(r"\s+", " ", text)


def _near_miss_hint(text: str, excerpt: str) -> str:
    folded_excerpt = fold(excerpt).strip()
    if folded_excerpt and folded_excerpt in fold(text):
        return (
            "it matches only if quotation marks, dashes, spaces or invisible characters are"
            " ignored; copy the excerpt from the text exactly"
        )
    if folded_excerpt.lower() in fold(text).lower():
        return "it matches only if letter case is ignored; copy the excerpt from the text exactly"
    return ""


def context(text: str, offset: int, length: int, width: int = 20) -> str:
    """A short one-line view of ``text`` around an occurrence, for error messages."""
    snippet = text[max(0, offset - width) : offset + length + width]
    return " ".join(snippet.split())
