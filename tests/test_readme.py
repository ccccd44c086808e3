"""Every example in the README runs: the dataset example loads, the main command's steps succeed."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from provenance.datasets import loader
from provenance.store import database
from tests.conftest import ROOT, invoke

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```", README, re.S)
    assert match, f"README.md has no code block after <!-- {marker} -->"
    return match.group(1)


def test_dataset_example_loads(tmp_path: Path) -> None:
    (tmp_path / "example.yaml").write_text(block_after("dataset-example"), encoding="utf-8")
    (tmp_path / "article.txt").write_text(
        "“Thirty-two people have been arrested,” Iran’s state-run Mehr News Agency quoted Bakhshi as saying.",
        encoding="utf-8",
    )
    engine = database.connect(database.resolve(str(tmp_path / "example.db")))
    summary = loader.load(engine, [tmp_path])
    assert summary.counts["statement"]["new"] == 1


def provenance_steps(marker: str) -> list[list[str]]:
    """The ``provenance ...`` invocations of a README command, as argument lists."""
    steps = []
    for part in block_after(marker).strip().split("&&"):
        words = shlex.split(part)
        if words and words[0].endswith("/provenance"):
            steps.append(words[1:])
    return steps


def test_main_command_steps_succeed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    steps = provenance_steps("main-command")
    assert steps and steps[0][:1] == ["load"]
    database = str(tmp_path / "main.db")
    out = tmp_path / "out"
    for arguments in steps:
        # Generated files go to a scratch directory, not the repository.
        if "--out" in arguments:
            arguments[arguments.index("--out") + 1] = str(out)
        elif arguments[0] == "report":
            arguments += ["--out", str(out)]
        result = invoke(database, *arguments)
        assert result.exit_code == 0, f"provenance {' '.join(arguments)}: {result.stderr}"
        if arguments[0] == "report":
            assert (out / "index.md").exists()
        else:
            assert result.stdout.strip(), f"provenance {' '.join(arguments)} printed nothing"


def test_ci_runs_the_readme_test_command() -> None:
    command = block_after("test-command").strip()
    assert "pytest" in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
