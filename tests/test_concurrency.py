"""Concurrent use of one database: writers take turns (a second one waits, then is told the
database is busy), readers read one snapshot and never block a writer nor see half a load."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from provenance.datasets import loader
from provenance.errors import StoreError
from provenance.store import database
from provenance.store.snapshot import Snapshot, open_snapshot
from provenance.store.stats import counts
from tests.conftest import invoke
from tests.test_loader import FIXTURES, dump
from tests.test_loader_kill import write_variant


def _count(snapshot: Snapshot) -> dict[str, object]:
    return {row["records"]: row["count"] for row in counts(snapshot)}


def test_a_second_writer_waits_then_is_told_the_database_is_busy(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    before = dump(engine)
    monkeypatch.setenv(database.BUSY_ENV_VAR, "0.3")
    other = database.connect(database.Location(db_url, "test"))
    try:
        with database.writing(engine):  # another load holds the lock
            with pytest.raises(StoreError, match=r"is busy: another load is writing to it \(waited 0.3 s"):
                loader.load(other, [FIXTURES / "base.yaml"])
            result = invoke(db_url, "load", str(FIXTURES / "base.yaml"))
            assert result.exit_code == 1
            assert result.stderr.startswith("Error: the database ")
            assert result.stderr.endswith(
                " is busy: another load is writing to it (waited 0.3 s, see PROVENANCE_BUSY_TIMEOUT);"
                " try again when it has finished\n"
            )
    finally:
        other.dispose()
    engine.dispose()
    assert dump(engine) == before


def test_two_writers_at_once_lose_nothing(engine: Engine, db_url: str, tmp_path: Path) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    first, second = tmp_path / "first", tmp_path / "second"
    write_variant(first, 1)
    second.mkdir()
    (second / "more.yaml").write_text(
        "agents:\n" + "".join(f"  - {{id: agent-{i}, name: Agent {i}, kind: person}}\n" for i in range(300)),
        encoding="utf-8",
    )
    processes = [  # both plan to add first's records: the one that waits must see them added
        subprocess.Popen([sys.executable, "-m", "provenance", "--db", db_url, "load", *map(str, paths)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for paths in ((first, second), (first,))
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0, 0], errors
    engine.dispose()
    with engine.connect() as connection:
        sources = connection.execute(text("SELECT source, COUNT(*) FROM agent GROUP BY source ORDER BY source")).all()
    assert [tuple(row) for row in sources] == [("first/small.yaml", 2), ("load/base.yaml", 7), ("second/more.yaml", 300)]
    assert not loader.load(engine, [first]).changed and not loader.load(engine, [second]).changed


def test_a_reader_sees_one_snapshot_and_does_not_block_a_writer(engine: Engine, db_url: str,
                                                                 tmp_path: Path) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    location = database.Location(db_url, "test")
    snapshot = open_snapshot(location)
    try:
        seen = _count(snapshot)
        data = tmp_path / "data"
        write_variant(data, 1)
        loader.load(engine, [data])  # commits while the reader's transaction is open
        assert _count(snapshot) == seen  # the reader still sees the database as it began
    finally:
        snapshot.close()
    fresh = open_snapshot(location)
    try:
        assert _count(fresh)["statements"] == seen["statements"] + 190
    finally:
        fresh.close()


def test_readers_never_see_half_a_load(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """Several readers count while a writer alternates between two datasets: every count is one
    of the two complete states."""
    data = tmp_path / "data"
    location = database.Location(db_url, "test")
    states = []
    for round_ in (1, 2):
        write_variant(data, round_)
        loader.load(engine, [data])
        snapshot = open_snapshot(location)
        states.append(_count(snapshot))
        snapshot.close()
    assert states[0] != states[1]
    stop = threading.Event()
    seen: list[dict[str, object]] = []
    failures: list[BaseException] = []

    def read() -> None:
        while not stop.is_set():
            try:
                snapshot = open_snapshot(location)
                try:
                    first = _count(snapshot)
                    second = _count(snapshot)  # the same transaction, the same answer
                finally:
                    snapshot.close()
                seen.append(first)
                assert first == second
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                failures.append(error)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for round_ in (1, 2) * 3:
            write_variant(data, round_)
            loader.load(engine, [data])
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert failures == []
    assert seen and all(state in states for state in seen)


def test_a_report_reads_one_snapshot_while_a_load_commits(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``report --all`` audits, then reads the catalog: a load committing between the two is
    seen by neither (before, the pages listed a claim the audit had never seen)."""
    from provenance.reports import gather

    loader.load(engine, [FIXTURES / "base.yaml"])
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "late.yaml").write_text("claims: [{id: late-claim, text: A claim loaded meanwhile}]\n",
                                     encoding="utf-8")
    original = gather.catalog

    def catalog_after_a_load(connection, **scope):  # type: ignore[no-untyped-def]
        other = database.connect(database.Location(db_url, "test"))
        try:
            loader.load(other, [extra])  # commits while the report is being built
        finally:
            other.dispose()
        return original(connection, **scope)

    monkeypatch.setattr(gather, "catalog", catalog_after_a_load)
    out = tmp_path / "reports"
    result = invoke(db_url, "report", "--all", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert not (out / "claims" / "late-claim.md").exists()
    monkeypatch.setattr(gather, "catalog", original)
    assert invoke(db_url, "report", "--all", "--out", str(out)).exit_code == 0
    assert (out / "claims" / "late-claim.md").exists()


def test_a_read_command_ends_its_transaction(engine: Engine, db_url: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    loader.load(engine, [FIXTURES / "base.yaml"])
    monkeypatch.setenv(database.BUSY_ENV_VAR, "0")
    for command in (("stats",), ("speakers",), ("audit",), ("search", "Kerman")):
        assert invoke(db_url, *command).exit_code == 0
        with database.writing(engine):  # nothing left holding the database
            pass
