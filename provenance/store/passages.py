"""Passage fingerprints: what lets the audit find documents sharing a passage without reading them all.

A text becomes its normalised words (case, quotation marks and apostrophes folded; punctuation
and spacing ignored), each word a stable number (CRC-32 of its UTF-8), then the hashes of every
run of :data:`SHINGLE` (5) words. Of every window of :data:`WINDOW` (8) consecutive hashes only
the smallest is kept (winnowing, Schleimer, Wilkerson & Aiken 2003): any run of
``WINDOW + SHINGLE - 1`` = 12 identical words in two texts is then guaranteed to give both a
same kept hash, at about a fifth of the words. The loader computes them once, with the
document, into ``passage_fingerprint`` (indexed by hash), so finding documents that share a
passage is one join on that index.

The hash of a run is Python's hash of a tuple of integers: unlike the hash of a string it is
the same in every process; it is only as stable as CPython's tuple hash (unchanged since 3.8).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from provenance.store.models import PassageFingerprint

SHINGLE = 5
WINDOW = 8
#: The shortest identical run guaranteed to share a kept hash.
GUARANTEED_WORDS = WINDOW + SHINGLE - 1

FINGERPRINT = PassageFingerprint.__table__

WORD = re.compile(r"\w+(?:['’‘ʼ]\w+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


class _WordNumbers(dict[str, int]):
    """Stable numbers of words (CRC-32), remembered."""

    def __missing__(self, word: str) -> int:
        number = self[word] = zlib.crc32(word.encode("utf-8"))
        return number


_NUMBERS = _WordNumbers()


def norms(text: str) -> list[str]:
    """The normalised words of ``text``, in order: one per match of :data:`WORD` in the text."""
    return fold(WORD.findall(text))


def fold(words: list[str]) -> list[str]:
    """``words`` (as :data:`WORD` finds them) normalised: case, quotation marks and apostrophes folded."""
    # Folding is per character, so folding the words joined by NUL (never in a word) and
    # splitting again folds each word, at C speed, and keeps one word per match.
    return "\0".join(words).casefold().translate(_APOSTROPHES).split("\0") if words else []


def numbers(words: list[str]) -> list[int]:
    """Each word as its stable number."""
    if len(_NUMBERS) > 1_000_000:
        _NUMBERS.clear()
    return list(map(_NUMBERS.__getitem__, words))


def run_hashes(ids: list[int], size: int) -> list[int]:
    """The hash of every run of ``size`` consecutive word numbers, by position."""
    return list(map(hash, zip(*(ids[k:] for k in range(size)), strict=False)))


def fingerprints(text: str) -> set[int]:
    """The kept (winnowed) hashes of ``text``'s 5-word runs: the smallest of every 8."""
    hashes = run_hashes(numbers(norms(text)), SHINGLE)
    if len(hashes) <= WINDOW:
        return {min(hashes)} if hashes else set()
    return set(map(min, *(hashes[k:] for k in range(WINDOW))))


def fingerprint_rows(document_id: str, text: str) -> list[dict[str, Any]]:
    """``passage_fingerprint`` rows of one document, in hash order."""
    return [{"document_id": document_id, "hash": value} for value in sorted(fingerprints(text))]
