"""Score the attribution extractor against PolNeAR dev, side by side with the previous one.

Usage::

    python benchmarks/polnear.py [--data DIR] [--predictions FILE] [--split all|tune|heldout]
                                 [--extractor both|tagger|rules] [--docs N] [--speed N] [--json]

Gold: ``text/<doc>.txt`` plus brat standoff ``attributions/<doc>_<annotator>.ann`` (the first
annotator by id). Scoring lives in ``provenance.articles.extraction.polnear``: per role (source,
cue, content) exact and overlap matching, one-to-one; per attribution, cue AND content overlap.

Systems, in the same run: ``tagger`` (the trained CRF, the default extractor), ``rules`` (the
previous extractor: rules plus a logistic cue detector, ``PROVENANCE_EXTRACTOR=rules``) and a
naive baseline (quoted text + "said"/"says"). The tagger's settings were tuned on the whole dev
split, so its dev figures are development figures, not held-out ones (the trainer reports a
held-out tenth of polnear-train). The old TUNE/HELDOUT halves (sha256 of the document name)
are kept for the rules' history.

``--speed N`` also times ``provenance extract DIR --format jsonl`` over the selected articles
in a fresh process per run (process start included), best of N runs, per extractor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.articles.extract import attributions_to_jsonl_record  # noqa: E402
from provenance.articles.extraction import extract_attributions, legacy_attributions  # noqa: E402
from provenance.articles.extraction.polnear import (  # noqa: E402, F401  (re-exported for tests)
    ROLES,
    Counts,
    Doc,
    GoldAttribution,
    Tokens,
    attribution_tp,
    figures,
    from_record,
    load_docs,
    max_matching,
    parse_ann,
    role_counts,
    score,
    trim,
)

# The corpus sits in shared/ beside the repository (../shared/data/polnear-dev).
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polnear-dev"
EXTRACTORS: dict[str, Callable[[str], list]] = {"tagger": extract_attributions, "rules": legacy_attributions}


def split_names(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Deterministic TUNE/HELDOUT halves: order by sha256(name), first half is TUNE."""
    ordered = sorted(names, key=lambda n: hashlib.sha256(n.encode("utf-8")).hexdigest())
    half = (len(ordered) + 1) // 2
    return sorted(ordered[:half]), sorted(ordered[half:])


def select_split(docs: list[Doc], split: str) -> list[Doc]:
    """Return the documents of one split ("tune", "heldout" or "all")."""
    if split == "all":
        return docs
    tune, heldout = split_names(d.name for d in docs)
    wanted = set(tune if split == "tune" else heldout)
    return [d for d in docs if d.name in wanted]




def run_extractor(
    docs: list[Doc], extract: Callable[[str], list] = extract_attributions
) -> tuple[dict[str, list[GoldAttribution]], float]:
    """Run an extractor on every document; return predictions and elapsed seconds."""
    started = time.perf_counter()
    records = [attributions_to_jsonl_record(d.name, extract(d.text)) for d in docs]
    elapsed = time.perf_counter() - started
    return {r["doc"]: from_record(r) for r in records}, elapsed


def load_predictions(path: Path) -> dict[str, list[GoldAttribution]]:
    """Read a predictions jsonl file (one record per document)."""
    out: dict[str, list[GoldAttribution]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            out[record["doc"]] = from_record(record)
    return out


NAIVE_QUOTE = re.compile(r"[\"“]([^\"“”\n]{3,}?)[\"”]")
NAIVE_SAID = re.compile(r"\b(said|says)\b")
NAIVE_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def naive_extract(text: str) -> list[GoldAttribution]:
    """Baseline: every "said"/"says" is a cue; its content is a quotation ending within 40
    chars before it, else the rest of its sentence after the verb."""
    quotes = [m.span() for m in NAIVE_QUOTE.finditer(text)]
    out = []
    for said in NAIVE_SAID.finditer(text):
        before = [q for q in quotes if 0 <= said.start() - q[1] <= 40]
        if before:
            content = before[-1]
        else:
            end = NAIVE_SENTENCE_END.search(text, said.end())
            content = (said.end(), end.start() if end else len(text))
        out.append(GoldAttribution((), (said.span(),), (content,)))
    return out


# --------------------------------------------------------------------------- speed


def cli_speed(docs: list[Doc], extractor: str, runs: int) -> dict[str, float]:
    """Best wall and CPU seconds of ``provenance extract DIR --format jsonl`` over ``docs``."""
    exe = Path(sys.executable).parent / "provenance"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "provenance.cli"]
    env = {**os.environ, "PROVENANCE_EXTRACTOR": extractor}
    best_wall = best_cpu = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for d in docs:
            (folder / f"{d.name}.txt").write_text(d.text, encoding="utf-8")
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(
                [*command, "--db", str(Path(tmp) / "none.db"), "extract", str(folder), "--format", "jsonl"],
                check=True, env=env, stdout=subprocess.DEVNULL, cwd=tmp,
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    n = len(docs)
    return {"seconds": best_wall, "cpu_seconds": best_cpu,
            "articles_per_s": n / best_wall, "articles_per_cpu_s": n / best_cpu}


# --------------------------------------------------------------------------- report


def table(systems: dict[str, dict[str, dict[str, float]]]) -> str:
    """One row per metric: P/R/F1 of the first system, then F1 of every other system."""
    names = list(systems)
    first = systems[names[0]]
    rows = []
    for key, f in first.items():
        rows.append([key, f["p"], f["r"], f["f1"], f["tp"], f["pred"], f["gold"],
                     *(systems[n][key]["f1"] for n in names[1:])])
    headers = ["metric", f"{names[0]} P", "R", "F1", "tp", "pred", "gold", *(f"{n} F1" for n in names[1:])]
    return tabulate(rows, headers=headers, floatfmt=".3f")


def evaluate(
    docs: list[Doc],
    predictions: dict[str, list[GoldAttribution]] | None,
    extractors: Sequence[str] = ("tagger",),
) -> dict[str, object]:
    """Score the given predictions, or each extractor, and the naive baseline on ``docs``."""
    systems: dict[str, dict[str, dict[str, float]]] = {}
    throughput: dict[str, dict[str, float]] = {}
    chars = sum(len(d.text) for d in docs)
    if predictions is not None:
        systems["predictions"] = figures(score(docs, predictions))
    else:
        for name in extractors:
            pred, elapsed = run_extractor(docs, EXTRACTORS[name])
            systems[name] = figures(score(docs, pred))
            throughput[name] = {"seconds": elapsed, "articles_per_s": len(docs) / elapsed if elapsed else 0.0,
                                "chars_per_s": chars / elapsed if elapsed else 0.0}
    systems["naive"] = figures(score(docs, {d.name: naive_extract(d.text) for d in docs}))
    return {"docs": len(docs), "chars": chars, "systems": systems, "throughput": throughput}


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--predictions", type=Path, help="jsonl predictions instead of running")
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    parser.add_argument("--extractor", choices=("both", *EXTRACTORS), default="both")
    parser.add_argument("--docs", type=int, help="only the first N documents of the split")
    parser.add_argument("--speed", type=int, default=0, metavar="N",
                        help="time `provenance extract DIR --format jsonl`, best of N runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    docs = select_split(load_docs(args.data), args.split)
    if args.docs:
        docs = docs[: args.docs]
    extractors = list(EXTRACTORS) if args.extractor == "both" else [args.extractor]
    predictions = load_predictions(args.predictions) if args.predictions else None
    result = evaluate(docs, predictions, extractors)
    if args.speed:
        result["cli"] = {name: cli_speed(docs, name, args.speed) for name in extractors}
    if args.json:
        out(json.dumps({"split": args.split, **result}, indent=2))
        return 0
    out(f"PolNeAR dev, split={args.split}: {result['docs']} documents, {result['chars']} chars")
    out(table(result["systems"]))  # type: ignore[arg-type]
    for name, t in result["throughput"].items():  # type: ignore[attr-defined]
        out(f"{name} in-process: {t['articles_per_s']:.1f} articles/s, {t['chars_per_s']:.0f} chars/s")
    for name, t in result.get("cli", {}).items():  # type: ignore[attr-defined]
        out(f"{name} `provenance extract DIR --format jsonl` (process start included): "
            f"{t['articles_per_s']:.1f} articles/s wall ({t['seconds']:.2f} s), "
            f"{t['articles_per_cpu_s']:.1f} articles/s of CPU ({t['cpu_seconds']:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
