"""Reading untrusted dataset files: alias bombs, paths leaving the dataset, byte-order marks, and
records' origins that do not depend on where the dataset lives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, text

from provenance.datasets import files, loader, plan
from provenance.errors import DatasetError
from tests.test_loader import FIXTURES, dump

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
agents: [*i]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working directory


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


def _problems(engine: Engine, paths: list[Path]) -> list[str]:
    with pytest.raises(DatasetError) as raised:
        loader.load(engine, paths)
    return [str(problem) for problem in raised.value.problems]


# -- YAML ------------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_before_it_is_built(engine: Engine, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    assert _problems(engine, [bomb]) == [
        "bomb.yaml:6: YAML aliases expand to more than 100,000 extra values (an alias bomb?);"
        " write the values out"
    ]


def test_a_few_aliases_are_still_allowed() -> None:
    data, _ = files.parse_dataset("a: &x [1, 2]\nb: *x\nc: *x\n", shown_as="f.yaml", is_json=False)
    assert data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: &a [*a]\n", "f.yaml:1: a YAML alias refers to the collection it is in"),
        ("a: " + "[" * 100 + "]" * 100 + "\n", "f.yaml:1: nests deeper than 64 levels"),
    ],
)
def test_self_reference_and_deep_nesting_are_refused(content: str, message: str) -> None:
    with pytest.raises(files.FileProblem) as raised:
        files.parse_dataset(content, shown_as="f.yaml", is_json=False)
    assert str(raised.value.problem) == message


def test_deep_json_is_a_located_error() -> None:
    with pytest.raises(files.FileProblem) as raised:
        files.parse_dataset("[" * 100_000 + "]" * 100_000, shown_as="f.json", is_json=True)
    assert str(raised.value.problem) == "f.json: malformed JSON: nested too deep"


# -- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("/etc/passwd", "is an absolute path; give a path relative to the dataset file, inside the dataset's folder"),
        ("~/secret.txt", "is an absolute path; give a path relative to the dataset file, inside the dataset's folder"),
        ("../outside.txt", "lies outside the dataset's folder"),
        ("link.txt", "lies outside the dataset's folder"),
    ],
)
def test_text_files_outside_the_dataset_folder_are_refused(
    engine: Engine, workdir: Path, given: str, message: str
) -> None:
    (workdir.parent / "outside.txt").write_text("A secret that must not be loaded.\n", encoding="utf-8")
    (workdir / "link.txt").symlink_to(workdir.parent / "outside.txt")
    (workdir / "leak.yaml").write_text(f"documents: [{{id: leak, file: '{given}'}}]\n", encoding="utf-8")
    problems = _problems(engine, [workdir / "leak.yaml"])
    assert len(problems) == 1 and problems[0].startswith(
        f"data/leak.yaml:1: documents[0].file: text file {given!r} {message}"
    ), problems


def test_paths_that_stay_inside_the_dataset_folder_load(engine: Engine, workdir: Path) -> None:
    (workdir / "sub").mkdir()
    (workdir / "sub" / "d.yaml").write_text(
        "documents: [{id: inside, file: ../sub/../article.txt}]\n", encoding="utf-8"
    )
    (workdir / "alias.txt").symlink_to(workdir / "article.txt")
    (workdir / "e.yaml").write_text("documents: [{id: linked, file: alias.txt}]\n", encoding="utf-8")
    summary = loader.load(engine, [workdir])  # the folder given is the dataset's folder
    assert summary.counts["document"]["new"] == 3
    # A file given on its own: its folder is the dataset's.
    assert "lies outside the dataset's folder (data/sub)" in _problems(engine, [workdir / "sub" / "d.yaml"])[0]


def test_a_dataset_file_linked_from_outside_the_folder_given_is_refused(engine: Engine, workdir: Path,
                                                                        tmp_path: Path) -> None:
    given = tmp_path / "given"
    given.mkdir()
    (given / "x.yaml").symlink_to(workdir / "base.yaml")
    assert _problems(engine, [given]) == [
        f"{files.shown_path(given / 'x.yaml')}: is a link to a file outside"
        f" {files.shown_path(given)}; dataset files must be inside it"
    ]


def test_inline_text_has_the_limit_of_a_text_file(engine: Engine, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan, "MAX_TEXT_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump({"documents": [{"id": "big", "text": "x" * 101}]}), encoding="utf-8")
    assert _problems(engine, [path]) == [
        "big.yaml:3: documents[0].text: the text is too large (101 bytes; the limit is 100); put it in a file"
    ]
    path.write_text(yaml.safe_dump({"documents": [{"id": "big", "text": "x" * 100}]}), encoding="utf-8")
    assert loader.load(engine, [path]).counts["document"]["new"] == 1


# -- byte-order marks ------------------------------------------------------------------------


def test_a_bom_is_accepted_in_json_and_stripped_from_texts(engine: Engine, workdir: Path) -> None:
    article = (workdir / "article.txt").read_text(encoding="utf-8")
    (workdir / "article.txt").write_text("\ufeff" + article, encoding="utf-8")
    content = yaml.safe_load((workdir / "base.yaml").read_text(encoding="utf-8"))
    (workdir / "base.yaml").unlink()
    (workdir / "base.json").write_text("\ufeff" + json.dumps(content, default=str), encoding="utf-8")
    loader.load(engine, [workdir])
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT text FROM document")).scalar()
        start = connection.execute(
            text("SELECT excerpt_start FROM report WHERE id = 'bakhshi-32-arrested@daily-article'")
        ).scalar()
    assert stored == article
    assert start == 36  # as without the mark


# -- origins ---------------------------------------------------------------------------------


def test_a_clone_elsewhere_is_the_same_dataset(engine: Engine, workdir: Path, tmp_path: Path) -> None:
    loader.load(engine, [workdir])
    before = dump(engine)
    clone = tmp_path / "elsewhere" / "deeper" / "data"
    shutil.copytree(workdir, clone)
    shutil.rmtree(workdir)
    summary = loader.load(engine, [clone])
    assert not summary.changed
    assert dump(engine) == before
    with engine.connect() as connection:
        assert connection.execute(text("SELECT DISTINCT source FROM agent")).scalars().all() == ["data/base.yaml"]
    # The file named on its own is the same source as in its folder.
    assert not loader.load(engine, [clone / "base.yaml"]).changed


def test_a_database_with_absolute_sources_reloads_unchanged(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir])
    absolute = (workdir / "base.yaml").resolve().as_posix()
    with engine.begin() as connection:  # what earlier versions stored
        for table in ("agent", "document", "claim", "statement"):
            connection.execute(text(f"UPDATE {table} SET source = :s"), {"s": absolute})
    before = dump(engine)
    summary = loader.load(engine, [workdir], dry_run=True)
    assert not summary.changed
    summary = loader.load(engine, [workdir])
    assert not summary.changed
    after = dump(engine)
    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    with engine.connect() as connection:
        for table in ("agent", "document", "claim", "statement"):
            assert connection.execute(text(f"SELECT DISTINCT source FROM {table}")).scalars().all() == [
                "data/base.yaml"
            ]


def test_a_legacy_record_removed_from_its_file_is_removed(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir])
    absolute = (workdir / "base.yaml").resolve().as_posix()
    with engine.begin() as connection:
        for table in ("agent", "document", "claim", "statement"):
            connection.execute(text(f"UPDATE {table} SET source = :s"), {"s": absolute})
    content = (workdir / "base.yaml").read_text(encoding="utf-8")
    start = content.index("  - id: source-suicide-bomber")
    (workdir / "base.yaml").write_text(content[:start], encoding="utf-8")
    summary = loader.load(engine, [workdir])
    assert summary.counts["statement"]["removed"] == 1
