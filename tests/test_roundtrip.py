"""From a new article to records: ingest, extract, review and load, as the README shows it."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from provenance.articles import drafts as drafts_module
from provenance.datasets import loader
from provenance.store import database
from tests.conftest import ROOT, SEEDS, invoke
from tests.test_readme import block_after

FIXTURES = ROOT / "tests" / "fixtures"
XINHUA = (
    "Iran revises Kerman death toll\n\n"
    "TEHRAN, Jan. 5 (Xinhua) -- Iranian Interior Minister Ahmad Vahidi revised the death toll of"
    " the twin blasts in Kerman down to 84, according to ISNA news agency.\n\n"
    "The minister blamed the United States and Israel for the attack, he said.\n\n"
    "Kerman deputy governor Rahman Jalali told IRNA that 95 people had been killed.\n"
)
HILL = (
    "US denies role in Iran blasts\n\n"
    "State Department spokesperson Matthew Miller, at a separate briefing with reporters, said the"
    " United States was not involved in any way.\n\n"
    "Miller said there was no indication that Israel was involved.\n\n"
    "The Islamic State group said it carried out the bombings, the report said.\n"
)


def _rows(url: str, sql: str) -> list[tuple]:
    engine = database.connect(database.Location(url, "test"))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_readme_workflow_runs_as_written(db_url: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    loader.load(database.connect(database.Location(db_url, "test")), [SEEDS])
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "ingest" / "oan-page.html", tmp_path / "page.html")
    for line in block_after("article-workflow").strip().splitlines():
        words = shlex.split(line.split("#")[0])
        if words[0] == "$EDITOR":  # the reviewer: accepts every statement as drafted
            draft = Path(words[1])
            draft.write_text(draft.read_text(encoding="utf-8").replace(
                "review_status: draft", "review_status: reviewed"), encoding="utf-8")
            continue
        assert words[0] == "provenance"
        result = invoke(db_url, *words[1:])
        assert result.exit_code == 0, f"{line}: {result.stderr}"
    statements = _rows(db_url, "SELECT s.id, r.reporter_id FROM statement s JOIN report r"
                       " ON r.statement_id = s.id AND r.document_id = 'page'")
    assert statements and {reporter for _, reporter in statements} == {"one-america-news"}


def test_drafts_load_into_a_fresh_database_together_or_one_by_one(db_url: str,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "xinhua.txt").write_text(XINHUA, encoding="utf-8")
    (tmp_path / "hill.txt").write_text(HILL, encoding="utf-8")
    nowhere = str(tmp_path / "none.db")
    for name, outlet in (("xinhua", "Xinhua"), ("hill", "The Hill")):
        result = invoke(nowhere, "extract", str(tmp_path / f"{name}.txt"), "--outlet", outlet,
                        "--out", str(tmp_path / "drafts" / f"{name}.yaml"))
        assert result.exit_code == 0, result.stderr
    drafts = [tmp_path / "drafts" / "xinhua.yaml", tmp_path / "drafts" / "hill.yaml"]
    xinhua = yaml.safe_load(drafts[0].read_text(encoding="utf-8"))
    assert {"id": "xinhua", "name": "Xinhua", "kind": "news_agency"}.items() <= {
        **next(a for a in xinhua["agents"] if a["id"] == "xinhua")}.items() or any(
        a["id"] == "xinhua" for a in xinhua["agents"])
    by_stated = {s["speaker_as_stated"]: s for s in xinhua["statements"]}
    vahidi = by_stated["Iranian Interior Minister Ahmad Vahidi"]
    assert vahidi["speaker"] == "ahmad-vahidi" and vahidi["reports"][0]["via"] == ["isna"]
    assert by_stated["The minister"]["speaker"] == "ahmad-vahidi"
    jalali = by_stated["Kerman deputy governor Rahman Jalali"]
    assert jalali["speaker"] == "rahman-jalali" and jalali["reports"][0]["via"] == ["irna"]
    hill = yaml.safe_load(drafts[1].read_text(encoding="utf-8"))
    by_stated = {s["speaker_as_stated"]: s for s in hill["statements"]}
    miller = by_stated["State Department spokesperson Matthew Miller, at a separate briefing with reporters"]
    assert (miller["speaker"], miller["stance"]) == ("matthew-miller", "denies")
    assert (by_stated["Miller"]["speaker"], by_stated["Miller"]["stance"]) == ("matthew-miller", "denies")
    agents = {a["id"]: a for a in hill["agents"]}
    assert agents["matthew-miller"]["kind"] == "person"
    # The role goes to the statement's note: the proposal itself is the same in every draft.
    assert "role as stated 'State Department spokesperson'" in miller["note"]
    assert agents["matthew-miller"]["description"] == drafts_module.PROPOSED

    # The articles lie beside drafts/, outside the drafts' folder: --root names the dataset's
    # folder that holds both, as extract's hint says.
    root = ("--root", str(tmp_path))
    result = invoke(db_url, "load", *root, *map(str, drafts))  # together, into a fresh database
    assert result.exit_code == 0, result.stderr
    result = invoke(db_url, "load", *root, str(drafts[0]))  # and again, one by one: nothing changes
    assert result.exit_code == 0, result.stderr
    assert _rows(db_url, "SELECT count(*) FROM document") == [(2,)]


def test_two_drafts_against_a_database_with_other_datasets(seeded_copy: str, tmp_path: Path) -> None:
    for name, body in (("one", XINHUA), ("two", XINHUA.replace("84", "89").replace("Xinhua", "AFP"))):
        (tmp_path / f"{name}.txt").write_text(body, encoding="utf-8")
        result = invoke(seeded_copy, "ingest", str(tmp_path / f"{name}.txt"), "--outlet", "breitbart")
        assert result.exit_code == 0, result.stderr
        result = invoke(seeded_copy, "extract", name, "--out", str(tmp_path / f"{name}.yaml"))
        assert result.exit_code == 0, result.stderr
    one = yaml.safe_load((tmp_path / "one.yaml").read_text(encoding="utf-8"))
    assert one["documents"][0]["id"] == "one" and "text" in one["documents"][0]
    figures = [s for s in one["statements"] if s["claim"] == "kerman-killed-84"]
    assert figures, [s["claim"] for s in one["statements"]]
    for name in ("one", "two"):  # one after the other: placeholders and proposals do not collide
        result = invoke(seeded_copy, "load", str(tmp_path / f"{name}.yaml"))
        assert result.exit_code == 0, result.stderr
    reporters = _rows(seeded_copy, "SELECT DISTINCT r.reporter_id FROM report r"
                      " WHERE r.document_id IN ('one', 'two')")
    assert reporters == [("breitbart-news",)]
    # The reports of a database holding drafts: written whole, the drafts marked as such (a
    # figure's draft statement once broke the claim reports' lookup of its speaker).
    out = tmp_path / "reports"
    result = invoke(seeded_copy, "report", "--all", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / "claims" / "kerman-killed-84.md").exists()
    assert any("(draft)" in page.read_text(encoding="utf-8") for page in out.rglob("*.md"))


def test_unknown_outlet_is_proposed_by_ingest(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(XINHUA, encoding="utf-8")
    result = invoke(db_url, "ingest", str(tmp_path / "a.txt"), "--outlet", "Xinhua")
    assert result.exit_code == 0, result.stderr
    assert "new agent 'xinhua' proposed as the outlet" in result.stderr
    assert _rows(db_url, "SELECT id, kind FROM agent") == [("xinhua", "outlet")]
