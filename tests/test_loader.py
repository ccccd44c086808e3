"""The loader: what it writes, idempotence, and every class of bad input leaving the database as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text

from provenance.datasets import loader
from provenance.errors import DatasetError
from provenance.store.models import TABLES_IN_WRITE_ORDER
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "load"


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: the database's whole content."""
    content = {}
    with engine.connect() as connection:
        for model in TABLES_IN_WRITE_ORDER:
            table = model.__table__
            keys = list(table.primary_key.columns)
            content[table.name] = [tuple(row) for row in connection.execute(select(table).order_by(*keys))]
    return content


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory holding the base dataset and its article, to add bad files to."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture
def loaded(engine: Engine, workdir: Path) -> Engine:
    loader.load(engine, [workdir / "base.yaml"])
    return engine


def test_load_writes_every_record(engine: Engine, workdir: Path) -> None:
    summary = loader.load(engine, [workdir])
    assert summary.counts["statement"] == {"new": 3, "changed": 0, "unchanged": 0, "removed": 0}
    with engine.connect() as connection:
        reports = connection.execute(
            text(
                "SELECT id, reporter_id, document_id, via_id, excerpt_start, excerpt_end, prefix"
                " FROM report WHERE statement_id = 'bakhshi-32-arrested' ORDER BY id"
            )
        ).all()
        document = connection.execute(text("SELECT text, sha256, published_inferred FROM document")).one()
    assert [tuple(r) for r in reports] == [
        (
            "bakhshi-32-arrested@daily-article",
            "daily",
            "daily-article",
            "bakhshi-32-arrested~mehr",
            36,
            135,
            "an prosecutor says 32 arrested\n\n",
        ),
        ("bakhshi-32-arrested~mehr", "mehr", None, None, None, None, None),
    ]
    article = (workdir / "article.txt").read_text(encoding="utf-8")
    assert article[36:136].startswith("“Thirty-two")
    assert document[0] == article
    assert document[1].startswith("sha256:") and len(document[1]) == 71
    assert bool(document[2]) is True


def test_loading_twice_changes_nothing(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir])
    before = dump(engine)
    summary = loader.load(engine, [workdir])
    assert not summary.changed
    assert {kind: counts["unchanged"] for kind, counts in summary.counts.items()} == {
        "agent": 7,
        "document": 1,
        "claim": 4,
        "statement": 3,
    }
    assert dump(engine) == before


def test_changed_record_is_updated_and_removed_record_is_removed(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir])
    base = workdir / "base.yaml"
    content = base.read_text(encoding="utf-8")
    content = content.replace("cue: denied", "cue: flatly denied")
    content = content.replace(
        "  - id: suicide-bomber\n    text: A suicide bomber caused the first blast\n", ""
    )
    start = content.index("  - id: source-suicide-bomber")
    base.write_text(content[:start], encoding="utf-8")
    summary = loader.load(engine, [workdir])
    assert summary.counts["statement"] == {"new": 0, "changed": 1, "unchanged": 1, "removed": 1}
    assert summary.counts["claim"]["removed"] == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT cue FROM statement WHERE id = 'us-denies-role'")).scalar() == (
            "flatly denied"
        )
        assert (
            connection.execute(text("SELECT COUNT(*) FROM report WHERE statement_id LIKE 'source%'")).scalar()
            == 0
        )


def test_dry_run_writes_nothing(engine: Engine, workdir: Path) -> None:
    summary = loader.load(engine, [workdir], dry_run=True)
    assert summary.counts["agent"]["new"] == 7
    assert not inspect(engine).has_table("agent")  # not even the tables: the schema is part of the load
    loader.load(engine, [workdir / "base.yaml"])
    before = dump(engine)
    (workdir / "more.yaml").write_text("agents: [{id: more, name: More, kind: person}]\n", encoding="utf-8")
    assert loader.load(engine, [workdir], dry_run=True).counts["agent"]["new"] == 1
    assert dump(engine) == before


def test_json_datasets_load_like_yaml(engine: Engine, workdir: Path) -> None:
    (workdir / "extra.json").write_text(
        '{"claims": [{"id": "extra", "text": "An extra claim", "tags": ["x"]}]}', encoding="utf-8"
    )
    summary = loader.load(engine, [workdir])
    assert summary.counts["claim"]["new"] == 5


# -- bad input: (file name, content, expected fragments of the message) ---------------------------

BAD_INPUTS = {
    "malformed-yaml": (
        "bad.yaml",
        "agents:\n  - id: x\n    name: [unclosed\n",
        ["bad.yaml:", "malformed YAML"],
    ),
    "malformed-json": ("bad.json", '{"agents": [}', ["bad.json:1", "malformed JSON"]),
    "wrong-type": (
        "bad.yaml",
        "claims:\n  - id: c\n    text: t\n    quantity: {key: k, value: many}\n",
        ["bad.yaml:4: claims[0].quantity.value", "'many'"],
    ),
    "wrong-enum": (
        "bad.yaml",
        "statements:\n  - {id: s, speaker: bakhshi, claim: arrested-32, stance: assert}\n",
        ["statements[0].stance", "'asserts', 'denies' or 'questions'"],
    ),
    "unknown-field": (
        "bad.yaml",
        "agents:\n  - {id: a, name: A, kind: person, alias: [x]}\n",
        ["agents[0].alias", "unknown field"],
    ),
    "bad-id": ("bad.yaml", "agents:\n  - {id: Not A Slug, name: A, kind: person}\n", ["agents[0].id"]),
    "unknown-reference": (
        "bad.yaml",
        "statements:\n  - {id: s, speaker: nobody, claim: arrested-32}\n",
        ["bad.yaml:2: statements[0].speaker", "unknown agent 'nobody'"],
    ),
    "unknown-via": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, via: [ghost], excerpt: The White House denied any role.}\n",
        ["statements[0].reports[0].via", "unknown agent 'ghost'"],
    ),
    "duplicate-id-across-files": (
        "bad.yaml",
        "agents:\n  - {id: mehr, name: Mehr again, kind: outlet}\n",
        ["duplicate agent id 'mehr'", "first defined in"],
    ),
    "duplicate-key": ("bad.yaml", "agents: []\nagents: []\n", ["bad.yaml:2", "duplicate key 'agents'"]),
    "excerpt-not-in-text": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, excerpt: Nobody said this.}\n",
        ["statements[0].reports[0].excerpt", "not found in document 'daily-article'"],
    ),
    "excerpt-straight-quotes": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        '      - {document: daily-article, excerpt: "\\"Thirty-two people have been arrested,\\""}\n',
        ["not found", "quotation marks"],
    ),
    "excerpt-ambiguous": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, excerpt: arrested}\n",
        ["occurs 2 times", "start: 26", "start: 65"],
    ),
    "via-loop": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, via: [mehr, irna, mehr], excerpt: The White House denied any role.}\n",
        ["statements[0].reports[0].via", "citation cycle (mehr → irna → mehr)"],
    ),
    "via-report-loop": (
        "bad.yaml",
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {id: r1, reporter: mehr, via_report: r2}\n      - {id: r2, reporter: irna, via_report: r1}\n",
        ["statements[0].reports", "via links form a citation cycle: r1 → r2 → r1"],
    ),
    "affiliation-cycle": (
        "bad.yaml",
        "agents:\n  - {id: a, name: A, kind: group, affiliations: [{to: b}]}\n"
        "  - {id: b, name: B, kind: group, affiliations: [{to: a}]}\n",
        ["affiliations form a cycle: a → b → a"],
    ),
    "missing-text-file": (
        "bad.yaml",
        "documents:\n  - {id: d2, file: nowhere.txt}\n",
        ["bad.yaml:2: documents[0].file", "text file 'nowhere.txt' no such file"],
    ),
    "empty-dataset": ("bad.yaml", "   \n", ["bad.yaml", "is empty"]),
    "top-level-list": ("bad.yaml", "- a\n- b\n", ["the top level must be a mapping"]),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_database_unchanged(
    case: str, loaded: Engine, workdir: Path, db_url: str
) -> None:
    name, content, expected = BAD_INPUTS[case]
    (workdir / name).write_text(content, encoding="utf-8")
    before = dump(loaded)
    result = invoke(db_url, "load", str(workdir))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(loaded) == before


BAD_FILES = {
    "binary-dataset": ("bad.yaml", b"\x00\x01\x02agents", ["bad.yaml", "looks binary"]),
    "latin1-dataset": (
        "bad.yaml",
        "agents: []\n# Caf\xe9\n".encode("latin-1"),
        ["bad.yaml:2", "not valid UTF-8"],
    ),
    "binary-text": ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00", ["documents[0].file", "looks binary"]),
    "latin1-text": (
        "blob.txt",
        "Caf\xe9 society".encode("latin-1"),
        ["documents[0].file", "not valid UTF-8"],
    ),
    "empty-text": ("blob.txt", b"", ["documents[0].file", "is empty"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_and_database_unchanged(
    case: str, loaded: Engine, workdir: Path, db_url: str
) -> None:
    name, content, expected = BAD_FILES[case]
    (workdir / name).write_bytes(content)
    if name == "blob.txt":
        (workdir / "doc.yaml").write_text("documents:\n  - {id: blob, file: blob.txt}\n", encoding="utf-8")
    before = dump(loaded)
    result = invoke(db_url, "load", str(workdir))
    assert result.exit_code == 1
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert dump(loaded) == before


def test_all_problems_are_reported_at_once(engine: Engine, workdir: Path) -> None:
    (workdir / "bad.yaml").write_text(
        "statements:\n  - {id: s1, speaker: nobody, claim: nothing}\n  - {id: s2, speaker: bakhshi, claim: none}\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        loader.load(engine, [workdir])
    assert [p.location for p in caught.value.problems] == [
        "statements[0].speaker",
        "statements[0].claim",
        "statements[1].claim",
    ]


def test_explicit_offset_picks_one_occurrence(engine: Engine, workdir: Path) -> None:
    (workdir / "more.yaml").write_text(
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, excerpt: arrested, start: 65}\n",
        encoding="utf-8",
    )
    loader.load(engine, [workdir])
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT excerpt_start, excerpt_end FROM report WHERE statement_id = 's'")
        ).one()
    assert tuple(row) == (65, 73)


def test_wrong_offset_says_where_the_excerpt_is(engine: Engine, workdir: Path) -> None:
    (workdir / "more.yaml").write_text(
        "statements:\n  - id: s\n    speaker: bakhshi\n    claim: arrested-32\n    reports:\n"
        "      - {document: daily-article, excerpt: arrested, start: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError, match="not at offset 3; it occurs at 26, 65"):
        loader.load(engine, [workdir])


def test_shared_intermediary_report_is_reused(engine: Engine, workdir: Path) -> None:
    (workdir / "more.yaml").write_text(
        "documents:\n  - {id: second, text: 'Mehr said 32 were arrested.', outlet: daily}\n"
        "statements:\n  - id: bakhshi-32-arrested\n    speaker: bakhshi\n    claim: arrested-32\n"
        "    reports:\n      - {document: daily-article, via: [mehr], excerpt: quoted Bakhshi}\n"
        "      - {document: second, via: [mehr], excerpt: Mehr said 32 were arrested.}\n",
        encoding="utf-8",
    )
    (workdir / "base.yaml").write_text(
        (workdir / "base.yaml").read_text(encoding="utf-8").split("statements:")[0], encoding="utf-8"
    )
    loader.load(engine, [workdir])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, via_id FROM report ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        ("bakhshi-32-arrested@daily-article", "bakhshi-32-arrested~mehr"),
        ("bakhshi-32-arrested@second", "bakhshi-32-arrested~mehr"),
        ("bakhshi-32-arrested~mehr", None),
    ]


def test_removing_an_agent_still_referenced_elsewhere_is_refused(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir])
    other = workdir / "other.yaml"
    other.write_text("agents:\n  - {id: lonely, name: Lonely, kind: person}\n", encoding="utf-8")
    loader.load(engine, [other])
    (workdir / "stmt.yaml").write_text(
        "statements:\n  - {id: lonely-says, speaker: lonely, claim: arrested-32}\n", encoding="utf-8"
    )
    loader.load(engine, [workdir / "stmt.yaml"])
    other.write_text("agents: []\n", encoding="utf-8")
    before = dump(engine)
    from provenance.errors import StoreError

    with pytest.raises(StoreError, match="removing records no longer in the files: agent 'lonely'"):
        loader.load(engine, [other])
    assert dump(engine) == before


def test_no_dataset_files_is_an_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no dataset files"):
        loader.load(engine, [tmp_path])


def test_a_record_defined_by_another_file_is_not_silently_taken_over(engine: Engine, workdir: Path) -> None:
    loader.load(engine, [workdir / "base.yaml"])
    moved = workdir.parent / "moved.yaml"
    moved.write_text((workdir / "base.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = dump(engine)
    with pytest.raises(DatasetError, match=r"agent 'iran' is already defined by .*base.yaml; .*--adopt"):
        loader.load(engine, [moved])
    assert dump(engine) == before
    moved.write_text(
        moved.read_text(encoding="utf-8").replace("file: article.txt", "file: data/article.txt"),
        encoding="utf-8",
    )
    summary = loader.load(engine, [moved], adopt=True)
    assert summary.counts["agent"] == {"new": 0, "changed": 7, "unchanged": 0, "removed": 0}
    with engine.connect() as connection:
        assert {row[0] for row in connection.execute(text("SELECT DISTINCT source FROM agent"))} == {
            f"{moved.resolve().parent.name}/moved.yaml"  # dataset-relative: the folder, then the file
        }


def test_passage_fingerprints_are_written_and_replaced_with_their_document(
    engine: Engine, workdir: Path
) -> None:
    from provenance.store.passages import fingerprints

    def stored() -> set[int]:
        with engine.connect() as connection:
            return set(connection.execute(text(
                "SELECT hash FROM passage_fingerprint WHERE document_id = 'daily-article'")).scalars())

    loader.load(engine, [workdir])
    article = workdir / "article.txt"
    assert stored() == fingerprints(article.read_text(encoding="utf-8")) != set()
    article.write_text(article.read_text(encoding="utf-8") + "\n\nA new closing paragraph of several words"
                       " that nobody else wrote, added later.\n", encoding="utf-8")
    loader.load(engine, [workdir])
    assert stored() == fingerprints(article.read_text(encoding="utf-8"))


def test_a_statement_can_move_to_a_new_claim_while_the_old_one_goes(engine: Engine, tmp_path: Path) -> None:
    """Stale records go after the changed ones are written: the statement leaves the old claim first."""
    path = tmp_path / "d.yaml"
    path.write_text("agents: [{id: a, name: A, kind: person}]\nclaims: [{id: old, text: Old}]\n"
                    "statements: [{id: s, speaker: a, claim: old}]\n", encoding="utf-8")
    loader.load(engine, [path])
    path.write_text("agents: [{id: a, name: A, kind: person}]\nclaims: [{id: new, text: New}]\n"
                    "statements: [{id: s, speaker: a, claim: new}]\n", encoding="utf-8")
    summary = loader.load(engine, [path])
    assert summary.counts["claim"]["removed"] == 1
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, claim_id FROM statement")).all() == [("s", "new")]
        assert connection.execute(text("SELECT id FROM claim")).all() == [("new",)]
