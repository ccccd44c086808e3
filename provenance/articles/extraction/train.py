"""Retrain the CRF tagger from the PolNeAR folders and print its figures.

    python -m provenance.articles.extraction.train [--train DIR] [--dev DIR] [--out FILE]
                                                   [--docs N] [--iterations N]

Trains on ``polnear-train`` except a fixed tenth of it (``HELDOUT_SHARE``, chosen by the sha256
of the document name) that is never trained or tuned on; prints the attribution and per-role
figures on ``polnear-dev`` (what the settings were tuned on) and on that held-out tenth. The
training is deterministic (L-BFGS, no random state; documents in name order): the same folders
and settings give a byte-identical model file. Needs only the runtime dependencies.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tabulate import tabulate

from provenance.articles.extract import attributions_to_jsonl_record
from provenance.articles.extraction import polnear
from provenance.articles.extraction.features import ROLE_NAMES, Token
from provenance.articles.extraction.tagger import CRF_MODEL_PATH, document_sequences, tagged_attributions

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
HELDOUT_SHARE = 10  # one document in ten of polnear-train is held out
PARAMS = {
    "c1": 1.0,  # L1: prunes features, keeps the model small
    "c2": 0.01,
    "max_iterations": 150,
    "feature.minfreq": 3,
    "feature.possible_transitions": True,
}


def is_heldout(name: str) -> bool:
    """Whether a polnear-train document belongs to the held-out tenth."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % HELDOUT_SHARE == 0


def gold_labels(doc: polnear.Doc, toks: Sequence[Token]) -> list[str]:
    """BIO labels of a paragraph's tokens; where gold spans nest, cue beats source beats content."""
    # char -> (priority rank, span length: the innermost wins, attribution, role)
    owner: dict[int, tuple[int, int, int, str]] = {}
    for n, a in enumerate(doc.gold):
        for rank, role in enumerate(ROLE_NAMES):
            length = sum(e - s for s, e in getattr(a, role))
            for s, e in getattr(a, role):
                for c in range(s, e):
                    if c not in owner or owner[c] > (rank, length, n, role):
                        owner[c] = (rank, length, n, role)
    labels: list[str] = []
    previous = None
    for t in toks:
        hits = [owner[c] for c in range(t.start, t.end) if c in owner]
        if not hits:
            labels.append("O")
            previous = None
            continue
        key = min(hits)[2:]
        labels.append(("I-" if previous == key else "B-") + key[1])
        previous = key
    return labels


def train(docs: Sequence[polnear.Doc], out: Path, iterations: int) -> float:
    """Fit the CRF on ``docs`` and write it to ``out``; return the seconds taken."""
    import pycrfsuite

    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        _, _, sequences = document_sequences(doc.text)
        for _, toks, feats in sequences:
            trainer.append(feats, gold_labels(doc, toks))
    trainer.set_params({**PARAMS, "max_iterations": iterations})
    trainer.train(str(out))
    return time.perf_counter() - started


def evaluate(docs: Sequence[polnear.Doc], model: Path) -> dict[str, dict[str, float]]:
    """Attribution and per-role figures of the tagger in ``model`` on ``docs``."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    predictions = {
        d.name: polnear.from_record(attributions_to_jsonl_record(d.name, tagged_attributions(d.text, tagger)))
        for d in docs
    }
    return polnear.figures(polnear.score(list(docs), predictions))


def figures_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """One row per metric, P/R/F1 per evaluated set."""
    names = list(results)
    rows = []
    for metric in next(iter(results.values())):
        row: list[object] = [metric]
        for name in names:
            f = results[name][metric]
            row += [f["p"], f["r"], f["f1"]]
        rows.append(row)
    headers = ["metric", *(f"{n} {x}" for n in names for x in ("P", "R", "F1"))]
    return tabulate(rows, headers=headers, floatfmt=".3f")


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=SHARED / "polnear-train")
    parser.add_argument("--dev", type=Path, default=SHARED / "polnear-dev")
    parser.add_argument("--out", type=Path, default=CRF_MODEL_PATH)
    parser.add_argument("--docs", type=int, help="train on the first N training documents only")
    parser.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    parser.add_argument("--no-eval", action="store_true", help="write the model, print no figures")
    args = parser.parse_args(argv)
    for folder in (args.train, args.dev):
        if not (folder / "text").is_dir():
            print(f"error: {folder}: not a PolNeAR folder (no text/ inside)", file=sys.stderr)
            return 2
    corpus = polnear.load_docs(args.train)
    training = [d for d in corpus if not is_heldout(d.name)][: args.docs]
    heldout = [d for d in corpus if is_heldout(d.name)]
    seconds = train(training, args.out, args.iterations)
    size = args.out.stat().st_size
    out(f"wrote {args.out}: {size / 1e6:.2f} MB, {len(training)} documents, {seconds:.0f} s")
    if args.no_eval:
        return 0
    results = {"dev": evaluate(polnear.load_docs(args.dev), args.out)}
    if args.docs is None:
        results["train-heldout"] = evaluate(heldout, args.out)
    out(figures_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
