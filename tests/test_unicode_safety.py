"""Names in several Unicode forms, bidirectional controls, oversized search texts and files that
are not databases: each handled plainly."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from provenance.datasets import loader
from provenance.names import nfc, show_controls
from provenance.output import emit, escape_markdown
from tests.conftest import invoke

COMPOSED = unicodedata.normalize("NFC", "Ali Reza Hoseyni \u0622")  # ALEF WITH MADDA ABOVE
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_names_are_composed_and_controls_shown() -> None:
    assert COMPOSED != DECOMPOSED and nfc(DECOMPOSED) == COMPOSED
    assert show_controls("evil\u202egpj.exe") == "evil\\u202egpj.exe"
    assert show_controls("plain") == "plain"
    assert escape_markdown("a\u2066b") == "a\\\\u2066b"


def _dataset(tmp_path: Path) -> Path:
    path = tmp_path / "names.yaml"
    path.write_text(
        "agents:\n"
        f"  - {{id: composed, name: '{COMPOSED}', kind: person}}\n"
        f"  - {{id: decomposed, name: '{DECOMPOSED}', kind: person, aliases: ['{DECOMPOSED} II']}}\n",
        encoding="utf-8",
    )
    return path


def test_the_same_name_in_nfc_and_nfd_is_stored_once_and_warned_about(db_url: str, tmp_path: Path) -> None:
    result = invoke(db_url, "load", str(_dataset(tmp_path)))
    assert result.exit_code == 0, result.stderr
    assert (
        f"warning: {tmp_path / 'names.yaml'}:3: agents[1].name: agent 'decomposed' is named like agent"
        f" 'composed' ({COMPOSED!r}); if they are one agent keep one, else tell them apart\n"
    ) in result.stderr
    engine_result = invoke(db_url, "speakers", "--format", "json")
    assert DECOMPOSED not in engine_result.stdout
    # A lookup typed decomposed finds the composed alias.
    found = invoke(db_url, "speaker", f"{DECOMPOSED} II")
    assert found.exit_code == 0, found.stderr


def test_stored_names_are_nfc(engine: Engine, tmp_path: Path) -> None:
    loader.load(engine, [_dataset(tmp_path)])
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM agent ORDER BY id")).scalars().all()
        aliases = connection.execute(text("SELECT alias FROM agent_alias ORDER BY alias")).scalars().all()
    assert names == [COMPOSED, COMPOSED]
    assert all(alias == nfc(alias) for alias in aliases)


def test_bidi_controls_in_a_name_are_shown_escaped_in_tables(capsys: pytest.CaptureFixture[str]) -> None:
    emit([{"name": "Good\u202eNews"}], "table")
    out = capsys.readouterr().out
    assert "\u202e" not in out and "Good\\u202eNews" in out
    emit([{"name": "Good\u202eNews"}], "json")  # data formats keep the value as it is
    assert "\u202e" in capsys.readouterr().out


def test_a_huge_search_text_is_a_clear_error(seeded_url: str) -> None:
    result = invoke(seeded_url, "search", "a" * 100_000)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the search text is too long (100,000 characters; the limit is 10,000):"
        " search for a shorter part of it\n"
    )
    assert invoke(seeded_url, "search", "Kerman " * 1_400).exit_code == 0  # long, within the limit


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are notes, not a database. " * 10, encoding="utf-8")
    before = path.read_bytes()
    for args in (("load", str(Path(__file__).parent / "fixtures" / "load" / "base.yaml")), ("stats",)):
        result = invoke(str(path), *args)
        assert result.exit_code == 1
        assert result.stderr == f"Error: cannot open the database sqlite:///{path}: file is not a database\n"
    assert path.read_bytes() == before


def test_bidi_controls_are_shown_in_report_text_and_diagrams() -> None:
    from provenance.reports.markdown import mermaid_label
    from provenance.reports.markdown import text as markdown_text

    assert "\u202e" not in markdown_text("Good\u202eNews") and "u202e" in markdown_text("Good\u202eNews")
    assert mermaid_label("Good\u2067News") == "Good\\u2067News"
