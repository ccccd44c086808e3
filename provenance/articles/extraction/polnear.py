"""The PolNeAR corpus (brat standoff) and the attribution scorer.

Gold: ``text/<doc>.txt`` plus ``attributions/<doc>_<annotator>.ann``; when a document has several
annotators the one with the smallest annotator id is used. Scores, per role (source, cue,
content), unique spans per document under exact matching (same fragments after trimming
whitespace) and overlap matching (the spans share a token), one-to-one; and, per attribution, a
predicted attribution matches a gold one when its cue AND its content both overlap the gold
one's, one-to-one (maximum bipartite matching). Used by the trainer and ``benchmarks/polnear.py``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
        anns = sorted(
            p for p in (data_dir / "attributions").glob(f"{name}_*.ann") if p.stem.rpartition("_")[0] == name
        )
        gold = parse_ann(anns[0].read_text(encoding="utf-8")) if anns else []
        docs.append(Doc(name, text_path.read_text(encoding="utf-8"), gold))
    return docs


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


def from_record(record: dict) -> list[GoldAttribution]:
    """Turn one jsonl record's attributions into comparable tuples."""
    return [
        GoldAttribution(*(tuple(tuple(f) for f in a.get(role, [])) for role in ROLES))
        for a in record.get("attributions", [])
    ]


def figures(counts: dict[str, Counts]) -> dict[str, dict[str, float]]:
    """Counts -> {metric: {p, r, f1, tp, pred, gold}}."""
    out = {}
    for key, c in counts.items():
        p, r, f = c.prf()
        out[key] = {"p": p, "r": r, "f1": f, "tp": c.tp, "pred": c.n_pred, "gold": c.n_gold}
    return out
