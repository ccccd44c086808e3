"""Recall of `provenance extract` on the five seed articles, against the curated seed dataset.

For every curated report that carries an excerpt in a seed article, the extractor "finds" it when
one of its attributions overlaps the excerpt (cue or content inside the excerpt's span); and it
"finds the speaker" when, in addition, the draft resolves that attribution's source to the curated
speaker. Headlines, captions and an outlet's own voice have no cue in the text, so the figures
are also given without the outlet's own-voice statements.

    python benchmarks/seed_recall.py [--extractor tagger|rules] [--json]

``--extractor rules`` measures the previous extractor (rules plus a logistic cue detector).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from provenance.articles import drafts  # noqa: E402
from provenance.articles.extract import extract_attributions  # noqa: E402
from provenance.articles.resolution import resolve_document  # noqa: E402
from provenance.datasets import loader  # noqa: E402
from provenance.store import database  # noqa: E402


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def measure(seeds: Path) -> dict[str, object]:
    """Recall figures for the seed dataset under ``seeds``."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = database.connect(database.resolve(str(Path(tmp) / "seeds.db")))
        loader.load(engine, [seeds])
        with engine.connect() as connection:
            from sqlalchemy import text

            documents = dict(connection.execute(text("SELECT id, text FROM document")).all())
            reports = connection.execute(text(
                "SELECT r.document_id, r.excerpt_start, r.excerpt_end, s.speaker_id, d.outlet_id"
                " FROM report r"
                " JOIN statement s ON s.id = r.statement_id JOIN document d ON d.id = r.document_id"
            )).all()
        sources = drafts.gather_sources(engine, sorted(documents))
        _, drafted = drafts.draft(engine, sources, draft_dir=Path(tmp))
        engine.dispose()
    found: dict[str, list[tuple[tuple[int, int], str | None]]] = {doc_id: [] for doc_id in documents}
    spans = {doc_id: {item.cue_start: item.spans
                      for item in resolve_document(body, extract_attributions(body))}
             for doc_id, body in documents.items()}
    for row in drafted:
        for span in spans[row.document].get(row.start, []):
            found[row.document].append(((span.start, span.end), row.speaker))
    rows = []
    for label, subset in (("all curated reports", reports),
                          ("excluding the outlet's own voice", [r for r in reports if r[3] != r[4]])):
        hit = speaker_hit = 0
        for doc_id, start, end, speaker, _ in subset:
            matches = [who for span, who in found[doc_id] if _overlaps(span, (start, end))]
            hit += bool(matches)
            speaker_hit += speaker in matches
        total = len(subset)
        rows.append({"reports": label, "curated": total, "found": hit, "recall": round(hit / total, 3),
                     "speaker also right": speaker_hit, "recall with speaker": round(speaker_hit / total, 3)})
    return {"documents": len(documents), "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--extractor", choices=("tagger", "rules"), default="tagger")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    os.environ["PROVENANCE_EXTRACTOR"] = options.extractor
    result = measure(options.seeds)
    if options.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"extract recall on the {result['documents']} seed articles against the curated dataset")
        print(tabulate(result["rows"], headers="keys"))


if __name__ == "__main__":
    main()
