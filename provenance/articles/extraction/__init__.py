"""Rule-based attribution extraction (quotes, cue verbs, "according to", intermediaries)."""

from provenance.articles.extraction.rules import extract_attributions
from provenance.articles.extraction.types import Attribution, Span

__all__ = ["Attribution", "Span", "extract_attributions"]
