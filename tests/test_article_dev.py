"""The development-set benchmark runs, its figures are consistent, and every draft loads."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_article_dev_benchmark_measures_and_every_draft_loads() -> None:
    spec = importlib.util.spec_from_file_location("article_dev", ROOT / "benchmarks" / "article_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure()
    assert result["articles"] == 6 and result["attributions"] > 30
    for figure in ("precision", "recall", "f1", "right_speaker", "right_chain", "right_claim_link"):
        assert 0 < result[figure] <= 1
    assert result["drafts_loading_one_by_one"] == result["drafts_loading_together_fresh"] == "6 of 6"
