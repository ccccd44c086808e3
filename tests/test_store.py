"""Where the database lives and how it is opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from provenance.errors import StoreError
from provenance.store import database


def test_db_option_wins_over_environment(tmp_path: Path) -> None:
    location = database.resolve("mine.db", {"PROVENANCE_DB": "env.db"})
    assert location.origin == "--db"
    assert location.url == "sqlite:///" + str(Path("mine.db").resolve())


def test_environment_then_default() -> None:
    assert database.resolve(None, {"PROVENANCE_DB": "postgresql://u@h/d"}) == database.Location(
        "postgresql+psycopg://u@h/d", "PROVENANCE_DB"
    )
    default = database.resolve(None, {})
    assert default.origin == "default"
    assert default.url.endswith("/provenance.db")


def test_password_is_hidden() -> None:
    assert (
        database.Location("postgresql+psycopg://u:secret@h/d", "--db").shown == "postgresql+psycopg://u:***@h/d"
    )


def test_reading_a_missing_file_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="no database at .*absent.db; load a dataset first"):
        database.open_existing(database.resolve(str(path)))
    assert not path.exists()


def test_reading_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StoreError, match="is not a provenance database yet"):
        database.open_existing(database.resolve(str(path)))


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not SQLite " * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        database.open_existing(database.resolve(str(path)))


def test_constraints_hold_for_direct_writes(engine) -> None:
    database.ensure_schema(engine)
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO agent (id, name, kind, state_media, source, checksum)"
                " VALUES ('x', 'X', 'wizard', false, 's', 'c')"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO affiliation (agent_id, parent_id, relation) VALUES ('nobody', 'none', 'part_of')"
            )
        )


def test_schema_version_mismatch_is_refused(engine) -> None:
    database.ensure_schema(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE provenance_meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError, match="schema version 99"):
        database.ensure_schema(engine)
