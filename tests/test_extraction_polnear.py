"""Tests for the PolNeAR loader (the scorer itself is tested through benchmarks/polnear.py)."""

from __future__ import annotations

from pathlib import Path

from provenance.articles.extraction import polnear

ANN = (
    "T1\tCue 6 10\tsaid\nT2\tContent 11 19\tit rained\nT3\tAttribution 6 10\tsaid\n"
    "E1\tAttribution:T3 Content:T2 Cue:T1\n"
)


def test_first_annotator_by_id_and_no_prefix_confusion(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc.txt").write_text("Smith said it rained.", encoding="utf-8")
    (tmp_path / "text" / "doc_x.txt").write_text("Smith said it rained.", encoding="utf-8")
    (tmp_path / "attributions" / "doc_x_a1.ann").write_text(ANN, encoding="utf-8")
    docs = polnear.load_docs(tmp_path)
    assert [(d.name, len(d.gold)) for d in docs] == [("doc", 0), ("doc_x", 1)]  # not doc_x's file
    assert docs[1].gold[0].cue == ((6, 10),)
    (tmp_path / "attributions" / "doc_x_0a.ann").write_text("", encoding="utf-8")
    assert [len(d.gold) for d in polnear.load_docs(tmp_path)] == [0, 0]  # smallest annotator id
