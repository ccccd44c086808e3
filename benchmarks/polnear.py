"""Score the rule-based attribution extractor against PolNeAR (dev split).

Usage::

    python benchmarks/polnear.py [--data DIR] [--predictions FILE] [--split tune|heldout|all]
                                 [--docs N] [--json]

Gold: ``text/<doc>.txt`` plus brat standoff ``attributions/<doc>_<annotator>.ann``. When a
document has several annotators the one with the smallest annotator id is used.

The 84 documents are split deterministically into TUNE and HELDOUT halves by the sha256 of the
document name (sorted by digest, first half is TUNE). Rules were tuned looking at TUNE only; the
HELDOUT figure is the honest one.

Metrics:
  * per role (source, cue, content), unique spans per document, under exact matching
    (same fragments after trimming whitespace) and overlap matching (the spans share a token),
    one-to-one;
  * attribution level: a predicted attribution matches a gold one when its cue AND its content
    both overlap the gold one's, one-to-one (maximum bipartite matching);
  * throughput of the extractor (articles/s, chars/s);
  * a naive baseline (quoted text + "said"/"says" cue) computed in the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.articles.extract import (  # noqa: E402
    attributions_to_jsonl_record,
    extract_attributions,
)

# The corpus sits in shared/ beside the repository (../shared/data/polnear-dev).
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polnear-dev"
ROLES = ("source", "cue", "content")
Frag = tuple[int, int]
SpanT = tuple[Frag, ...]
TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution: fragments per role, as [start, end) offsets."""

    source: SpanT
    cue: SpanT
    content: SpanT


@dataclass
class Doc:
    """A document's text and its attributions (gold or predicted)."""

    name: str
    text: str
    gold: list[GoldAttribution] = field(default_factory=list)


# --------------------------------------------------------------------------- loading


def _parse_offsets(raw: str) -> SpanT:
    frags = []
    for part in raw.split(";"):
        start, end = part.split()
        frags.append((int(start), int(end)))
    return tuple(frags)


def parse_ann(ann: str) -> list[GoldAttribution]:
    """Parse brat standoff text into attributions tied by ``E`` relation lines."""
    spans: dict[str, SpanT] = {}
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            role, _, offsets = cols[1].partition(" ")
            spans[cols[0]] = _parse_offsets(offsets)
        elif line.startswith("E") and len(cols) >= 2:
            args = dict(arg.split(":", 1) for arg in cols[1].split())
            relations.append({key.lower(): value for key, value in args.items()})
    return [
        GoldAttribution(
            source=spans.get(rel.get("source", ""), ()),
            cue=spans.get(rel.get("cue", ""), ()),
            content=spans.get(rel.get("content", ""), ()),
        )
        for rel in relations
    ]


def load_docs(data_dir: Path) -> list[Doc]:
    """Load every document with the annotations of its first annotator (by id)."""
    docs = []
    for text_path in sorted((data_dir / "text").glob("*.txt")):
        name = text_path.stem
        anns = sorted((data_dir / "attributions").glob(f"{name}_*.ann"))
        gold = parse_ann(anns[0].read_text(encoding="utf-8")) if anns else []
        docs.append(Doc(name, text_path.read_text(encoding="utf-8"), gold))
    return docs


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


# --------------------------------------------------------------------------- scoring


def trim(text: str, span: SpanT) -> SpanT:
    """Trim whitespace at both ends of each fragment; drop empty fragments; sort."""
    out = []
    for start, end in span:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return tuple(sorted(out))


class Tokens:
    """Token index of a text, to turn char spans into sets of token ids."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in TOKEN_RE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def ids(self, span: SpanT) -> frozenset[int]:
        """Ids of tokens that intersect any fragment of ``span``."""
        import bisect

        out: set[int] = set()
        for start, end in span:
            i = bisect.bisect_right(self.ends, start)
            while i < len(self.starts) and self.starts[i] < end:
                out.add(i)
                i += 1
        return frozenset(out)


def max_matching(n_pred: int, edges: dict[int, list[int]]) -> int:
    """Size of a maximum bipartite matching (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in edges.get(p, []):
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    return sum(augment(p, set()) for p in range(n_pred))


@dataclass
class Counts:
    """True positives counted from both sides, plus totals."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (0 when undefined)."""
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def role_counts(
    text: str, tokens: Tokens, gold: list[SpanT], pred: list[SpanT]
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(exact, overlap) counts for one role of one document; spans deduplicated."""
    g = sorted({trim(text, s) for s in gold} - {()})
    p = sorted({trim(text, s) for s in pred} - {()})
    exact = len(set(g) & set(p))
    g_ids = [tokens.ids(s) for s in g]
    edges = {i: [j for j, gid in enumerate(g_ids) if gid & tokens.ids(s)] for i, s in enumerate(p)}
    overlap = max_matching(len(p), edges)
    return (exact, len(p), len(g)), (overlap, len(p), len(g))


def attribution_tp(tokens: Tokens, gold: Sequence, pred: Sequence) -> int:
    """One-to-one matches where both cue and content share a token with the gold's."""
    g_ids = [(tokens.ids(a.cue), tokens.ids(a.content)) for a in gold]
    edges = {}
    for i, a in enumerate(pred):
        cue, content = tokens.ids(a.cue), tokens.ids(a.content)
        edges[i] = [j for j, (gc, gt) in enumerate(g_ids) if gc & cue and gt & content]
    return max_matching(len(pred), edges)


def score(docs: list[Doc], predictions: dict[str, list[GoldAttribution]]) -> dict[str, Counts]:
    """Aggregate counts over documents: keys ``<role>/exact``, ``<role>/overlap``, ``attribution``."""
    counts = {f"{r}/{m}": Counts() for r in ROLES for m in ("exact", "overlap")}
    counts["attribution"] = Counts()
    for doc in docs:
        pred = predictions.get(doc.name, [])
        tokens = Tokens(doc.text)
        for role in ROLES:
            gold_spans = [getattr(a, role) for a in doc.gold]
            pred_spans = [getattr(a, role) for a in pred]
            exact, overlap = role_counts(doc.text, tokens, gold_spans, pred_spans)
            counts[f"{role}/exact"].add(*exact)
            counts[f"{role}/overlap"].add(*overlap)
        counts["attribution"].add(attribution_tp(tokens, doc.gold, pred), len(pred), len(doc.gold))
    return counts


# --------------------------------------------------------------------------- systems


def from_record(record: dict) -> list[GoldAttribution]:
    """Turn one jsonl record's attributions into comparable tuples."""
    return [
        GoldAttribution(*(tuple(tuple(f) for f in a.get(role, [])) for role in ROLES))
        for a in record.get("attributions", [])
    ]


def run_extractor(docs: list[Doc]) -> tuple[dict[str, list[GoldAttribution]], float]:
    """Run the extractor on every document; return predictions and elapsed seconds."""
    started = time.perf_counter()
    records = [attributions_to_jsonl_record(d.name, extract_attributions(d.text)) for d in docs]
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


# --------------------------------------------------------------------------- report


def figures(counts: dict[str, Counts]) -> dict[str, dict[str, float]]:
    """Counts -> {metric: {p, r, f1, tp, pred, gold}}."""
    out = {}
    for key, c in counts.items():
        p, r, f = c.prf()
        out[key] = {"p": p, "r": r, "f1": f, "tp": c.tp, "pred": c.n_pred, "gold": c.n_gold}
    return out


def table(system: dict[str, dict[str, float]], naive: dict[str, dict[str, float]]) -> str:
    """A readable table: one row per metric, extractor vs naive F1."""
    rows = []
    for key, f in system.items():
        n = naive[key]
        ratio = f["f1"] / n["f1"] if n["f1"] else float("nan")
        rows.append([key, f["p"], f["r"], f["f1"], f["tp"], f["pred"], f["gold"], n["f1"], ratio])
    headers = ["metric", "P", "R", "F1", "tp", "pred", "gold", "naive F1", "F1/naive"]
    return tabulate(rows, headers=headers, floatfmt=".3f")


def evaluate(docs: list[Doc], predictions: dict[str, list[GoldAttribution]] | None) -> dict[str, object]:
    """Score extractor (or given predictions) and the naive baseline on ``docs``."""
    elapsed = None
    if predictions is None:
        predictions, elapsed = run_extractor(docs)
    naive: dict[str, list[GoldAttribution]] = {d.name: naive_extract(d.text) for d in docs}
    chars = sum(len(d.text) for d in docs)
    result: dict[str, object] = {
        "docs": len(docs),
        "chars": chars,
        "system": figures(score(docs, predictions)),
        "naive": figures(score(docs, naive)),
    }
    if elapsed is not None:
        result["throughput"] = {
            "seconds": elapsed,
            "articles_per_s": len(docs) / elapsed if elapsed else float("inf"),
            "chars_per_s": chars / elapsed if elapsed else float("inf"),
        }
    return result


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--predictions", type=Path, help="jsonl predictions instead of running")
    parser.add_argument("--split", choices=("tune", "heldout", "all"), default="heldout")
    parser.add_argument("--docs", type=int, help="only the first N documents of the split")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    docs = select_split(load_docs(args.data), args.split)
    if args.docs:
        docs = docs[: args.docs]
    predictions = load_predictions(args.predictions) if args.predictions else None
    result = evaluate(docs, predictions)
    if args.json:
        out(json.dumps({"split": args.split, **result}, indent=2))
        return 0
    out(f"PolNeAR dev, split={args.split}: {result['docs']} documents, {result['chars']} chars")
    out(table(result["system"], result["naive"]))  # type: ignore[arg-type]
    if "throughput" in result:
        t = result["throughput"]
        out(
            f"throughput: {t['articles_per_s']:.1f} articles/s, "  # type: ignore[index]
            f"{t['chars_per_s']:.0f} chars/s ({t['seconds']:.3f} s)"  # type: ignore[index]
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
