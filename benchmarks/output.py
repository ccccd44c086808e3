"""How fast, and in how much memory, the output layer writes N rows in each format.

Each case runs in a fresh Python process (so each peak is its own) and writes N synthetic rows
shaped like a claim trace (ten columns: ids, names, an excerpt of 40-200 characters, numbers,
dates) from a generator to /dev/null:

- ``csv.writer``: the plain standard-library baseline, tuples straight to ``csv.writer``;
- ``emit <format>``: :func:`provenance.output.emit` as the CLI calls it, streaming; for the table
  both every row (``--limit 0``) and the default page (``--limit 50``, which still reads every
  row to count the rest), and fitted to an 100-column terminal;
- ``old <format>``: the materialising path this replaced (every row in a list, then tabulate
  for tables and markdown, ``writerows`` for CSV), measured in the same run.

Prints wall and CPU seconds (CPU time is steadier on a shared machine), the CPU ratio to the
``csv.writer`` baseline, peak RSS and the peak above the process's RSS before the rows::

    .venv/bin/python benchmarks/output.py --n 200000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["statement", "speaker", "stance", "chain", "hop", "reporter", "document", "published",
           "excerpt", "cites"]
WORDS = ["the", "minister", "said", "that", "at", "least", "people", "were", "killed", "in", "the",
         "attack", "according", "to", "state", "media", "reported", "by", "agency", "officials",
         "who", "spoke", "on", "condition", "of", "anonymity"]
CASES = [
    "csv.writer", "emit table --limit 0", "emit table --limit 50", "emit table --width 100",
    "emit markdown", "emit csv", "emit jsonl", "emit json",
    "old table", "old markdown", "old csv",
]


def rows(n: int) -> Iterator[dict[str, Any]]:
    """``n`` rows like a claim trace's, made as they are asked for (as a cursor gives them)."""
    for i in range(n):
        words = 8 + (i * 7919) % 30
        yield {
            "statement": f"statement-{i // 3}", "speaker": f"Speaker {i % 997} of Agency {i % 13}",
            "stance": ("asserts", "denies", "questions")[i % 3], "chain": 1 + i % 4, "hop": 1 + i % 3,
            "reporter": f"Reporter {i % 211}", "document": f"doc-{i % 5003}",
            "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "excerpt": " ".join(WORDS[(i + k) % len(WORDS)] for k in range(words)),
            "cites": "first-hand" if i % 4 == 0 else f"Reporter {(i + 1) % 211}",
        }


def _old(rows_: Iterator[dict[str, Any]], fmt: str, out: Any) -> None:
    """The output layer before streaming: collect every row, then format them all at once."""
    import csv

    from tabulate import tabulate

    from provenance.output import _cell, _table_cell, escape_markdown

    materialized = list(rows_)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([_cell(row.get(k)) for k in COLUMNS] for row in materialized)
        return
    if fmt == "markdown":
        body = [[escape_markdown(_cell(row.get(k))) for k in COLUMNS] for row in materialized]
        out.write(tabulate(body, headers=COLUMNS, tablefmt="github", disable_numparse=True) + "\n")
        return
    body = [[_table_cell(row.get(k)) for k in COLUMNS] for row in materialized]
    numeric = {3, 4}
    textual = [i for i in range(len(COLUMNS)) if i not in numeric]
    out.write(tabulate(body, headers=COLUMNS, tablefmt="simple", disable_numparse=textual) + "\n")


def run_case(case: str, n: int) -> dict[str, Any]:
    """Run one case in this process; its time and memory."""
    import csv
    import io

    from provenance.output import emit

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open("/dev/null", "w", encoding="utf-8") as out:
        err = io.StringIO()
        started, cpu = time.perf_counter(), time.process_time()
        words = case.split()
        if case == "csv.writer":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(tuple(row.values()) for row in rows(n))
        elif words[0] == "old":
            _old(rows(n), words[1], out)
        else:
            options: dict[str, Any] = {}
            if "--limit" in words:
                options["limit"] = int(words[words.index("--limit") + 1])
            if "--width" in words:
                options["width"] = int(words[words.index("--width") + 1])
            emit(rows(n), words[1], columns=COLUMNS, out=out, err=err, **options)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": case, "seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak,
            "above_start_mb": peak - before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200_000, help="rows to write (default 200,000)")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in a child process
    parser.add_argument("--skip-old", action="store_true", help="leave out the materialising path")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.n)))
        return
    results = []
    for case in CASES:
        if args.skip_old and case.startswith("old"):
            continue
        child = subprocess.run([sys.executable, __file__, "--n", str(args.n), "--case", case],
                               capture_output=True, text=True, cwd=ROOT, check=True)
        results.append(json.loads(child.stdout))
    base = results[0]
    print(f"{args.n:,} rows of {len(COLUMNS)} columns to /dev/null, each case in a fresh process\n")
    print(f"{'case':<24}{'seconds':>9}{'CPU s':>8}{'CPU × csv':>11}{'peak MB':>10}{'above start':>13}")
    for result in results:
        ratio = result["cpu_seconds"] / base["cpu_seconds"]
        print(f"{result['case']:<24}{result['seconds']:>9.2f}{result['cpu_seconds']:>8.2f}{ratio:>11.2f}"
              f"{result['peak_mb']:>10.0f}{result['above_start_mb']:>13.0f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
