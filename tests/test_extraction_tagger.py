"""Tests for the trained tagger: the shipped model, lazy loading, the rules' chains kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from provenance.articles import extract
from provenance.articles.extraction import legacy_attributions
from provenance.articles.extraction.tagger import CRF_MODEL_PATH, load_tagger, merge_rules
from provenance.articles.extraction.types import Attribution, Span


def _texts(text: str, a: Attribution) -> dict[str, list[str]]:
    return {role: [text[s.start : s.end] for s in getattr(a, role)] for role in ("source", "cue", "content", "via")}


def test_shipped_model_is_small_and_loads() -> None:
    assert CRF_MODEL_PATH.is_file() and CRF_MODEL_PATH.stat().st_size < 5_000_000
    assert load_tagger() is not None
    assert load_tagger(str(CRF_MODEL_PATH.with_name("missing.model"))) is None


def test_cli_and_extract_module_do_not_load_crfsuite() -> None:
    code = "import sys, provenance.cli, provenance.articles.extract; print('pycrfsuite' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_tagger_finds_a_plain_attribution() -> None:
    text = "Senator Smith said on Monday that the bill would fail."
    (a,) = extract.extract_attributions(text)
    t = _texts(text, a)
    assert t["source"] == ["Senator Smith"] and t["cue"] == ["said"]
    assert t["content"] == ["that the bill would fail"]  # PolNeAR keeps the complementizer
    assert (a.mode, a.stance) == ("paraphrase", "asserts")


def test_quoted_as_saying_keeps_the_rules_chain() -> None:
    text = "The agency quoted Bakhshi as saying that 32 people were arrested."
    chains = [_texts(text, a) for a in extract.extract_attributions(text) if a.via]
    assert chains == [{
        "source": ["Bakhshi"], "cue": ["quoted", "as saying"],
        "content": ["32 people were arrested"], "via": ["The agency"],
    }]


def test_merge_rules_replaces_the_tagged_attribution_at_a_chain_cue() -> None:
    tagged = Attribution((), (Span(11, 17),), (Span(30, 40),))
    other = Attribution((), (Span(50, 54),), (Span(55, 60),))
    chain = Attribution((Span(18, 25),), (Span(11, 17),), (Span(30, 40),), via=(Span(0, 10),))
    plain = Attribution((Span(44, 49),), (Span(50, 54),), (Span(55, 60),))
    assert merge_rules([tagged, other], [chain, plain]) == [
        Attribution((Span(44, 49),), (Span(50, 54),), (Span(55, 60),)), chain
    ]


def test_environment_selects_the_previous_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "He told reporters on Monday that the talks had failed."
    monkeypatch.setenv("PROVENANCE_EXTRACTOR", "rules")
    assert extract.extract_attributions(text) == legacy_attributions(text)
    content = [_texts(text, a)["content"] for a in extract.extract_attributions(text)]
    assert content == [["the talks had failed"]]


def test_a_quotation_with_its_own_cue_is_not_the_previous_paragraphs() -> None:
    from provenance.articles.extract import extract_attributions

    text = ("Iranian state media reported two explosions. The live broadcast showed mourners fleeing.\n\n"
            '"The blasts were caused by terrorist attacks," state media quoted a local official as saying.\n')
    quote = text.index('"The blasts')
    owners = [text[a.source[0].start:a.source[0].end] for a in extract_attributions(text)
              if a.source and any(c.start <= quote < c.end for c in a.content)]
    assert owners == ["a local official"]


def test_sources_and_contents_stay_in_their_cues_sentence() -> None:
    from provenance.articles.extract import extract_attributions
    from provenance.articles.resolution import resolve_document

    text = ("According to IRINN, a state television channel, the first explosion was caused by a car bomb."
            " Interior Minister Ahmad Vahidi confirmed that the second blast came 20 minutes later.\n\n"
            "President Ebrahim Raisi blamed Israel for the explosions, vowing that it will pay a heavy price."
            " No group has claimed responsibility for the blasts.\n")
    said = {r.content[:25]: r.speaker.name for r in resolve_document(text, extract_attributions(text))}
    assert said["that the second blast cam"] == "Ahmad Vahidi"
    assert "that the second blast cam" not in [c for c, s in said.items() if s == "IRINN"]
    assert said["that it will pay a heavy p"[:25]] == "Ebrahim Raisi"
