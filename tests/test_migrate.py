"""Schema migrations: a release-1 database upgrades without losing a row, on SQLite and PostgreSQL.

``fixtures/v1/`` was written by release 1 (main at 9b0b5b1, before migrations): the seed
dataset as a SQLite dump, and the PostgreSQL DDL that release's ``ensure_schema`` ran.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text

from provenance.store import database, migrate
from provenance.store.migrations import HEAD, REVISIONS, SCRIPTS, v1
from tests.conftest import SEEDS, _drop_postgres_schema, _new_postgres_schema, invoke

FIXTURES = Path(__file__).parent / "fixtures" / "v1"
#: Where the seeds were when release 1 loaded them for the fixture: release 1 recorded each
#: record's source as the file's absolute path (later releases store it dataset-relative and
#: take an old absolute source that names the same file over on the next load).
FIXTURE_SEEDS = "/work/wt-15/seeds/"
V1 = v1.metadata()


def build_release_1(url: str, *, rows: bool = True) -> None:
    """A database as release 1 wrote it, holding the seed dataset (or only its schema)."""
    # As if release 1 had loaded this checkout's seeds: its absolute sources name them here,
    # wherever the repository is (the fixture was written in another checkout).
    dump = (FIXTURES / "seeds.sqlite.sql").read_text(encoding="utf-8").replace(
        f"'{FIXTURE_SEEDS}", f"'{SEEDS.resolve()}/")
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        connection.executescript(dump)
        if not rows:
            connection.executescript("".join(f"DELETE FROM {t.name};" for t in V1.sorted_tables))
        connection.close()
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        ddl = (FIXTURES / "schema.postgresql.sql").read_text(encoding="utf-8")
        connection.connection.driver_connection.execute(ddl)
        if rows:
            source = sqlite3.connect(":memory:")
            source.executescript(dump)
            reader = create_engine("sqlite://", creator=lambda: source)
            with reader.connect() as old:
                for table in V1.sorted_tables:  # rows in the order release 1 wrote them
                    found = [dict(row._mapping) for row in old.execute(
                        select(table).order_by(text("rowid")))]
                    if found:
                        connection.execute(table.insert(), found)
    engine.dispose()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every row of every release-1 table but ``provenance_meta``, in release 1's columns, sorted."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {
            table.name: sorted(tuple(row) for row in connection.execute(select(table)))
            for table in V1.sorted_tables if table.name != "provenance_meta"
        }
    engine.dispose()
    return found


def reflect(url: str) -> dict[str, object]:
    """The schema as the database describes it: tables, columns, keys, indexes, checks, views."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = inspect(connection)
        schema: dict[str, object] = {"views": sorted(found.get_view_names())}
        for name in sorted(found.get_table_names()):
            schema[name] = {
                "columns": {c["name"]: (str(c["type"]), c["nullable"], str(c.get("default")))
                            for c in found.get_columns(name)},
                "pk": found.get_pk_constraint(name)["constrained_columns"],
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                               tuple(f["referred_columns"]), str(f["options"].get("ondelete")))
                              for f in found.get_foreign_keys(name)),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in found.get_indexes(name)),
                "uniques": sorted((u["name"], tuple(u["column_names"]))
                                  for u in found.get_unique_constraints(name)),
                "checks": sorted((c["name"], " ".join(c["sqltext"].split()))
                                 for c in found.get_check_constraints(name)),
            }
    engine.dispose()
    return schema


@pytest.fixture
def other_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty database of the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    url, schema = _new_postgres_schema()
    yield url
    _drop_postgres_schema(schema)


def _engine(url: str) -> Engine:
    return database.connect(database.Location(url, "test"))


def test_the_revision_list_matches_the_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(SCRIPTS))
    assert [r.revision for r in reversed(list(scripts.walk_revisions()))] == list(REVISIONS)
    assert scripts.get_current_head() == HEAD


def test_revision_0001_is_release_1(db_url: str, other_url: str) -> None:
    build_release_1(db_url, rows=False)
    migrate.upgrade(other_url, target="0001")
    release_1, migrated = reflect(db_url), reflect(other_url)
    del release_1["views"], migrated["views"], migrated["alembic_version"]
    assert migrated == release_1


def test_a_fresh_database_equals_a_migrated_one(db_url: str, other_url: str) -> None:
    """``load`` creates the tables from the models; ``db upgrade`` runs every migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    database.ensure_schema(_engine(db_url))
    before, after = migrate.upgrade(other_url)
    assert (before.state, after.state) == ("empty", "up to date")
    assert reflect(other_url) == reflect(db_url)
    engine = create_engine(other_url)
    with engine.connect() as connection:
        # The claims' full-text index (FTS5 tables on SQLite, an expression index on PostgreSQL)
        # is built by claim_index.create, not from the models, so autogenerate is told to leave
        # it alone (as env.py does); reflect() above still compares it, fresh against migrated.
        context = MigrationContext.configure(connection, opts={"include_name": migrate.in_models})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_release_1_upgrades_without_losing_a_row(db_url: str) -> None:
    build_release_1(db_url)
    before = snapshot(db_url)
    assert sum(map(len, before.values())) > 700
    assert invoke(db_url, "db", "current").stdout.splitlines()[2].split() == ["0001", HEAD, "behind"]

    result = invoke(db_url, "db", "upgrade")
    assert result.exit_code == 0, result.stderr
    assert f"from 0001 to {HEAD}" in result.stderr
    assert snapshot(db_url) == before
    assert invoke(db_url, "db", "current").stdout.splitlines()[2].split() == [HEAD, HEAD, "up", "to", "date"]
    engine = create_engine(db_url)
    with engine.connect() as connection:
        quotes = connection.execute(text("SELECT COUNT(*) FROM statement_quote")).scalar()
        kinds = connection.execute(text("SELECT DISTINCT kind, modality FROM statement")).all()
        meta = connection.execute(text("SELECT value FROM provenance_meta")).scalar()
    engine.dispose()
    assert quotes == sum(1 for row in before["statement"] if row[7] is not None) > 0
    assert kinds == [("claim", "asserted")] and meta == "2"
    stats = invoke(db_url, "stats", "--format", "csv")
    assert stats.exit_code == 0 and "\nstatements,132\nreports,193\n" in stats.stdout
    assert invoke(db_url, "claim", "isis-backed-by-us").exit_code == 0
    assert "already at revision" in invoke(db_url, "db", "upgrade").stderr


def test_an_upgraded_database_loads_like_a_fresh_one(db_url: str, other_url: str) -> None:
    build_release_1(db_url)
    migrate.upgrade(db_url)
    assert invoke(db_url, "load", str(SEEDS)).exit_code == 0
    assert invoke(other_url, "load", str(SEEDS)).exit_code == 0
    assert invoke(db_url, "stats").stdout == invoke(other_url, "stats").stdout


@pytest.mark.parametrize("args", [
    ["stats"], ["speakers"], ["speaker", "bakhshi"], ["claims"], ["claim", "isis-backed-by-us"],
    ["contest", "isis-backed-by-us"], ["outlets"], ["figures"], ["search", "ISIS"], ["audit"],
    ["report", "--all"], ["load", str(SEEDS)],
    ["extract", str(SEEDS / "articles" / "oan-2024-01-04-isis-takes-responsibility.txt")],
    ["ingest", str(SEEDS / "articles" / "oan-2024-01-04-isis-takes-responsibility.txt")],
])
def test_every_command_refuses_an_old_database(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "old.db"
    build_release_1(f"sqlite:///{path}")
    content = path.read_bytes()
    if args[0] == "report":
        args = [*args, "--out", str(tmp_path / "reports")]
    result = invoke(str(path), *args)
    assert result.exit_code == 1
    assert f"has schema revision 0001, older than this provenance's {HEAD}" in result.stderr
    assert result.stderr.rstrip().endswith("provenance db upgrade")
    assert path.read_bytes() == content


def test_a_newer_database_is_refused(db_url: str) -> None:
    database.ensure_schema(_engine(db_url))
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for args in (["stats"], ["load", str(SEEDS)], ["db", "upgrade"]):
        result = invoke(db_url, *args)
        assert result.exit_code == 1
        assert "was written by a newer provenance (schema revision 9999; this one knows up to" in result.stderr
    assert invoke(db_url, "db", "current").stdout.splitlines()[2].split() == ["9999", HEAD, "ahead"]


def test_a_failing_upgrade_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """Every migration runs in one transaction, DDL included, on SQLite too."""
    path = tmp_path / "old.db"
    build_release_1(f"sqlite:///{path}")
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE statement_quote (x)")  # 0002 cannot create its table
    connection.commit()
    connection.close()
    before = path.read_bytes()
    result = invoke(str(path), "db", "upgrade")
    assert result.exit_code == 1 and "statement_quote" in result.stderr
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_db_upgrade_does_not_create_a_missing_file(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "absent.db"), "db", "upgrade")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not (tmp_path / "absent.db").exists()


def test_db_upgrade_of_a_file_that_is_no_database_names_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database, just notes\n" * 100)
    result = invoke(str(path), "db", "upgrade")
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot upgrade the database sqlite:///{path}: file is not a database\n"
    assert path.read_bytes() == b"not a database, just notes\n" * 100


def test_the_migration_scripts_ship_with_the_package() -> None:
    """Every file `db upgrade` needs is a module of a package or declared package data."""
    import tomllib

    declared = tomllib.loads((SCRIPTS.parents[2] / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]
    for path in SCRIPTS.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        package = ".".join(path.parent.relative_to(SCRIPTS.parents[2]).parts)
        shipped = any(path.match(pattern) for pattern in declared.get(package, []))
        assert shipped or (path.suffix == ".py" and (path.parent / "__init__.py").exists()), path
