"""Train the previous extractor's learned cue detector (``extraction/model.json``) on PolNeAR TUNE.

The current extractor is the CRF tagger, retrained by ``python -m provenance.articles.extraction.train``;
this script is kept so the previous extractor (``PROVENANCE_EXTRACTOR=rules``) stays reproducible.

Usage::

    python benchmarks/train_extractor.py [--data DIR] [--split tune] [--docs N]
                                         [--out FILE] [--cv K] [--threshold T]

Every candidate token (a word or a ``:``/dash outside quotations) is an example; it is positive
when it lies inside a gold cue. A logistic regression over sparse binary features is fitted by
AdaGrad SGD in pure Python with a fixed seed, so the output is byte-for-byte reproducible.

``--cv K`` runs K-fold cross-validation over TUNE documents (never HELDOUT) and reports the
attribution-level F1 of rules + model for several thresholds; the threshold written to the
model is ``--threshold`` (chosen that way).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import polnear  # noqa: E402

from provenance.articles.extract import attributions_to_jsonl_record  # noqa: E402
from provenance.articles.extraction.learned import MODEL_PATH, Model, sentence_examples  # noqa: E402
from provenance.articles.extraction.rules import extract_with_model, rule_attributions  # noqa: E402

EPOCHS = 3
LEARNING_RATE = 0.3
L2 = 1e-5
POSITIVE_WEIGHT = 1.0
MIN_FEATURE_COUNT = 3
MIN_ABS_WEIGHT = 1e-3
SEED = 20160912
DEFAULT_THRESHOLD = 0.8

Example = tuple[list[str], int]


def doc_examples(doc: polnear.Doc) -> list[Example]:
    """Candidate tokens of one document with their gold label (inside a gold cue or not)."""
    cue_frags = sorted(f for a in doc.gold for f in a.cue)
    out = []
    sents, found, _ = rule_attributions(doc.text)
    for sent, rules in zip(sents, found, strict=True):
        toks, idx, feats = sentence_examples(doc.text, sent, rules)
        for i, f in zip(idx, feats, strict=True):
            t = toks[i]
            label = int(any(s < t.end and t.start < e for s, e in cue_frags))
            out.append((f, label))
    return out


def train(examples: Sequence[Example], threshold: float = DEFAULT_THRESHOLD) -> Model:
    """Fit the logistic regression (AdaGrad SGD, fixed seed)."""
    counts = Counter(f for feats, _ in examples for f in set(feats))
    kept = [([f for f in feats if counts[f] >= MIN_FEATURE_COUNT], y) for feats, y in examples]
    w: dict[str, float] = {}
    g2: dict[str, float] = {}
    order = list(range(len(kept)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for k in order:
            feats, y = kept[k]
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            grad = (p - y) * (POSITIVE_WEIGHT if y else 1.0)
            for f in feats:
                wf = w.get(f, 0.0)
                g = grad + L2 * wf
                acc = g2.get(f, 0.0) + g * g
                g2[f] = acc
                w[f] = wf - LEARNING_RATE * g / (math.sqrt(acc) + 1e-8)
    weights = {f: round(v, 5) for f, v in w.items() if abs(v) >= MIN_ABS_WEIGHT}
    return Model(weights, threshold)


def predict(docs: Sequence[polnear.Doc], model: Model | None) -> dict[str, list]:
    """Predictions of rules (+ model) as the scorer reads them."""
    return {
        d.name: polnear.from_record(attributions_to_jsonl_record(d.name, extract_with_model(d.text, model)))
        for d in docs
    }


def cross_validate(docs: list[polnear.Doc], k: int, thresholds: Sequence[float]) -> list[list[object]]:
    """Attribution P/R/F1 of rules + model over K folds of ``docs``, per threshold."""
    folds = [docs[i::k] for i in range(k)]
    totals = {t: polnear.Counts() for t in thresholds}
    rules_only = polnear.Counts()
    for i, test in enumerate(folds):
        train_docs = [d for j, f in enumerate(folds) if j != i for d in f]
        model = train([ex for d in train_docs for ex in doc_examples(d)])
        rules_only.add(*_att(test, predict(test, None)))
        for t in thresholds:
            totals[t].add(*_att(test, predict(test, Model(model.weights, t))))
    rows: list[list[object]] = [["rules", *rules_only.prf()]]
    rows += [[t, *c.prf()] for t, c in totals.items()]
    return rows


def _att(docs: Sequence[polnear.Doc], pred: dict[str, list]) -> tuple[int, int, int]:
    c = polnear.score(list(docs), pred)["attribution"]
    return c.tp, c.n_pred, c.n_gold


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=polnear.DEFAULT_DATA)
    parser.add_argument("--split", choices=("tune",), default="tune", help="only TUNE may be trained on")
    parser.add_argument("--docs", type=int, help="only the first N documents of the split")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", type=int, help="report K-fold cross-validation on TUNE instead of writing")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args(argv)

    docs = polnear.select_split(polnear.load_docs(args.data), args.split)
    if args.docs:
        docs = docs[: args.docs]
    if args.cv:
        rows = cross_validate(docs, args.cv, [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9])
        print(polnear.tabulate(rows, headers=["threshold", "P", "R", "F1"], floatfmt=".3f"))
        return 0
    model = train([ex for d in docs for ex in doc_examples(d)], args.threshold)
    args.out.write_text(json.dumps(model.to_json(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(model.weights)} weights, threshold {model.threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
