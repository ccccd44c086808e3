"""Value types of the attribution extractor."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("direct", "paraphrase", "mixed")
STANCES = ("asserts", "denies", "questions")


@dataclass(frozen=True, order=True)
class Span:
    """A ``[start, end)`` character range into the analysed text."""

    start: int
    end: int

    def text(self, source: str) -> str:
        """The characters this span covers in ``source``."""
        return source[self.start : self.end]


@dataclass(frozen=True)
class Attribution:
    """Who (``source``), by which words (``cue``), is said to have said what (``content``).

    ``via`` lists intermediaries that relay the source ("Mehr quoted Bakhshi as saying":
    source Bakhshi, via Mehr). ``mode`` is "direct" when all content is quoted, "paraphrase"
    when none is, "mixed" otherwise; ``stance`` is "asserts", "denies" or "questions".
    """

    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    mode: str = "paraphrase"
    stance: str = "asserts"
    via: tuple[Span, ...] = ()

    def first_offset(self) -> int:
        """Smallest start offset over all spans (for sorting)."""
        spans = self.source + self.cue + self.content + self.via
        return min((s.start for s in spans), default=0)
