"""Shared fixtures: real databases (SQLite files always; PostgreSQL when configured) and a CLI runner.

PostgreSQL tests run when ``PROVENANCE_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it, e.g.
``postgresql://postgres@127.0.0.1:5432/test``). Each test gets its own schema, dropped
afterwards. When the variable is set and the server cannot be reached the tests fail, never skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text

from provenance.cli import cli
from provenance.store import database

POSTGRES_ENV = "PROVENANCE_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])


def _postgres_base() -> str:
    return database.to_url(os.environ[POSTGRES_ENV])


def _new_postgres_schema() -> tuple[str, str]:
    """Create a fresh schema; returns (url whose search_path is that schema, schema name)."""
    schema = "t_" + uuid.uuid4().hex[:16]
    base = _postgres_base()
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # the server must be there when the variable says so
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL cannot be reached: {error}")
    finally:
        admin.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote('-csearch_path=' + schema)}", schema


def _drop_postgres_schema(schema: str) -> None:
    admin = create_engine(_postgres_base())
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each backend, private to the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, schema = _new_postgres_schema()
    yield url
    _drop_postgres_schema(schema)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on :func:`db_url`."""
    engine = database.connect(database.Location(db_url, "test"))
    yield engine
    engine.dispose()


def invoke(db: str, *args: str, input: str | None = None, columns: int | None = None) -> Result:
    """Run the CLI against database ``db``; stdout and stderr are kept apart. Tables fit
    ``columns`` characters when given, else none ($COLUMNS unset, as pytest-xdist sets it)."""
    runner = CliRunner(env={"COLUMNS": None if columns is None else str(columns)})
    return runner.invoke(cli, ["--db", db, *args], input=input, catch_exceptions=False)


@contextmanager
def loaded_database(backend: str, directory: Path, paths: list[Path]) -> Iterator[str]:
    """A database of ``backend`` holding the datasets at ``paths``; PostgreSQL's schema is dropped after."""
    from provenance.datasets import loader
    if backend == "sqlite":
        url, schema = f"sqlite:///{directory / 'loaded.db'}", None
    else:
        url, schema = _new_postgres_schema()
    engine = database.connect(database.Location(url, "test"))
    loader.load(engine, paths)
    engine.dispose()
    try:
        yield url
    finally:
        if schema:
            _drop_postgres_schema(schema)


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database holding the seed dataset, shared by the session: read it, never write to it."""
    with loaded_database(request.param, tmp_path_factory.mktemp("seeded"), [SEEDS]) as url:
        yield url


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A SQLite file holding the seed dataset, to copy for tests that write."""
    directory = tmp_path_factory.mktemp("seeded-sqlite")
    with loaded_database("sqlite", directory, [SEEDS]):
        yield directory / "loaded.db"


@pytest.fixture
def seeded_copy(seeded_sqlite: Path, tmp_path: Path) -> str:
    """A private, writable copy of the seeded database (SQLite: a file copy is cheap)."""
    target = tmp_path / "seeds-copy.db"
    shutil.copy(seeded_sqlite, target)
    return f"sqlite:///{target}"
