"""Tests for linking tagged runs into attributions."""

from __future__ import annotations

from provenance.articles.extraction.features import paragraph_tokens
from provenance.articles.extraction.linking import Run, link_paragraphs, runs
from provenance.articles.extraction.tagger import group_paragraphs
from provenance.articles.extraction.text import sentences


def _link(text: str, labels_per_paragraph: list[list[str]]) -> list[dict[str, list[str]]]:
    sents = sentences(text)
    labelled = []
    for group, labels in zip(group_paragraphs(sents), labels_per_paragraph, strict=True):
        toks = paragraph_tokens(text, [sents[i] for i in group])
        assert len(toks) == len(labels), [text[t.start : t.end] for t in toks]
        labelled.append((group, toks, labels))
    return [
        {role: [text[s.start : s.end] for s in getattr(a, role)] for role in ("source", "cue", "content")}
        for a in link_paragraphs(text, sents, labelled)
    ]


def test_runs_from_bio() -> None:
    labels = ["B-source", "B-cue", "I-cue", "O", "I-content", "I-content", "B-content"]
    assert runs(labels) == [
        Run("source", 0, 0), Run("cue", 1, 2), Run("content", 4, 5), Run("content", 6, 6)
    ]


def test_content_goes_to_the_nearest_cue_not_across_another() -> None:
    text = "Smith said it rained, and Jones said it snowed."
    labels = ["B-source", "B-cue", "B-content", "I-content", "O", "O",
              "B-source", "B-cue", "B-content", "I-content", "O"]
    assert _link(text, [labels]) == [
        {"source": ["Smith"], "cue": ["said"], "content": ["it rained"]},
        {"source": ["Jones"], "cue": ["said"], "content": ["it snowed"]},
    ]


def test_nested_cue_shares_the_inner_content() -> None:
    text = "Smith said Jones told him it rained."
    labels = ["B-source", "B-cue", "B-source", "B-cue", "B-content", "B-content", "I-content", "O"]
    found = _link(text, [labels])
    assert [f["cue"] for f in found] == [["said"], ["told"]]
    assert found[0]["content"] == ["him"] and found[1]["content"] == ["him", "it rained"]


def test_cue_ending_a_paragraph_takes_the_next_paragraph() -> None:
    text = "Smith added:\n“We will win.”\n"
    found = _link(text, [["B-source", "B-cue", "O"], ["B-content", "I-content", "I-content", "I-content",
                                                       "I-content", "I-content"]])
    assert found == [{"source": ["Smith"], "cue": ["added"], "content": ["“We will win.”"]}]


def test_quotation_continued_in_the_next_paragraph_joins_the_content() -> None:
    text = "“It rained,” Smith said.\n“It will rain again.”\n"
    first = ["B-content", "I-content", "I-content", "I-content", "I-content", "B-source", "B-cue", "O"]
    second = ["B-content"] + ["I-content"] * 6
    (found,) = _link(text, [first, second])
    assert found["content"] == ["“It rained,”", "“It will rain again.”"]


def test_cue_without_content_is_dropped() -> None:
    assert _link("Smith said nothing.", [["B-source", "B-cue", "O", "O"]]) == []
