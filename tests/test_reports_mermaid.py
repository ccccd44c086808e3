"""Every Mermaid diagram in the reports parses with the real Mermaid parser (``mermaid.parse``).

The parser is the ``mermaid`` npm package driven by Node in jsdom, pinned by
``tests/fixtures/reports/mermaid/package-lock.json`` and installed on first use with ``npm ci``
into ``.cache/mermaid-check/`` at the repository root (gitignored; about 15 s once, then cached).
Without node and npm, or without network for the first install, the tests skip — unless
``PROVENANCE_REQUIRE_MERMAID`` is set, when they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from provenance.datasets import loader
from provenance.reports import build
from provenance.reports.markdown import Flowchart
from provenance.store import database
from tests.conftest import ROOT
from tests.test_reports_safety import FENCE, HOSTILE

SOURCE = ROOT / "tests" / "fixtures" / "reports" / "mermaid"
CACHE = ROOT / ".cache" / "mermaid-check"
Checker = Callable[[list[str]], list[str | None]]


def _unavailable(reason: str) -> None:
    if os.environ.get("PROVENANCE_REQUIRE_MERMAID"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def parse_mermaid() -> Checker:
    """A function parsing diagrams: ``None`` for each valid one, else the parser's message."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed to run the Mermaid parser")
    lock = (SOURCE / "package-lock.json").read_bytes()
    stamp = CACHE / "installed-lock.json"
    if not (stamp.is_file() and stamp.read_bytes() == lock and (CACHE / "node_modules" / "mermaid").is_dir()):
        CACHE.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(SOURCE / name, CACHE / name)
        try:
            done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CACHE,
                                  capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            _unavailable("npm ci of the Mermaid parser timed out")
        if done.returncode != 0:
            _unavailable(f"could not install the Mermaid parser with npm: {done.stderr.strip()[-500:]}")
        stamp.write_bytes(lock)
    shutil.copyfile(SOURCE / "check.mjs", CACHE / "check.mjs")

    def check(diagrams: list[str]) -> list[str | None]:
        done = subprocess.run([node, str(CACHE / "check.mjs")], input=json.dumps(diagrams),
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout)

    return check


def diagrams(files: dict[str, str]) -> dict[str, str]:
    """Every diagram in the reports, named ``path#n``."""
    return {f"{path}#{n}": diagram for path, text in sorted(files.items())
            for n, diagram in enumerate(FENCE.findall(text), 1)}


def assert_parse(parse: Checker, named: dict[str, str]) -> None:
    errors = dict(zip(named, parse(list(named.values())), strict=True))
    assert {name: error for name, error in errors.items() if error} == {}


def test_seed_diagrams_parse(seeded_url: str, parse_mermaid: Checker) -> None:
    engine = database.connect(database.Location(seeded_url, "test"))
    try:
        named = diagrams(build(engine))
    finally:
        engine.dispose()
    assert len(named) > 50
    assert_parse(parse_mermaid, named)


def test_hostile_diagrams_and_labels_parse(engine: Engine, parse_mermaid: Checker) -> None:
    loader.load(engine, [HOSTILE])
    named = diagrams(build(engine))
    assert len(named) == 3
    nasty = ['"]) --> x', "end", "graph TD", "%% comment", "a;b", "[x](y)", "{x}", "(x)", "|x|", "<br>",
             "```", "#quot;", "&#35;", "\\", "A --> B", "click n1 call alert()", "style n1 fill:red",
             "subgraph", "ایران ‏", "\u202eevil", "x\ny", "   ", ""]
    chart = Flowchart(classes={"c": "fill:#fff"})
    for n, label in enumerate(nasty):
        chart.node(n, [label, label], "c" if n % 2 else "", ["box", "round", "stadium"][n % 3])
        if n:
            chart.edge(n - 1, n, label)
    named["fuzz"] = chart.render().removeprefix("```mermaid\n").removesuffix("```\n")
    assert_parse(parse_mermaid, named)


def test_parser_rejects_a_broken_diagram(parse_mermaid: Checker) -> None:
    broken = parse_mermaid(['flowchart LR\n  n1["a"b"] --> n2\n', 'flowchart LR\n  n1[""] --> n2\n'])
    assert all(error and "Parse error" in error for error in broken)


def test_checker_files_are_pinned() -> None:
    package = json.loads((SOURCE / "package.json").read_text(encoding="utf-8"))
    assert all(version[0].isdigit() for version in package["dependencies"].values())
