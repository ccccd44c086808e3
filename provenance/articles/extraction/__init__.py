"""Attribution extraction: a CRF tagger over rich token features, linked into attributions, with
the rules (quotes, cue verbs, "according to", intermediaries) as features and for chains.

``extract_attributions`` is the trained extractor; ``legacy_attributions`` the previous one
(rules plus a logistic cue detector), kept for comparison and as the fallback.
"""

from provenance.articles.extraction.tagger import extract_attributions, legacy_attributions
from provenance.articles.extraction.types import Attribution, Span

__all__ = ["Attribution", "Span", "extract_attributions", "legacy_attributions"]
