"""Tests for the attribution extractor: the rules (as the previous extractor runs them, alone),
the trained extractor on the seed articles, and the PolNeAR scorer."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from provenance.articles.extract import Attribution, attributions_to_jsonl_record, extract_attributions
from provenance.articles.extraction import legacy_attributions

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-dev"  # shared/ beside the repository


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("polnear_bench", ROOT / "benchmarks" / "polnear.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_benchmark()


def fixture_text(name: str) -> str:
    """A seed article copied byte-for-byte into tests/fixtures/extract/."""
    return (FIXTURES / name).read_text(encoding="utf-8")


def texts(text: str, a: Attribution) -> dict[str, list[str]]:
    """The attribution's spans as strings, per role."""
    return {
        role: [text[s.start : s.end] for s in getattr(a, role)]
        for role in ("source", "cue", "content", "via")
    }


def only(text: str) -> tuple[Attribution, dict[str, list[str]]]:
    """The one attribution the rules (the previous extractor) find in ``text``."""
    found = legacy_attributions(text)
    assert len(found) == 1, found
    return found[0], texts(text, found[0])


def find(text: str, cue: str) -> tuple[Attribution, dict[str, list[str]]]:
    for a in extract_attributions(text):
        if cue in [text[s.start : s.end] for s in a.cue]:
            return a, texts(text, a)
    raise AssertionError(f"no attribution cued by {cue!r}")


# --------------------------------------------------------------------------- rules


def test_source_said_paraphrase() -> None:
    a, t = only("Smith said the plan would fail.")
    assert t == {"source": ["Smith"], "cue": ["said"], "content": ["the plan would fail"], "via": []}
    assert (a.mode, a.stance) == ("paraphrase", "asserts")


def test_inverted_said_source_after_quote() -> None:
    a, t = only('"We will win," said Smith.')
    assert t["source"] == ["Smith"] and t["cue"] == ["said"]
    assert t["content"] == ['"We will win,"']
    assert a.mode == "direct"


def test_curly_quote_then_source_said() -> None:
    a, t = only("“We will win,” Smith said.")
    assert t["content"] == ["“We will win,”"] and t["source"] == ["Smith"]
    assert a.mode == "direct"


def test_according_to_leading_and_trailing() -> None:
    _, t = only("According to four US officials, the strike was planned for weeks.")
    assert t["cue"] == ["According to"] and t["source"] == ["four US officials"]
    assert t["content"] == ["the strike was planned for weeks"]
    _, t = only("The strike was planned for weeks, according to four US officials.")
    assert t["source"] == ["four US officials"]
    assert t["content"] == ["The strike was planned for weeks"]


def test_quoted_as_saying_puts_the_reporter_in_via() -> None:
    _, t = only("The agency quoted Bakhshi as saying that 32 people were arrested.")
    assert t == {
        "source": ["Bakhshi"],
        "cue": ["quoted", "as saying"],
        "content": ["32 people were arrested"],
        "via": ["The agency"],
    }


def test_source_told_agency() -> None:
    text = "The blast was a suicide attack, an unidentified source told the state news agency IRNA."
    _, t = only(text)
    assert t["source"] == ["an unidentified source"] and t["cue"] == ["told"]
    assert t["via"] == ["the state news agency IRNA"]
    assert t["content"] == ["The blast was a suicide attack"]


def test_told_reporters_is_not_an_intermediary() -> None:
    _, t = only("He told reporters on Monday that the talks had failed.")
    assert t["content"] == ["the talks had failed"] and t["via"] == []


def test_denial_and_question_stance() -> None:
    a, t = only("The ministry denied that it had ordered the strike.")
    assert a.stance == "denies" and t["content"] == ["it had ordered the strike"]
    a, _ = only("Officials questioned whether the figures were accurate.")
    assert a.stance == "questions"


def test_multi_sentence_quote_is_one_content() -> None:
    _, t = only("“A is true. B is false,” Jones said.")
    assert t["content"] == ["“A is true. B is false,”"]


def test_quote_after_the_cue_sentence_joins_the_content() -> None:
    a, t = only("“A is true,” he said. “B is false.”")
    assert t["content"] == ["“A is true,”", "“B is false.”"]
    assert a.mode == "direct"


def test_abbreviations_do_not_split_sentences() -> None:
    _, t = only("Gen. Smith of the U.S. Army said the war was over.")
    assert t["source"] == ["Gen. Smith of the U.S. Army"]


def test_no_attribution() -> None:
    assert extract_attributions("The sun rose over the hills. It was a quiet day.") == []
    assert extract_attributions("") == []


def test_jsonl_record_and_sorting() -> None:
    text = "Smith said it rained. Jones said it snowed."
    found = extract_attributions(text)
    assert [a.cue[0].start for a in found] == sorted(a.cue[0].start for a in found)
    record = attributions_to_jsonl_record("doc1", found)
    assert record["doc"] == "doc1"
    assert record["attributions"][0]["cue"] == [[6, 10]]
    assert record["attributions"][0]["source"] == [[0, 5]]


# --------------------------------------------------------------------------- seed articles


def test_seed_mehr_quoted_bakhshi() -> None:
    text = fixture_text("kerman_breitbart.txt")
    a, t = find(text, "quoted")
    assert t["source"] == ["Bakhshi"]
    assert t["via"] == ["Iran’s state-run Mehr News Agency"]
    assert t["content"][0].startswith("“Thirty-two people have been arrested")
    assert a.mode == "direct"


def test_seed_unidentified_source_told_irna_and_us_denial() -> None:
    text = fixture_text("kerman_irna_unidentified_source.txt")
    _, t = find(text, "told")
    assert t["source"] == ["an unidentified source"]
    assert t["via"] == ["the state news agency IRNA"]
    a, t = find(text, "denied")
    assert t["source"] == ["the U.S."] and a.stance == "denies"
    assert t["content"][0].startswith("having anything to do with the blasts")


def test_seed_zelin_says() -> None:
    text = fixture_text("kerman_medialine_zelin.txt")
    hits = [texts(text, x) for x in extract_attributions(text) if texts(text, x)["source"] == ["Zelin"]]
    joker = [h for h in hits if h["cue"] == ["says"]]
    assert joker and joker[0]["content"][0].startswith("“They are kind of like the Joker.")
    assert joker[0]["content"][0].endswith("as long as it benefits them,”")


# --------------------------------------------------------------------------- scoring


def test_parse_ann_with_discontinuous_span() -> None:
    ann = (
        "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 14;20 25\tabc def\n"
        "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (gold,) = bench.parse_ann(ann)
    assert gold.source == ((0, 5),) and gold.cue == ((6, 10),)
    assert gold.content == ((11, 14), (20, 25))


def test_scoring_on_synthetic_pair() -> None:
    text = "Smith said it rained today. Jones claimed it snowed. Lee wrote a book."
    g = bench.GoldAttribution
    gold = [
        g(((0, 5),), ((6, 10),), ((11, 26),)),  # Smith said it rained today
        g(((28, 33),), ((34, 41),), ((42, 51),)),  # Jones claimed it snowed
    ]
    pred = [
        g(((0, 5),), ((6, 10),), ((11, 20),)),  # content overlaps, not exact
        g(((56, 61),), ((56, 61),), ((62, 68),)),  # spurious
    ]
    doc = bench.Doc("d", text, gold)
    counts = bench.score([doc], {"d": pred})
    assert counts["attribution"].prf() == (0.5, 0.5, 0.5)
    assert counts["source/exact"].prf() == (0.5, 0.5, 0.5)
    assert counts["content/exact"].prf() == (0.0, 0.0, 0.0)
    assert counts["content/overlap"].prf() == (0.5, 0.5, 0.5)
    assert counts["cue/exact"].tp == 1 and counts["cue/exact"].n_gold == 2


def test_split_is_deterministic_and_disjoint() -> None:
    names = [f"doc{i}" for i in range(10)]
    tune, heldout = bench.split_names(names)
    assert (tune, heldout) == bench.split_names(reversed(names))
    assert len(tune) == len(heldout) == 5 and not set(tune) & set(heldout)


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR dev data not available")
def test_benchmark_script_prints_figures() -> None:
    lines: list[str] = []
    assert bench.main(["--data", str(POLNEAR), "--split", "tune", "--docs", "3"], lines.append) == 0
    out = "\n".join(lines)
    assert "3 documents" in out and "attribution" in out and "content/overlap" in out
    assert "articles/s" in out and "rules F1" in out


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR dev data not available")
def test_benchmark_times_the_cli_per_extractor() -> None:
    lines: list[str] = []
    assert bench.main(["--data", str(POLNEAR), "--docs", "2", "--speed", "1"], lines.append) == 0
    out = "\n".join(lines)
    assert "tagger `provenance extract DIR --format jsonl` (process start included)" in out
    assert "rules `provenance extract DIR --format jsonl` (process start included)" in out


# --------------------------------------------------------------------------- learned cue detector


def _load_trainer():
    spec = importlib.util.spec_from_file_location(
        "train_extractor", ROOT / "benchmarks" / "train_extractor.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_learned_cue_adds_what_the_rules_miss() -> None:
    from provenance.articles.extraction.learned import load_model
    from provenance.articles.extraction.rules import extract_with_model

    text = "Democrats are worried about turnout among young voters."
    assert extract_with_model(text, None) == []
    assert load_model() is not None
    a, t = only(text)
    assert t["cue"] == ["worried"]
    assert t["content"] == ["turnout among young voters"]
    assert a.mode == "paraphrase"


def test_learned_model_never_duplicates_a_rule_cue() -> None:
    text = '"We will win," Smith said. The senator believes the bill will pass.'
    cues = [t["cue"] for t in (texts(text, a) for a in legacy_attributions(text))]
    assert cues == [["said"], ["believes"]]


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR dev data not available")
def test_train_script_runs_on_two_docs(tmp_path: Path) -> None:
    import json

    out = tmp_path / "model.json"
    assert _load_trainer().main(["--data", str(POLNEAR), "--docs", "2", "--out", str(out)]) == 0
    model = json.loads(out.read_text(encoding="utf-8"))
    assert model["format"] == "provenance-cue-logreg/1" and model["weights"]


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR dev data not available")
def test_shipped_model_is_what_the_training_script_produces(tmp_path: Path) -> None:
    from provenance.articles.extraction.learned import MODEL_PATH

    out = tmp_path / "model.json"
    assert _load_trainer().main(["--data", str(POLNEAR), "--split", "tune", "--out", str(out)]) == 0
    assert out.read_bytes() == MODEL_PATH.read_bytes()


# --------------------------------------------------------------------------- the page's layout


def test_a_photo_credit_makes_the_agency_speak_the_caption() -> None:
    text = ("Crowds gather in the square.\n\nMourners at the site of the two explosions near the"
            " mosque in Kerman. (Photo by JANE ROE/ISNA/AFP via Getty Images)\n\nA view of the"
            " scene after the blasts\nStringer/Anadolu via Getty\n")
    caption, spans = find(text, "(Photo by JANE ROE/ISNA/AFP via Getty Images)")
    assert spans["source"] == ["AFP"]
    assert spans["content"] == ["Mourners at the site of the two explosions near the mosque in Kerman"]
    _, spans = find(text, "Stringer/Anadolu via Getty")  # the credit on a line of its own
    assert (spans["source"], spans["content"]) == (["Anadolu"], ["A view of the scene after the blasts"])


def test_a_headline_and_a_sentence_ending_in_a_present_tense_cue() -> None:
    text = ("Islamic State Claims Responsibility for Fatal Attack in Iran\n\n84 people were killed"
            " and more than 280 wounded in the blasts, Iranian authorities report as of Thursday.\n\n"
            "Since then, officials have made several claims of arrests.\n")
    _, spans = find(text, "Claims")
    assert (spans["source"], spans["content"]) == (["Islamic State"],
                                                   ["Responsibility for Fatal Attack in Iran"])
    _, spans = find(text, "report")
    assert spans["source"] == ["Iranian authorities"]
    assert spans["content"] == ["84 people were killed and more than 280 wounded in the blasts"]
    assert not [a for a in extract_attributions(text)
                if "claims" in [text[s.start:s.end] for s in a.cue]]  # a noun, not a cue


def test_maintains_that_and_a_claim_also_made_by_others() -> None:
    text = ("The Iranian government maintains that the group is a foreign proxy.\n\nStating that ISIS"
            " is a foreign creation, a claim often made by Tehran officials, the ministry said two"
            " people were arrested.\n")
    _, spans = find(text, "maintains")
    assert (spans["source"], spans["content"]) == (["The Iranian government"],
                                                   ["the group is a foreign proxy"])
    _, spans = find(text, "a claim often made by")
    assert (spans["source"], spans["content"]) == (["Tehran officials"], ["ISIS is a foreign creation"])


def test_despite_denials_from_someone_is_their_denial() -> None:
    text = ("The group claimed the attack, but Russia pursued a Ukrainian link, despite emphatic"
            " denials from Ukrainian officials that Kyiv had anything to do with it.\n")
    denial, spans = find(text, "denials")
    assert (spans["source"], spans["content"], denial.stance) == (
        ["Ukrainian officials"], ["Kyiv had anything to do with it"], "denies")
