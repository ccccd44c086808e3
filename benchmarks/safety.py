"""How fast and in how little memory ``load`` refuses a YAML alias bomb.

Runs ``provenance load`` in a fresh process on a 9-level "billion laughs" file (about 700 bytes
that would expand into 387 million values) and, as the baseline measured in the same run, on a
plain dataset file of the same size that is refused for an ordinary reason (an unknown field).
Prints the wall time and peak memory (max RSS) of each, and their ratios. The target: refused in
under a second, at memory no more than the baseline's plus a few megabytes.

    .venv/bin/python benchmarks/safety.py [--json results.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

LEVELS = "abcdefghi"


def bomb() -> str:
    """The classic alias bomb, with its last alias under ``agents``."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip(LEVELS, LEVELS[1:], strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    lines.append(f"agents: [*{LEVELS[-1]}]")
    return "\n".join(lines) + "\n"


def plain(size: int) -> str:
    """A dataset file of about ``size`` bytes with one unknown field."""
    lines = ["agents:"]
    number = 0
    while sum(len(line) + 1 for line in lines) < size:
        lines.append(f"  - {{id: agent-{number}, name: Agent {number}, kind: person}}")
        number += 1
    lines.append("unknown: 1")
    return "\n".join(lines) + "\n"


def measure(path: Path, directory: Path) -> dict[str, Any]:
    """Wall time, peak RSS and exit status of ``provenance load path`` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "provenance", "--db", str(directory / "bench.db"), "load", str(path)],
        capture_output=True, text=True, timeout=300,
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child so far
    return {"seconds": round(seconds, 3), "max_rss_mb": round(max(peak, before) / 1024, 1),
            "exit": done.returncode, "error": done.stderr.splitlines()[0] if done.stderr else ""}


def parse_ms(repeats: int = 20) -> float:
    """Milliseconds for the library to refuse the bomb, in this process (best of ``repeats``)."""
    from provenance.datasets.files import FileProblem, parse_dataset

    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        with contextlib.suppress(FileProblem):
            parse_dataset(bomb(), shown_as="bomb.yaml", is_json=False)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 2)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Measure the baseline, then the bomb; print both and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        bomb_path, plain_path = directory / "bomb.yaml", directory / "plain.yaml"
        bomb_path.write_text(bomb(), encoding="utf-8")
        plain_path.write_text(plain(len(bomb())), encoding="utf-8")
        baseline = measure(plain_path, directory)  # first: ru_maxrss only grows
        refused = measure(bomb_path, directory)
    results = {
        "bytes": len(bomb()), "baseline": baseline, "bomb": refused, "parse_ms": parse_ms(),
        "time_ratio": round(refused["seconds"] / baseline["seconds"], 2),
        "memory_ratio": round(refused["max_rss_mb"] / baseline["max_rss_mb"], 2),
    }
    print(f"alias bomb ({results['bytes']} bytes): {refused['seconds']} s, {refused['max_rss_mb']} MB,"
          f" exit {refused['exit']}: {refused['error']}")
    print(f"baseline (plain file, same size): {baseline['seconds']} s, {baseline['max_rss_mb']} MB,"
          f" exit {baseline['exit']}")
    print(f"in-process refusal of the bomb (parse_dataset): {results['parse_ms']} ms")
    print(f"ratios: time {results['time_ratio']}x, memory {results['memory_ratio']}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
