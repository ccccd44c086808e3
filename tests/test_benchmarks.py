"""The benchmark runs at a small N on SQLite and produces every figure (no timing assertions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.generate import generate
from provenance.datasets import loader
from provenance.store import database

QUESTIONS = {"speaker", "trace", "contest", "figures"}


def test_generator_is_seeded_and_loads(tmp_path: Path) -> None:
    files, stats = generate(300, seed=3)
    again, _ = generate(300, seed=3)
    assert [f.dataset for f in files] == [f.dataset for f in again]
    assert 1 <= stats.max_chain_depth <= 8
    engine = database.connect(database.Location(f"sqlite:///{tmp_path / 'g.db'}", "test"))
    summary = loader.load_datasets(engine, files)
    assert summary.counts["statement"]["new"] == 300
    engine.dispose()


@pytest.mark.filterwarnings("ignore")
def test_runner_produces_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    results = run.main(["--n", "2000", "--repeats", "1", "--workdir", str(tmp_path),
                        "--json", str(out)])
    assert json.loads(out.read_text()) == json.loads(json.dumps(results))
    (backend,) = results["backends"]
    load = backend["load"]
    for figure in ("statements_per_s", "reports_per_s", "rows_per_s", "raw_rows_per_s", "ratio"):
        assert load[figure] > 0
    assert {q["question"] for q in backend["queries"]} == QUESTIONS
    assert {q["key"].split()[0] for q in backend["queries"]} == {"hot", "cold"}
    for query in backend["queries"]:
        assert query["rows"] > 0 and query["raw_rows"] > 0
        assert query["ratio_p50"] is not None and query["ratio_p95"] is not None
    assert backend["audit"]["seconds"] > 0
    assert backend["cli"]["seconds"] > 0 and backend["cli"]["import_sqlmodel_seconds"] > 0
    assert backend["cli_typical"]["seconds"] > 0
    assert backend["peak_rss_mb"] > 0 and backend["db_size_mb"] > 0
    printed = capsys.readouterr().out
    assert "throughput ratio to raw" in printed and "ratio p95" in printed
    assert not list(tmp_path.glob("bench-*.db"))  # databases are removed


@pytest.mark.filterwarnings("ignore")
def test_runner_times_each_audit_rule_and_each_command(tmp_path: Path) -> None:
    from provenance.audit import RULES

    results = run.main(["--n", "1000", "--repeats", "1", "--workdir", str(tmp_path)])
    (backend,) = results["backends"]
    rules = backend["audit"]["rules"]
    assert set(rules) == {"citation forest", *RULES}
    assert all(rule["seconds"] >= 0 and rule["cpu_seconds"] >= 0 for rule in rules.values())
    commands = {command["command"].split()[0] for command in backend["commands"]}
    assert commands == {"audit", "report", "speaker", "speakers", "claim", "claims", "contest", "figures",
                        "outlet", "outlets", "search"}
    audits = {command["command"] for command in backend["commands"] if command["kind"] == "audit"}
    assert {"audit --format csv", "audit --format markdown"} <= audits  # every format is measured
    for command in backend["commands"]:
        assert command["returncode"] == 0, command
        assert command["seconds"] > 0 and command["peak_rss_mb"] > 0 and command["cpu_seconds"] > 0


def test_runner_measures_the_commands_on_an_existing_database(tmp_path: Path) -> None:
    files, _ = generate(1000, seed=7)
    path = tmp_path / "existing.db"
    engine = database.connect(database.Location(f"sqlite:///{path}", "test"))
    loader.load_datasets(engine, files)
    engine.dispose()
    results = run.main(["--db", str(path), "--no-audit", "--workdir", str(tmp_path),
                        "--json", str(tmp_path / "cli.json")])
    import sqlite3

    with sqlite3.connect(path) as connection:
        most = connection.execute("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM statement"
                                  " GROUP BY claim_id)").fetchone()[0]
        hot = connection.execute("SELECT COUNT(*) FROM statement WHERE claim_id = ?",
                                 (results["keys"]["trace"]["hot"],)).fetchone()[0]
    assert hot == most and results["keys"]["speaker"]["hot"].startswith("gov-")
    assert {c["command"].split()[0] for c in results["commands"]} >= {"report", "speaker", "search"}
    assert all(c["returncode"] == 0 and c["cpu_seconds"] > 0 for c in results["commands"])
    assert json.loads((tmp_path / "cli.json").read_text())["keys"] == results["keys"]


def test_safety_benchmark_measures_the_alias_bomb(tmp_path: Path) -> None:
    from benchmarks import safety

    results = safety.main(["--json", str(tmp_path / "safety.json")])
    assert results["bomb"]["exit"] == 1 and "alias bomb" in results["bomb"]["error"]
    assert results["baseline"]["exit"] == 1 and results["parse_ms"] > 0


def test_export_benchmark_produces_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import export

    results = export.main(["--n", "100", "--workdir", str(tmp_path)])
    assert [row["format"] for row in results["formats"]] == export.FORMATS
    for row in results["formats"]:
        assert row["seconds"] > 0 and row["peak_mb"] > 0 and row["output_mb"] >= 0
    assert "prov-o" in capsys.readouterr().out


def test_runner_refuses_a_database_that_is_not_there(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run.main(["--db", str(tmp_path / "missing.db"), "--no-audit"])
    assert exit_info.value.code == 2
    assert "missing.db: no such SQLite database file" in capsys.readouterr().err
