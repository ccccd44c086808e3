"""Benchmark: ``provenance export`` on a synthetic graph of N statements, every format, beside a
raw baseline measured in the same run.

    python benchmarks/export.py --n 100000 [--workdir /tmp] [--json out.json]

The graph (:mod:`benchmarks.generate`) is loaded into a SQLite file; then each format is exported
in a fresh process (``python -m provenance export --format F --out FILE``), timing the whole
process and reading its peak memory. The baseline is the bare ``sqlite3`` module in a fresh
process reading every row of every table and writing it with the ``csv`` module: what any export
has to do at the least. Ratios are "how many times the baseline". Tests never assert timings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import stream  # noqa: E402
from provenance.datasets.loader import load_datasets  # noqa: E402
from provenance.store import database  # noqa: E402

FORMATS = ["csv", "schema-org", "annotations", "prov-json", "prov-n", "prov-o"]
#: Run ``code`` then print the process's peak RSS in MB: VmHWM (Linux, in kB), which starts
#: afresh at exec, unlike ru_maxrss, which keeps the forking parent's.
PEAK = "import sys\nsys.argv = {argv!r}\n{code}\n" \
       "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n" \
       "print(int(hwm.split()[1]) / 1024, file=sys.stderr)"
RAW = """
import csv, os, sqlite3
connection = sqlite3.connect({db!r})
tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
os.makedirs({out!r}, exist_ok=True)
for table in tables:
    with open(os.path.join({out!r}, table + '.csv'), 'w', newline='') as handle:
        writer = csv.writer(handle)
        cursor = connection.execute('SELECT * FROM ' + table)
        writer.writerow([d[0] for d in cursor.description])
        writer.writerows(cursor)
"""


def timed(code: str, argv: list[str]) -> tuple[float, float]:
    """Seconds and peak MB of a fresh Python process running ``code``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK.format(argv=argv, code=code)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    return seconds, float(done.stderr.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="Statements to generate.")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    parser.add_argument("--json", type=Path, help="Write the figures here too.")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / f"export-bench-{args.n}.db"
    db.unlink(missing_ok=True)
    engine = database.connect(database.Location(f"sqlite:///{db}", "benchmark"))
    files, _ = stream(args.n)
    load_datasets(engine, files)
    engine.dispose()
    raw_seconds, raw_mb = timed(RAW.format(db=str(db), out=str(args.workdir / "export-bench-raw")), [])
    raw = {"seconds": round(raw_seconds, 2), "peak_mb": round(raw_mb)}
    results: dict[str, Any] = {"n": args.n, "raw_csv": raw, "formats": []}
    print(f"N = {args.n:,} statements; raw sqlite3 -> csv: {raw_seconds:.2f} s, {raw_mb:.0f} MB")
    print(f"{'format':<12} {'seconds':>8} {'x raw':>6} {'peak MB':>8} {'output MB':>9}")
    for fmt in FORMATS:
        out = args.workdir / (f"export-bench-{fmt}" + ("" if fmt == "csv" else ".out"))
        command = ["provenance", "--db", str(db), "export", "--format", fmt, "--out", str(out)]
        seconds, mb = timed("from provenance.cli import cli\n"
                            "cli.main(sys.argv[1:], prog_name='provenance', standalone_mode=False)", command)
        size = sum(p.stat().st_size for p in out.iterdir()) if out.is_dir() else out.stat().st_size
        row = {"format": fmt, "seconds": round(seconds, 2), "ratio": round(seconds / raw_seconds, 2),
               "peak_mb": round(mb), "output_mb": round(size / 1e6, 1)}
        results["formats"].append(row)
        print(f"{fmt:<12} {seconds:>8.2f} {row['ratio']:>6.2f} {mb:>8.0f} {row['output_mb']:>9.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
