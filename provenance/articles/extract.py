"""Public API of the rule-based attribution extractor.

>>> [a.mode for a in extract_attributions('"We will win," Smith said.')]
['direct']
"""

from __future__ import annotations

from collections.abc import Iterable

from provenance.articles.extraction import Attribution, Span, extract_attributions

__all__ = ["Attribution", "Span", "attributions_to_jsonl_record", "extract_attributions"]


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
