"""Loading a stream of chunks: one transaction, references to earlier chunks, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from benchmarks.generate import generate, stream
from provenance.datasets import loader
from provenance.datasets.format import Dataset
from provenance.datasets.plan import Existing, ParsedFile, _json_checksum, build_plan
from provenance.errors import DatasetError
from provenance.names import normalize
from tests.test_loader import FIXTURES, dump


def parsed(name: str, data: dict[str, Any]) -> ParsedFile:
    path = Path("chunks") / name
    return ParsedFile(path=path, shown=path.as_posix(), dataset=Dataset.model_validate(data))


AGENTS = {"agents": [{"id": "a", "name": "Ann", "kind": "person"},
                     {"id": "paper", "name": "Paper", "kind": "outlet"}]}
CLAIMS = {"claims": [{"id": "c", "text": "Something happened"}]}


def statements(first: int, count: int, **extra: Any) -> dict[str, Any]:
    return {"statements": [{"id": f"s-{i}", "speaker": "a", "claim": "c",
                            "reports": [{"reporter": "paper"}], **extra}
                           for i in range(first, first + count)]}


def test_a_stream_loads_like_a_list(engine: Engine, tmp_path: Path) -> None:
    files, _ = stream(600, seed=5)
    summary = loader.load_datasets(engine, files)
    assert summary.counts["statement"]["new"] == 600
    streamed = dump(engine)
    listed_engine = loader.database.connect(loader.database.Location(
        f"sqlite:///{tmp_path / 'listed.db'}", "test"))
    listed, _ = generate(600, seed=5)
    loader.load_datasets(listed_engine, listed)
    assert dump(listed_engine) == streamed
    listed_engine.dispose()
    again, _ = stream(600, seed=5)
    summary = loader.load_datasets(engine, again)
    assert not summary.changed
    assert summary.counts["statement"]["unchanged"] == 600
    assert dump(engine) == streamed


def test_a_problem_in_a_late_chunk_writes_nothing(engine: Engine) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    before = dump(engine)
    chunks = [
        parsed("agents.yaml", AGENTS),
        parsed("claims.yaml", CLAIMS),
        parsed("part-0.yaml", statements(0, 50)),
        parsed("part-1.yaml", statements(50, 50)),
        parsed("part-2.yaml", {"statements": [
            {"id": "s-100", "speaker": "nobody", "claim": "c", "reports": [{"reporter": "paper"}]},
            {"id": "s-0", "speaker": "a", "claim": "c", "reports": [{"reporter": "paper"}]},
        ]}),
        parsed("part-3.yaml", {"statements": [
            {"id": "s-101", "speaker": "a", "claim": "missing", "reports": [{"reporter": "paper"}]},
        ]}),
    ]
    with pytest.raises(DatasetError) as raised:
        loader.load_datasets(engine, iter(chunks))
    found = [str(problem) for problem in raised.value.problems]
    assert found == [
        "chunks/part-2.yaml: statements[0].speaker: unknown agent 'nobody'",
        "chunks/part-2.yaml: statements[1].id: duplicate statement id 's-0'; first defined in"
        " chunks/part-0.yaml at statements[0]",
        "chunks/part-3.yaml: statements[0].claim: unknown claim 'missing'",
    ]
    assert dump(engine) == before


def test_chunks_refer_to_earlier_chunks_and_the_database(engine: Engine) -> None:
    loader.load_datasets(engine, [parsed("agents.yaml", AGENTS), parsed("claims.yaml", CLAIMS)])
    summary = loader.load_datasets(engine, iter([
        parsed("more.yaml", {"agents": [{"id": "b", "name": "Bob", "kind": "person",
                                         "affiliations": [{"to": "paper"}]}]}),
        parsed("part-0.yaml", statements(0, 3)),
        parsed("part-1.yaml", statements(3, 3, speaker="b")),
    ]))
    assert summary.counts["statement"]["new"] == 6
    assert summary.counts["agent"]["new"] == 1
    with engine.connect() as connection:
        speakers = connection.execute(text(
            "SELECT speaker_id, COUNT(*) FROM statement GROUP BY speaker_id ORDER BY speaker_id"
        )).all()
    assert [tuple(row) for row in speakers] == [("a", 3), ("b", 3)]


def test_a_reloaded_chunk_removes_what_it_no_longer_holds(engine: Engine) -> None:
    base = [parsed("agents.yaml", AGENTS), parsed("claims.yaml", CLAIMS)]
    loader.load_datasets(engine, iter([*base, parsed("part-0.yaml", statements(0, 5))]))
    summary = loader.load_datasets(engine, iter([*base, parsed("part-0.yaml", statements(0, 3))]))
    assert summary.counts["statement"] == {"new": 0, "changed": 0, "unchanged": 3, "removed": 2}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM statement")).scalar() == 3


def test_a_dry_run_of_a_stream_writes_nothing(engine: Engine) -> None:
    chunks = [parsed("agents.yaml", AGENTS), parsed("claims.yaml", CLAIMS),
              parsed("part-0.yaml", statements(0, 5))]
    loader.database.ensure_schema(engine)
    before = dump(engine)
    summary = loader.load_datasets(engine, iter(chunks), dry_run=True)
    assert summary.counts["statement"]["new"] == 5
    assert dump(engine) == before


def test_checksums_of_the_earlier_kind_are_compared_the_old_way(engine: Engine) -> None:
    files = [parsed("agents.yaml", AGENTS), parsed("claims.yaml", CLAIMS),
             parsed("part-0.yaml", statements(0, 5))]
    loader.load_datasets(engine, files)
    plan = build_plan(files, Existing())
    with engine.begin() as connection:
        for kind, records in plan.records.items():
            for record in records.values():
                connection.execute(text(f"UPDATE {kind} SET checksum = :c WHERE id = :i"),
                                   {"c": _json_checksum(record.rows), "i": record.id})
    summary = loader.load_datasets(engine, files)
    assert not summary.changed
    assert summary.counts["statement"]["unchanged"] == 5


@pytest.mark.parametrize("name", ["U.S. Army", "Mehdi  Bakhshi-3", "ISIS", "a.b.c d", "", "  ",
                                  "Al-Qaeda (AQ)", "x_y", "Tab\there"])
def test_normalize_fast_path_matches_the_full_one(name: str) -> None:
    import unicodedata

    from anyascii import anyascii

    from provenance.names import _NOT_WORD, _join_initials

    text_ = unicodedata.normalize("NFKC", name)
    text_ = "".join(ch for ch in text_ if unicodedata.category(ch) not in ("Cf", "Mn"))
    full = " ".join(_join_initials(_NOT_WORD.sub(" ", anyascii(text_).lower()).split()))
    assert normalize(name) == full


def test_a_big_load_refreshes_postgresql_statistics(engine, db_url: str, monkeypatch) -> None:
    """After a load of many records PostgreSQL knows the tables' sizes (pg_class.reltuples)."""
    from sqlalchemy import text as sql

    from provenance.datasets import loader as loader_module
    from tests.test_loader import FIXTURES

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite keeps no planner statistics to refresh")
    monkeypatch.setattr(loader_module, "ANALYZE_AFTER_RECORDS", 10)
    loader_module.load(engine, [FIXTURES / "base.yaml"])
    with engine.connect() as connection:
        analyzed = connection.execute(sql(
            "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'agent'"
            " AND schemaname = current_schema() AND last_analyze IS NOT NULL"
        )).scalar()
    assert analyzed == 1
