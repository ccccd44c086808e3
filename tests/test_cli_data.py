"""The data commands through the CLI, on real database files: load, stats, path, and help."""

from __future__ import annotations

import re
from pathlib import Path

import click

from provenance.cli import cli
from tests.conftest import ROOT, invoke
from tests.test_loader import FIXTURES


def test_load_then_stats(db_url: str) -> None:
    result = invoke(db_url, "load", str(FIXTURES))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "records       new    changed    unchanged    removed\n"
        "----------  -----  ---------  -----------  ---------\n"
        "agents          7          0            0          0\n"
        "documents       1          0            0          0\n"
        "claims          4          0            0          0\n"
        "statements      3          0            0          0\n"
    )
    assert result.stderr.startswith("1 file loaded into ")
    result = invoke(db_url, "stats", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == (
        "records,count\nagents,7\nanonymous agents,1\naliases,13\naffiliations,3\ndocuments,1\nclaims,4\n"
        "numeric claims,1\nclaim relations,1\nstatements,3\nreports,5\nreports in documents,3\nfirst-hand reports,3\n"
        "unattributed agents,0\nexpressive statements,0\nhedged or unattributed statements,0\nquotes,1\n"
        "inferred hops,0\nrepublications outside the corpus,0\n"
    )
    assert result.stderr.startswith("database: ")


def test_dry_run_says_so(db_url: str) -> None:
    result = invoke(db_url, "load", "--dry-run", str(FIXTURES), "--format", "json")
    assert result.exit_code == 0
    assert '"records": "agents", "new": 7' in result.stdout
    assert result.stderr == "1 file validated (dry run; nothing written)\n"


def test_stats_on_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "nothing.db"), "stats")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no database at" in result.stderr and "provenance load seeds/" in result.stderr


def test_path_shows_the_database(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "x.db"), "path")
    assert result.stdout == f"sqlite:///{tmp_path / 'x.db'}\n"


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "x.db"), "stats", "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found = {}
    for name, command in group.commands.items():
        found[prefix + name] = command
        if isinstance(command, click.Group):
            found.update(_commands(command, prefix + name + " "))
    return found


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in _commands(cli).items():
        assert command.help, f"{name} has no help"
        if not isinstance(command, click.Group):
            assert re.search(r"Examples?:", command.help), f"`provenance {name} --help` shows no example"
            assert f"provenance {name}" in command.help, f"{name}'s example does not run {name}"
        assert f"`provenance {name}" in readme, f"`provenance {name}` is not documented in README.md"
