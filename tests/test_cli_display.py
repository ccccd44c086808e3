# ruff: noqa: E501  (the expected outputs below are data, one output line a line)
"""What commands show: --limit, --columns, --wide and the terminal's width; a closed pipe;
progress bars (only on a terminal, never with --quiet) and the library's progress callbacks."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.audit import RULES, run_audit
from provenance.cli import display
from provenance.datasets import loader
from provenance.reports import build
from provenance.store import database
from tests.conftest import ROOT, SEEDS, invoke
from tests.test_queries import fixture_url  # noqa: F401  (the shared module-scoped database)

MORE = " more rows not shown (--limit 0 shows every row; --format csv, json or jsonl give them as data)\n"


def test_default_limit_ends_a_long_table_with_how_to_see_the_rest(seeded_url):
    result = invoke(seeded_url, "claims")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + display.DEFAULT_LIMIT
    total = len(invoke(seeded_url, "claims", "--format", "csv").stdout.splitlines()) - 1
    assert total > display.DEFAULT_LIMIT
    assert result.stderr == f"{total - display.DEFAULT_LIMIT}{MORE}"
    every = invoke(seeded_url, "claims", "--limit", "0")
    assert len(every.stdout.splitlines()) == 2 + total and every.stderr == ""
    # The same rows (a page of 100 rows, not 50, gives the columns their widths).
    assert [line.split() for line in every.stdout.splitlines()[2:52]] == [line.split() for line in lines[2:]]


def test_limit_and_notes(fixture_url):  # noqa: F811
    result = invoke(fixture_url, "speaker", "ruiz", "--limit", "2")
    assert result.stdout == (
        'statement    claim                                    stance    cue    quote                                    said_on     reporter            document    published    chain\n'
        '-----------  ---------------------------------------  --------  -----  ---------------------------------------  ----------  ------------------  ----------  -----------  ----------------------\n'
        'ruiz-backed  The Crimson Front is backed by Borduria  asserts   said   the Crimson Front is backed by Borduria  2024-03-01  Avalon News Agency  avna-1      2024-03-01   first-hand\n'
        'ruiz-backed  The Crimson Front is backed by Borduria  asserts   said   the Crimson Front is backed by Borduria  2024-03-01  Daily Bugle         bugle-1     2024-03-02   via Avalon News Agency\n'
    )
    # The notes count every row, shown or not.
    assert result.stderr == f"2{MORE}Ana Ruiz (ruiz): 2 statements, reported in 3 documents\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown"])
def test_data_formats_ignore_the_limit(fixture_url, fmt):  # noqa: F811
    limited = invoke(fixture_url, "speakers", "--format", fmt, "--limit", "2")
    assert limited.stdout == invoke(fixture_url, "speakers", "--format", fmt).stdout
    assert limited.stdout.count("Ana Ruiz") == 1 and limited.stderr == ""


def test_columns_choose_and_order_columns(fixture_url):  # noqa: F811
    result = invoke(fixture_url, "speakers", "--columns", "name, statements", "--limit", "3")
    assert result.stdout == (
        "name                           statements\n"
        "---------------------------  ------------\n"
        "Daily Bugle                             2\n"
        "Interior Ministry of Avalon             2\n"
        "Ana Ruiz                                2\n"
    )
    csv = invoke(fixture_url, "speakers", "--columns", "statements,agent", "--format", "csv")
    assert csv.stdout.splitlines()[:2] == ["statements,agent", "2,daily-bugle"]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_an_unknown_column_is_a_usage_error(fixture_url, fmt):  # noqa: F811
    result = invoke(fixture_url, "speakers", "--columns", "name,nope", "--format", fmt)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Error: --columns: unknown column 'nope'; choose from agent, name, kind, statements, reports" in result.stderr
    assert invoke(fixture_url, "speakers", "--columns", " , ").exit_code == 2


def test_audit_and_load_take_the_output_options(seeded_copy):
    audit = invoke(seeded_copy, "audit", "--columns", "rule", "--limit", "1", "--rule", "anonymous")
    assert audit.stdout.splitlines()[2:] == ["anonymous"]
    assert "more rows not shown" in audit.stderr and "findings:" in audit.stderr
    load = invoke(seeded_copy, "load", str(SEEDS), "--columns", "records,unchanged", "--format", "csv")
    assert load.stdout.splitlines()[0] == "records,unchanged"


def test_tables_fit_the_terminal_unless_wide(fixture_url):  # noqa: F811
    plain = invoke(fixture_url, "claim", "backed by borduria")
    assert max(map(len, plain.stdout.splitlines())) > 150  # not a terminal: nothing is cut
    fitted = invoke(fixture_url, "claim", "backed by borduria", columns=100)
    lines = fitted.stdout.splitlines()
    assert max(map(len, lines)) <= 100 and len(lines) == len(plain.stdout.splitlines())
    assert "…" in fitted.stdout and "…" not in plain.stdout
    assert fitted.stderr == plain.stderr
    assert invoke(fixture_url, "claim", "backed by borduria", "--wide", columns=100).stdout == plain.stdout
    assert invoke(fixture_url, "claim", "backed by borduria", "--format", "csv", columns=100).stdout == (
        invoke(fixture_url, "claim", "backed by borduria", "--format", "csv").stdout
    )


def test_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    assert display.terminal_width() == 72
    monkeypatch.delenv("COLUMNS")
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a file or a pipe: never cut
    assert display.terminal_width() is None


# -- a closed pipe ---------------------------------------------------------------------------------


def run(*args: str, **options) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": ""}
    return subprocess.Popen([sys.executable, "-m", "provenance", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_a_closed_pipe_ends_quietly(seeded_sqlite: Path, fmt: str) -> None:
    """The reader goes away before the first row is written: no "Broken pipe", no traceback."""
    process = run("--db", str(seeded_sqlite), "speakers", "--format", fmt, "--limit", "0")
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert stderr == ""


def test_head_reads_one_line_and_provenance_exits_0(seeded_sqlite: Path) -> None:
    command = (f"{sys.executable} -m provenance --db {seeded_sqlite} audit --format jsonl | head -1;"
               " echo \"status ${PIPESTATUS[0]}\"")
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=60)
    first, status = result.stdout.splitlines()
    assert first.startswith('{"severity": ') and status == "status 0"
    assert "Broken pipe" not in result.stderr and "Traceback" not in result.stderr


# -- progress --------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_a_bar_per_stage_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with display.progress() as advance:
        assert advance is not None
        for done in range(4):
            advance(done, 3, "reading files")
        advance(0, 1, "writing")
        advance(1, 1, "writing")
    drawn = terminal.getvalue()
    assert "reading files" in drawn and "3/3" in drawn and "writing" in drawn and "1/1" in drawn
    assert drawn.endswith("\n")


def test_no_progress_when_stderr_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with display.progress() as advance:
        assert advance is None
    assert display.tracked([1, 2], None, "x") == [1, 2]


def test_tracked_reports_as_it_is_iterated() -> None:
    calls: list[tuple[int, int, str]] = []
    items = display.tracked(["a", "b"], lambda *call: calls.append(call), "extracting")
    assert len(items) == 2 and items[1] == "b"
    assert list(items) == ["a", "b"]
    assert calls == [(0, 2, "extracting"), (1, 2, "extracting"), (2, 2, "extracting")]


@pytest.mark.parametrize("quiet", [False, True])
def test_load_shows_its_stages_only_on_a_terminal_and_not_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    db = str(tmp_path / "p.db")
    piped = invoke(db, "load", str(SEEDS))
    assert piped.exit_code == 0
    assert piped.stderr == f"9 files loaded into sqlite:///{db}\n"  # no bar when piped
    # stderr "is" a terminal: a bar per stage (click writes only the label to the runner's stream)
    monkeypatch.setattr(display, "_stderr_is_a_terminal", lambda: True)
    shown = invoke(db, *(["--quiet"] if quiet else []), "load", str(SEEDS))
    bars = "" if quiet else "reading files\nwriting\n"
    assert shown.stderr == f"{bars}9 files loaded into sqlite:///{db}\n"


def test_library_progress_callbacks_advance(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    engine = database.connect(database.resolve(str(tmp_path / "p.db")))
    loader.load(engine, [SEEDS], progress=lambda *call: calls.append(call))
    reading = [call for call in calls if call[2] == "reading files"]
    assert reading[0] == (0, 9, "reading files") and reading[-1] == (9, 9, "reading files")
    assert [done for done, _, _ in reading] == list(range(10))
    assert calls[-1] == (9, 9, "writing")
    calls.clear()
    run_audit(engine, progress=lambda *call: calls.append(call))
    listed = [rule for rule in RULES if not RULES[rule].streamed]  # the streamed ones run as read
    assert calls == [(done, len(listed), "auditing") for done in range(len(listed) + 1)]
    calls.clear()
    files = build(engine, progress=lambda *call: calls.append(call))
    built = [call for call in calls if call[2] == "building reports"]
    assert calls[0] == (0, len(listed), "auditing")
    assert built[0] == (0, len(files), "building reports") and built[-1] == (len(files), len(files), "building reports")
    assert [done for done, _, _ in built] == sorted(done for done, _, _ in built)
