"""The seed-recall benchmark runs and its figures are consistent (no thresholds: it measures)."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT, SEEDS


def test_seed_recall_measures_every_curated_report() -> None:
    spec = importlib.util.spec_from_file_location("seed_recall", ROOT / "benchmarks" / "seed_recall.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure(SEEDS)
    everything, voiced = result["rows"]
    assert result["documents"] == 6  # five articles, and the blog's repost of OAN's as a document of its own
    assert everything["curated"] > voiced["curated"] > 0
    for row in (everything, voiced):
        assert 0 < row["speaker also right"] <= row["found"] <= row["curated"]
        assert row["recall"] == round(row["found"] / row["curated"], 3)
