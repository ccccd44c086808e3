"""The article benchmark runs on each annotated set, its figures are consistent, every draft of
the development set loads, and the annotations agree with their texts and the seeds."""

from __future__ import annotations

import importlib.util

import yaml

from provenance.store.vocabulary import Qualifier, Stance, values
from tests.conftest import ROOT, SEEDS


def test_article_dev_benchmark_measures_and_every_draft_loads() -> None:
    spec = importlib.util.spec_from_file_location("article_dev", ROOT / "benchmarks" / "article_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure()
    assert result["articles"] == 6 and result["attributions"] > 30
    for figure in ("precision", "recall", "f1", "right_speaker", "right_chain", "right_claim_link"):
        assert 0 < result[figure] <= 1
    assert result["drafts_loading_one_by_one"] == result["drafts_loading_together_fresh"] == "6 of 6"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("article_dev", ROOT / "benchmarks" / "article_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_annotated_set_is_consistent_with_its_texts_and_the_seeds() -> None:
    """Anchors are in their article, claims are seed claims, values are the vocabulary's; every
    text is annotated; the real set records where each article was published."""
    claims = {c["id"] for c in yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))["claims"]}
    for name, folder in _load_benchmark().SETS.items():
        articles = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))["articles"]
        assert sorted(a["file"] for a in articles) == sorted(p.name for p in folder.glob("*.txt")), name
        for article in articles:
            body = (folder / article["file"]).read_text(encoding="utf-8")
            if name == "real":
                assert {"outlet", "story", "url", "published"} <= article.keys(), article["file"]
            for gold in article["attributions"]:
                where = f"{name}/{article['file']}: {gold['anchor']!r}"
                assert gold["anchor"] in body, where
                assert gold["stance"] in values(Stance), where
                assert gold["claim"] is None or gold["claim"] in claims, where
                assert isinstance(gold["via"], list) and gold["speaker"], where
                for quantity, value, qualifier in gold.get("figures", []):
                    assert quantity in ("killed", "injured", "arrested") and value > 0, where
                    assert qualifier in values(Qualifier), where


def test_article_dev_benchmark_runs_by_set_name_with_figures_per_article() -> None:
    module = _load_benchmark()
    result = module.measure(module._annotated_set("real"))
    rows = result["per_article"]
    assert len(rows) == result["articles"] >= 10
    assert sum(row["attributions"] for row in rows) == result["attributions"] >= 100
    assert sum(row["attributions"] for row in result["per_story"]) == result["attributions"]
    assert len(result["per_story"]) >= 2
    for figure in ("precision", "recall", "f1", "right_speaker", "right_chain", "right_stance"):
        assert 0 <= result[figure] <= 1
