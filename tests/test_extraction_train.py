"""Tests for retraining the CRF tagger: gold labels, a tiny deterministic run, its figures."""

from __future__ import annotations

from pathlib import Path

from provenance.articles.extraction import polnear
from provenance.articles.extraction.features import paragraph_tokens
from provenance.articles.extraction.tagger import group_paragraphs
from provenance.articles.extraction.text import sentences
from provenance.articles.extraction.train import gold_labels, is_heldout, main

TEXT = "Smith said the plan would fail. Jones told reporters that Smith was wrong.\n"
ANN = (
    "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 30\tthe plan would fail\n"
    "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tSource 32 37\tJones\nT6\tCue 38 42\ttold\nT7\tContent 58 73\tSmith was wrong\n"
    "T8\tAttribution 38 42\ttold\nE2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
)


def _corpus(folder: Path, copies: int) -> Path:
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for i in range(copies):
        (folder / "text" / f"doc{i}.txt").write_text(TEXT, encoding="utf-8")
        (folder / "attributions" / f"doc{i}_a1.ann").write_text(ANN, encoding="utf-8")
    return folder


def test_gold_labels_bio_with_cue_priority() -> None:
    doc = polnear.parse_ann(ANN)
    toks = paragraph_tokens(TEXT, sentences(TEXT))
    labels = gold_labels(polnear.Doc("d", TEXT, doc), toks)
    pairs = [(TEXT[t.start : t.end], label) for t, label in zip(toks, labels, strict=True)]
    assert pairs[:7] == [
        ("Smith", "B-source"), ("said", "B-cue"), ("the", "B-content"), ("plan", "I-content"),
        ("would", "I-content"), ("fail", "I-content"), (".", "O"),
    ]
    assert pairs[8:11] == [("told", "B-cue"), ("reporters", "O"), ("that", "O")]


def test_nested_gold_span_splits_the_outer_content() -> None:
    text = "Smith said Jones told him it rained."
    ann = (
        "T1\tCue 6 10\tsaid\nT2\tContent 11 35\tx\nT3\tAttribution 6 10\tsaid\n"
        "E1\tAttribution:T3 Content:T2 Cue:T1\n"
        "T4\tSource 11 16\tJones\nT5\tCue 17 21\ttold\nT6\tContent 26 35\tit rained\n"
        "T7\tAttribution 17 21\ttold\nE2\tAttribution:T7 Content:T6 Cue:T5 Source:T4\n"
    )
    toks = paragraph_tokens(text, sentences(text))
    labels = gold_labels(polnear.Doc("d", text, polnear.parse_ann(ann)), toks)
    assert labels == ["O", "B-cue", "B-source", "B-cue", "B-content", "B-content", "I-content", "O"]


def test_heldout_tenth_is_fixed() -> None:
    names = [f"doc-{i}" for i in range(200)]
    held = [n for n in names if is_heldout(n)]
    assert 10 <= len(held) <= 30 and held == [n for n in reversed(names) if is_heldout(n)][::-1]


def test_training_is_deterministic_and_prints_figures(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 4)
    lines: list[str] = []
    first, second = tmp_path / "a.model", tmp_path / "b.model"
    args = ["--train", str(corpus), "--dev", str(corpus), "--iterations", "20"]
    assert main([*args, "--out", str(first)], lines.append) == 0
    assert main([*args, "--out", str(second), "--no-eval"], lines.append) == 0
    assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 0
    table = "\n".join(lines)
    assert "dev F1" in table and "attribution" in table and "cue/overlap" in table


def test_training_rejects_a_folder_without_texts(tmp_path: Path, capsys) -> None:
    assert main(["--train", str(tmp_path), "--dev", str(tmp_path), "--out", str(tmp_path / "m")]) == 2
    assert "not a PolNeAR folder" in capsys.readouterr().err


def test_paragraph_groups() -> None:
    text = "Anna said it rained.\nDora said it snowed. Greg said it hailed.\n"
    assert group_paragraphs(sentences(text)) == [[0], [1, 2]]
