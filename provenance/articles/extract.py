"""Public API of the attribution extractor.

``extract_attributions`` runs the trained tagger (``extraction.tagger``); with the environment
variable ``PROVENANCE_EXTRACTOR=rules`` it runs the previous extractor (rules plus a logistic
cue detector) instead, which the benchmarks use for their side-by-side figures. The tagger's
attributions are completed by what the page's layout says (photo credits, headlines, a
sentence-final "..., officials report"): :func:`~provenance.articles.extraction.rules.layout_attributions`.

>>> [a.mode for a in extract_attributions('"We will win," Smith said.')]
['direct']
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from provenance.articles.extraction import Attribution, Span, legacy_attributions
from provenance.articles.extraction import extract_attributions as tagged_attributions
from provenance.articles.extraction.rules import layout_attributions

__all__ = ["Attribution", "Span", "attributions_to_jsonl_record", "extract_attributions"]


def extract_attributions(text: str) -> list[Attribution]:
    """Who said what in ``text``: attributions sorted by their first offset.

    The trained tagger, or the previous rules-based extractor when ``PROVENANCE_EXTRACTOR`` is
    ``rules``.
    """
    if os.environ.get("PROVENANCE_EXTRACTOR") == "rules":
        return legacy_attributions(text)
    found = tagged_attributions(text)
    return sorted(found + layout_attributions(text, found), key=lambda a: (a.first_offset(), a.cue))


def _pairs(spans: tuple[Span, ...]) -> list[list[int]]:
    return [[s.start, s.end] for s in spans]


def attributions_to_jsonl_record(doc_name: str, attributions: Iterable[Attribution]) -> dict:
    """One predictions-jsonl record: ``{"doc": name, "attributions": [{role: [[s, e]]}]}``.

    Besides source/cue/content (what the PolNeAR scorer reads), each attribution carries
    ``via``, ``mode`` and ``stance`` so nothing the extractor found is lost.
    """
    return {
        "doc": doc_name,
        "attributions": [
            {
                "source": _pairs(a.source),
                "cue": _pairs(a.cue),
                "content": _pairs(a.content),
                "via": _pairs(a.via),
                "mode": a.mode,
                "stance": a.stance,
            }
            for a in attributions
        ],
    }
