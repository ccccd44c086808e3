"""Drafting quality on the hand-annotated development set, and extract speed against many claims.

For each article of ``benchmarks/articles-dev/`` (annotations in ``annotations.yaml``), drafts it
against the seed database as ``provenance extract FILE --outlet NAME`` does, then compares:

- attribution precision, recall and F1 (a drafted statement's excerpt overlapping an annotated
  attribution's anchor finds it);
- of the attributions found: the right speaker, the right chain of intermediaries, the right
  stance; of those expressing a known claim: the right link; of the annotated figures: those
  drafted as numeric claims with the right value and qualifier;
- whether every draft loads: one after another into the seed database, and all together into a
  fresh one.

Sets (``--set NAME`` or ``--set DIR``, a folder with ``annotations.yaml``): ``dev`` (the default;
short articles written in our own words and annotated while the resolver was built: development
figures, not a held-out evaluation), ``heldout`` (the same kind, annotated after the resolver was
frozen for it) and ``real`` (``benchmarks/articles-real/``: published articles, several outlets
and stories, annotated by hand). Figures are printed per article and in total.

    python benchmarks/article_dev.py [--set dev|heldout|real|DIR] [--json] [--verbose]
    python benchmarks/article_dev.py --speed 100000     # extract with linking against 10^5 claims
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from provenance.articles import drafts  # noqa: E402
from provenance.datasets import loader  # noqa: E402
from provenance.errors import ProvenanceError  # noqa: E402
from provenance.store import database  # noqa: E402

DEV = ROOT / "benchmarks" / "articles-dev"
SETS = {"dev": DEV, "heldout": ROOT / "benchmarks" / "articles-heldout",
        "real": ROOT / "benchmarks" / "articles-real"}
VERBOSE = "--verbose" in sys.argv


def _span(body: str, excerpt: str, start: int | None) -> tuple[int, int]:
    at = start if start is not None else body.find(excerpt)
    return at, at + len(excerpt)


def _same_agent(predicted: str, gold: str, known: set[str]) -> bool:
    if gold == "anonymous":
        return "-anonymous-" in predicted
    return predicted == gold or (gold not in known and gold in predicted)


def _drafted(claims: set[str], new: dict[str, tuple], known: dict[str, tuple]) -> set[tuple]:
    return {(q[0].rsplit("-", 1)[-1], float(q[1]), q[2])
            for q in (new.get(c) or known.get(c) for c in claims) if q}


def _score_article(article: dict[str, Any], dataset: dict[str, Any], body: str, known: set[str],
                   quantities: dict[str, tuple[str, float, str]]) -> dict[str, int]:
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for statement in dataset["statements"]:
        report = statement["reports"][0]
        groups.setdefault(_span(body, report["excerpt"], report.get("start")), []).append(statement)
    new_quantities = {c["id"]: (c["quantity"]["key"], c["quantity"]["value"], c["quantity"]["qualifier"])
                      for c in dataset["claims"] if c.get("quantity")}
    new_claims = {c["id"] for c in dataset["claims"]}
    counts = dict.fromkeys(["gold", "predicted", "found", "matched_predictions", "speaker", "chain",
                            "stance", "claims", "claim_right", "links_wrong", "figures",
                            "figures_right"], 0)
    counts["predicted"] = len(groups)
    used: set[tuple[int, int]] = set()
    for gold in article["attributions"]:
        counts["gold"] += 1
        counts["claims"] += gold["claim"] is not None
        counts["figures"] += len(gold.get("figures", []))
        at = body.find(gold["anchor"])
        assert at >= 0, f"{article['file']}: anchor not found: {gold['anchor']!r}"
        anchor = (at, at + len(gold["anchor"]))
        hits = [span for span in groups if span[0] < anchor[1] and anchor[0] < span[1]]
        if not hits:
            if VERBOSE:
                print(f"{article['file']}: {gold['anchor']!r}: not drafted", file=sys.stderr)
            continue
        span = min(hits, key=lambda s: (s in used, abs(s[0] - anchor[0])))
        used.add(span)
        statements = groups[span]
        first = statements[0]
        via = first["reports"][0].get("via", [])
        counts["found"] += 1
        counts["speaker"] += _same_agent(first["speaker"], gold["speaker"], known)
        chain_right = len(via) == len(gold["via"]) and all(
            _same_agent(p, g, known) for p, g in zip(via, gold["via"], strict=True))
        counts["chain"] += chain_right
        if VERBOSE and not chain_right:
            print(f"{article['file']}: {gold['anchor']!r}: via {via} (want {gold['via']})",
                  file=sys.stderr)
        counts["stance"] += first["stance"] == gold["stance"]
        claims = {s["claim"] for s in statements}
        counts["claim_right"] += gold["claim"] is not None and gold["claim"] in claims
        wrong_link = any(c not in (gold["claim"], *new_claims) for c in claims)
        counts["links_wrong"] += wrong_link
        if VERBOSE and first["stance"] != gold["stance"]:
            print(f"{article['file']}: {gold['anchor']!r}: stance {first['stance']}", file=sys.stderr)
        if VERBOSE and sum((m, float(v), q) in _drafted(claims, new_quantities, quantities)
                           for m, v, q in gold.get("figures", [])) < len(gold.get("figures", [])):
            print(f"{article['file']}: {gold['anchor']!r}: figures"
                  f" {_drafted(claims, new_quantities, quantities)}", file=sys.stderr)
        if VERBOSE and (gold["claim"] is not None and gold["claim"] not in claims or wrong_link
                        or not _same_agent(first["speaker"], gold["speaker"], known)):
            print(f"{article['file']}: {gold['anchor']!r}: speaker {first['speaker']} (want"
                  f" {gold['speaker']}), claims {sorted(claims)} (want {gold['claim']})"
                  f" note: {first.get('note')}", file=sys.stderr)
        drafted = _drafted(claims, new_quantities, quantities)
        counts["figures_right"] += sum((m, float(v), qual) in drafted
                                       for m, v, qual in gold.get("figures", []))
    counts["matched_predictions"] = len(used)
    if VERBOSE:
        for span in sorted(groups.keys() - used):
            print(f"{article['file']}: drafted but not annotated: {body[span[0]:span[1]]!r}"
                  f" ({groups[span][0]['speaker']})", file=sys.stderr)
    return counts


def _rates(counts: dict[str, int]) -> dict[str, float]:
    """Precision, recall, F1 and the right-speaker/chain/stance/claim rates of one tally."""
    precision = counts["matched_predictions"] / max(counts["predicted"], 1)
    recall = counts["found"] / max(counts["gold"], 1)
    found = max(counts["found"], 1)
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-9), 3),
        "right_speaker": round(counts["speaker"] / found, 3),
        "right_chain": round(counts["chain"] / found, 3),
        "right_stance": round(counts["stance"] / found, 3),
        "right_claim_link": round(counts["claim_right"] / max(counts["claims"], 1), 3),
    }


def _article_row(file: str, counts: dict[str, int], loads: bool) -> dict[str, Any]:
    rates = _rates(counts)
    return {"article": file, "attributions": counts["gold"], "drafted": counts["predicted"],
            "found": counts["found"], "f1": rates["f1"], "speaker": rates["right_speaker"],
            "chain": rates["right_chain"], "stance": rates["right_stance"],
            "claim_links": f"{counts['claim_right']}/{counts['claims']}",
            "wrong_links": counts["links_wrong"],
            "figures": f"{counts['figures_right']}/{counts['figures']}", "loads": loads}


def measure(dev: Path = DEV) -> dict[str, Any]:
    """Figures over an annotated set, in total and per article (see the module's description)."""
    annotations = yaml.safe_load((dev / "annotations.yaml").read_text(encoding="utf-8"))["articles"]
    totals: dict[str, int] = {}
    per_article: list[tuple[str, dict[str, int]]] = []
    loaded: list[bool] = []
    loads = {"one_by_one": 0, "together": 0}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seeded = work / "seeds.db"
        engine = database.connect(database.resolve(str(seeded)))
        loader.load(engine, [ROOT / "seeds"])
        with engine.connect() as connection:
            known = {row[0] for row in connection.execute(text("SELECT id FROM agent"))}
            quantities = {row[0]: (row[1], row[2], row[3]) for row in connection.execute(text(
                "SELECT id, quantity_key, value, qualifier FROM claim WHERE quantity_key IS NOT NULL"))}
        paths = []
        for article in annotations:
            file = dev / article["file"]
            shutil.copy(file, work / file.name)
            sources = drafts.gather_sources(engine, [str(work / file.name)])
            dataset, _ = drafts.draft(engine, sources, draft_dir=work, outlet=article["outlet"])
            path = work / f"{file.stem}.yaml"
            drafts.write_yaml(dataset, path)
            paths.append(path)
            counts = _score_article(article, dataset, sources[0].text, known, quantities)
            per_article.append((article["file"], counts))
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
        for path in paths:
            try:
                loader.load(engine, [path])
                loads["one_by_one"] += 1
                loaded.append(True)
            except ProvenanceError as error:
                loaded.append(False)
                print(f"{path.name} does not load: {error}", file=sys.stderr)
        engine.dispose()
        fresh = database.connect(database.resolve(str(work / "fresh.db")))
        try:
            loader.load(fresh, [ROOT / "seeds", *paths])
            loads["together"] = len(paths)
        except ProvenanceError as error:
            print(f"the drafts do not load together into a fresh database: {error}", file=sys.stderr)
        fresh.dispose()
    by_story: dict[str, dict[str, int]] = {}
    loads_of_story: dict[str, bool] = {}
    for article, (_, counts), ok in zip(annotations, per_article, loaded, strict=True):
        story = article.get("story", "-")
        tally = by_story.setdefault(story, dict.fromkeys(counts, 0))
        for key, value in counts.items():
            tally[key] += value
        loads_of_story[story] = loads_of_story.get(story, True) and ok
    return {
        "articles": len(annotations),
        "attributions": totals["gold"],
        **_rates(totals),
        "claims_expressed": totals["claims"],
        "links_to_a_wrong_claim": totals["links_wrong"],
        "figures": f"{totals['figures_right']} of {totals['figures']}",
        "drafts_loading_one_by_one": f"{loads['one_by_one']} of {len(annotations)}",
        "drafts_loading_together_fresh": f"{loads['together']} of {len(annotations)}",
        "per_article": [_article_row(file, counts, ok)
                        for (file, counts), ok in zip(per_article, loaded, strict=True)],
        "per_story": [_article_row(f"story: {story}", counts, loads_of_story[story])
                      for story, counts in by_story.items()],
    }


def speed(claims: int, rounds: int = 10) -> dict[str, Any]:
    """Articles per second drafted (extract + resolve + link) against ``claims`` synthetic claims."""
    import random

    words = ["attack", "bombing", "killed", "injured", "arrested", "minister", "said", "blast",
             "city", "officials", "group", "claimed", "responsibility", "toll", "revised", "police",
             "suspects", "explosives", "convoy", "border", "missile", "strike", "army", "rebels",
             "ceasefire", "talks", "election", "protest", "court", "ruling"]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        engine = database.connect(database.resolve(str(Path(tmp) / "speed.db")))
        loader.load(engine, [ROOT / "seeds"])
        from provenance.datasets.files import ParsedFile
        from provenance.datasets.format import ClaimIn, Dataset

        batch = [ClaimIn(id=f"synthetic-{i}", text=" ".join(rng.choices(words, k=9)) + f" {i % 500}")
                 for i in range(claims)]
        loader.load_datasets(engine, [ParsedFile(path=Path(tmp) / "synthetic.yaml",
                                                 shown="synthetic.yaml", dataset=Dataset(claims=batch))])
        files = sorted(DEV.glob("*.txt"))
        sources = drafts.gather_sources(engine, [str(f) for f in files])
        drafts.draft(engine, sources, draft_dir=Path(tmp))  # warm: imports, caches of the process
        timings = {}
        for label, target in (("without a database", None), ("linking", engine)):
            started = time.perf_counter()
            for _ in range(rounds):
                drafts.draft(target, sources, draft_dir=Path(tmp))
            timings[label] = time.perf_counter() - started
        engine.dispose()
    done = len(files) * rounds
    return {"claims": claims + 150, "articles": done,
            "articles_per_second_without_database": round(done / timings["without a database"], 1),
            "articles_per_second_linking": round(done / timings["linking"], 1)}


def _annotated_set(value: str) -> Path:
    """``--set``: a set's name or a folder holding ``annotations.yaml``."""
    folder = SETS.get(value, Path(value))
    if not (folder / "annotations.yaml").is_file():
        raise argparse.ArgumentTypeError(
            f"{value}: neither a set ({', '.join(SETS)}) nor a folder with annotations.yaml")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="Show each miss on stderr.")
    parser.add_argument("--set", type=_annotated_set, default=DEV, metavar="NAME|DIR",
                        help="The annotated articles: dev (default), heldout, real, or a folder"
                        " holding annotations.yaml.")
    parser.add_argument("--speed", type=int, metavar="CLAIMS",
                        help="Time extract with linking against this many synthetic claims instead.")
    options = parser.parse_args()
    result = speed(options.speed) if options.speed else measure(options.set)
    if options.json:
        print(json.dumps(result, indent=2))
        return
    rows = result.pop("per_article", None)
    stories = result.pop("per_story", None)
    if rows:
        print(tabulate(rows + (stories or []), headers="keys"))
        print()
    print(tabulate(result.items(), headers=["figure", "value"]))


if __name__ == "__main__":
    main()
