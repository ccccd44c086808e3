"""Every example in every command's --help runs on the seed data (so help cannot go stale)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from provenance.cli import cli
from tests.conftest import ROOT, invoke

#: Examples that need something the test machine does not have.
NEEDS_ELSEWHERE = {"provenance --db postgresql://localhost/provenance load seeds/"}


def examples() -> list[str]:
    found = []
    for _, command in sorted(cli.commands.items()):
        for line in (command.help or "").splitlines():
            line = line.strip()
            if line.startswith("provenance ") and line not in NEEDS_ELSEWHERE:
                found.append(line)
    return found


def test_every_command_has_examples() -> None:
    assert {shlex.split(e)[1] for e in examples()} >= set(cli.commands) - {"load"}


@pytest.mark.parametrize("example", examples())
def test_help_example_runs(
    example: str, seeded_copy: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    words = shlex.split(example)[1:]
    if ">" in words:  # output redirection: the runner captures stdout anyway
        words = words[: words.index(">")]
    if "--out" in words:
        words[words.index("--out") + 1] = str(tmp_path / "out")
    elif words[0] == "report":
        words += ["--out", str(tmp_path / "reports")]
    result = invoke(seeded_copy, *words)
    assert result.exit_code == 0, f"{example}\n{result.stderr}"
