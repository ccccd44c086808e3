"""Passage fingerprints and the word-level comparison common-source runs on candidate pairs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provenance.audit.passages import _Document
from provenance.store.passages import WORD, norms

TEXT = st.text(alphabet=st.sampled_from(list("ab É'’‘ʼ-.,\n\"«»_0")), max_size=80)


@given(TEXT)
def test_document_words_and_spans_are_those_of_the_word_pattern(text: str) -> None:
    """The audit splits a text once for its words and their offsets: the same words, at the same
    places, as the fingerprints' tokeniser finds them."""
    document = _Document(text)
    assert document.norms == norms(text)
    expected = [match.span() for match in WORD.finditer(text)]
    assert [document.span(k, k) for k in range(len(expected))] == expected
    if expected:
        assert document.span(0, len(expected) - 1) == (expected[0][0], expected[-1][1])


def test_span_of_a_passage_covers_its_words() -> None:
    document = _Document("«Don’t» said the minister, twice: don't.")
    assert document.norms == ["don't", "said", "the", "minister", "twice", "don't"]
    start, end = document.span(1, 3)
    assert document.text[start:end] == "said the minister"
