"""Where the database lives, opening it, creating its tables, and bulk writes.

The database is a SQLAlchemy URL: ``--db``, else ``PROVENANCE_DB``, else the SQLite file
``provenance.db`` in the current directory. A plain path is taken as a SQLite file.

Concurrency: a write (:func:`writing`) takes the database's write lock before it reads anything
it plans against — SQLite ``BEGIN IMMEDIATE`` on a file in WAL mode, a PostgreSQL advisory lock
— and a second writer waits up to ``PROVENANCE_BUSY_TIMEOUT`` seconds, then is told the database
is busy. A command that reads does so inside one transaction from start to end
(:mod:`provenance.store.snapshot`): it never sees half of a load, and never blocks one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, create_engine, event, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError, SQLAlchemyError

from provenance.errors import StoreError
from provenance.store.ids import IN_CHUNK

DEFAULT_FILE = "provenance.db"
ENV_VAR = "PROVENANCE_DB"
BUSY_ENV_VAR = "PROVENANCE_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a writer waits for another to finish


@dataclass(frozen=True)
class Location:
    """Where the database is, and why (``--db``, the environment, or the default)."""

    url: str
    origin: str

    @property
    def shown(self) -> str:
        """The URL with any password hidden."""
        return make_url(self.url).render_as_string(hide_password=True)


def resolve(db: str | None = None, environ: Mapping[str, str] | None = None) -> Location:
    """Pick the database: the ``db`` argument, then ``PROVENANCE_DB``, then the default file."""
    environ = os.environ if environ is None else environ
    if db:
        return Location(to_url(db), "--db")
    if environ.get(ENV_VAR):
        return Location(to_url(environ[ENV_VAR]), ENV_VAR)
    return Location(to_url(DEFAULT_FILE), "default")


def to_url(value: str) -> str:
    """A SQLAlchemy URL from a URL or a file path; plain PostgreSQL URLs use psycopg 3."""
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def busy_timeout() -> float:
    """Seconds to wait for another writer: ``PROVENANCE_BUSY_TIMEOUT``, else 30."""
    try:
        return max(0.0, float(os.environ.get(BUSY_ENV_VAR) or DEFAULT_BUSY_TIMEOUT))
    except ValueError:
        raise StoreError(f"{BUSY_ENV_VAR} must be a number of seconds") from None


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on, the busy timeout, and transactions begun by us (see :func:`_on_sqlite_begin`):
    pysqlite would otherwise begin none before a SELECT, so a read would see no snapshot."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """``BEGIN IMMEDIATE`` (the write lock at once) for a write, a deferred ``BEGIN`` otherwise."""
    immediate = connection.get_execution_options().get("provenance_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def connect(location: Location) -> Engine:
    """An engine for the database; SQLite gets foreign keys enforced on every connection."""
    try:
        engine = create_engine(location.url)
    except (ArgumentError, ImportError, SQLAlchemyError) as error:
        raise StoreError(f"cannot use database {location.url!r}: {error}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def is_busy(error: DatabaseError) -> bool:
    """Whether the database refused because another transaction holds the lock."""
    if getattr(error.orig, "sqlstate", None) == "55P03":  # PostgreSQL: lock_not_available
        return True
    return any(words in str(error.orig) for words in ("database is locked", "database is busy"))


def busy_error(engine: Engine) -> StoreError:
    """The message for a writer that waited for another one in vain."""
    return StoreError(
        f"the database {_shown(engine)} is busy: another load is writing to it (waited"
        f" {busy_timeout():g} s, see {BUSY_ENV_VAR}); try again when it has finished"
    )


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A connection inside a write transaction that holds the write lock before it reads.

    SQLite: the file is put in WAL mode (readers never block the writer, nor it them), then
    ``BEGIN IMMEDIATE``. PostgreSQL: a transaction-scoped advisory lock per schema, so that two
    loads never plan against the same state. Either way a second writer waits for the busy
    timeout, then gets :class:`StoreError` saying the database is busy. Commits at the end
    unless the caller rolled back; rolls back on an exception.
    """
    with engine.connect() as connection, _locked(connection) as transaction, transaction:
        yield connection


@contextmanager
def _locked(connection: Connection) -> Iterator[Any]:
    """The write transaction begun and its lock taken (failures to do so told in plain words)."""
    engine = connection.engine
    dbapi = engine.dialect.dbapi
    try:
        if connection.dialect.name == "sqlite":
            if engine.url.database not in (None, "", ":memory:"):
                _refuse_other_revision(connection)
                connection.connection.driver_connection.execute("PRAGMA journal_mode = WAL")
            connection.execution_options(provenance_write=True)
        transaction = connection.begin()
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL lock_timeout = {int(busy_timeout() * 1000)}"))
            connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('provenance:' || current_schema()))"))
    except (DatabaseError, getattr(dbapi, "DatabaseError", DatabaseError)) as error:
        detail = getattr(error, "orig", None) or error
        if isinstance(error, OperationalError) and is_busy(error) or "database is locked" in str(detail):
            raise busy_error(engine) from None
        raise StoreError(f"cannot open the database {_shown(engine)}: {detail}") from None
    try:
        yield transaction
    except OperationalError as error:
        if is_busy(error):
            raise busy_error(engine) from None
        raise


def _refuse_other_revision(connection: Connection) -> None:
    """Refuse a database at another schema revision before WAL mode is turned on: switching a
    file to WAL rewrites its header, and a refused database must stay byte for byte as it was
    (:func:`ensure_schema` checks again, under the lock, for PostgreSQL and a racing writer)."""
    from provenance.store import migrate

    try:
        status = migrate.Status(migrate.revision_of(connection))
        if status.state in ("behind", "ahead"):
            migrate.check(connection)
    finally:
        connection.rollback()


def ensure_schema(bind: Engine | Connection) -> None:
    """Create the tables and views of an empty database, at the head revision (stamped);
    refuse a database at another revision (older: ``provenance db upgrade``; newer: a newer
    provenance).

    Given a connection, inside its (write) transaction, under the write lock: a load that fails
    takes its schema work (tables, stamp, views, claim index) back too. Given an engine, in a
    write transaction of its own.
    """
    if isinstance(bind, Engine):
        with writing(bind) as connection:
            ensure_schema(connection)
        return
    from provenance.store import migrate
    from provenance.store.claim_index import create as create_claim_index
    from provenance.store.views import create_views

    connection = bind
    try:
        if migrate.revision_of(connection) is None:
            migrate.create_at_head(connection)
        else:
            migrate.check(connection)
        create_views(connection)
        create_claim_index(connection)  # the full-text index over claims (issue 11)
    except DatabaseError as error:
        if is_busy(error):
            raise busy_error(connection.engine) from None
        raise StoreError(f"cannot open the database {_shown(connection.engine)}: {error.orig}") from None


def require_schema(bind: Engine | Connection, location: Location) -> None:
    """Refuse to read a database that provenance has not created (rather than create one), or
    one at another schema revision than this code's."""
    from provenance.store import migrate

    try:
        if isinstance(bind, Engine):
            with bind.connect() as connection:
                present = inspect(connection).has_table("provenance_meta")
                if present:
                    migrate.check(connection, location.shown)
        else:
            present = inspect(bind).has_table("provenance_meta")
            if present:
                migrate.check(bind, location.shown)
    except DatabaseError as error:
        raise StoreError(f"cannot open the database {location.shown}: {error.orig}") from None
    if not present:
        raise StoreError(
            f"{location.shown} is not a provenance database yet; load a dataset first:"
            " provenance load seeds/"
        )


def connect_existing(location: Location) -> Engine:
    """:func:`connect`, refusing a SQLite file that does not exist (rather than create it); any
    URL for a server."""
    if location.url.startswith("sqlite:///") and location.url != "sqlite:///:memory:":
        path = Path(location.url.removeprefix("sqlite:///"))
        if not path.exists():
            raise StoreError(
                f"no database at {path}; load a dataset first (provenance load seeds/)"
                " or point --db / PROVENANCE_DB at one"
            )
    return connect(location)


def open_existing(location: Location) -> Engine:
    """Connect to a database that must already hold provenance tables at this code's revision."""
    engine = connect_existing(location)
    require_schema(engine, location)
    return engine


def open_if_exists(location: Location) -> Engine | None:
    """:func:`open_existing`, or None when there is no provenance database there yet; a
    database at another schema revision is still refused (it exists, but cannot be read)."""
    from provenance.store.migrate import RevisionError

    try:
        return open_existing(location)
    except RevisionError:
        raise
    except StoreError:
        return None


LOAD_CACHE_KIB = 256 * 1024


@contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Settings for one big write on ``connection``, restored afterwards.

    SQLite gets a page cache of 256 MiB instead of its 2 MiB default, so that the indexes being
    filled stay in memory. Durability is untouched: the rollback journal and ``synchronous``
    stay as they are, so a load killed half-way still leaves the database as it was.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    before = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(before)}")


def upsert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, replacing existing rows with the same primary key, in one executemany."""
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise StoreError(f"unsupported database: {dialect}")
    statement = insert(table)
    keys = [column.name for column in table.primary_key.columns]
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    _executemany(connection, table, statement.on_conflict_do_update(index_elements=keys, set_=updates),
                 rows)


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Plain bulk insert (one executemany)."""
    if rows:
        _executemany(connection, table, table.insert(), rows)


def _executemany(connection: Connection, table: Table, statement: Any,
                 rows: Sequence[dict[str, Any]]) -> None:
    """One driver ``executemany`` of a Core insert over every column of ``table``.

    The statement is compiled once for the connection's dialect; each row then goes to the
    driver as it would through ``connection.execute(statement, rows)`` — the columns' bind
    processors applied (dates and booleans on SQLite), missing keys given the column default —
    without SQLAlchemy's per-row parameter bookkeeping, which costs more than SQLite's insert.
    """
    dialect = connection.dialect
    names = [column.name for column in table.columns]
    compiled = statement.compile(dialect=dialect, column_keys=names)
    columns = {column.name: column for column in table.columns}
    order = list(compiled.positiontup) if compiled.positional else names
    defaults = [
        columns[name].default.arg
        if columns[name].default is not None and columns[name].default.is_scalar else None
        for name in order
    ]
    processors = [columns[name].type.bind_processor(dialect) for name in order]
    converters = [(i, p) for i, p in enumerate(processors) if p is not None]
    pick = itemgetter(*order)
    width = len(order)

    def values(row: dict[str, Any]) -> Sequence[Any]:
        if len(row) == width:
            try:
                return pick(row)  # the usual case: every column given
            except KeyError:
                pass
        return tuple(row.get(name, default) for name, default in zip(order, defaults, strict=True))

    try:
        filled: list[Any] = list(map(pick, rows)) if width > 1 else [(pick(row),) for row in rows]
    except KeyError:  # some rows leave columns to their defaults
        filled = [values(row) for row in rows]
    if converters and filled:
        by_column = list(zip(*filled, strict=True))  # converted column by column, in C loops
        for i, process in converters:
            by_column[i] = tuple(map(process, by_column[i]))
        filled = list(zip(*by_column, strict=True))
    if compiled.positional:
        parameters: list[Any] = filled
    else:
        parameters = [dict(zip(order, found, strict=True)) for found in filled]
    connection.exec_driver_sql(str(compiled), parameters)


def delete_where_in(
    connection: Connection, table: Table, column: str, values: Iterable[Any]
) -> None:
    """Delete the rows whose ``column`` is one of ``values`` (in chunks, one statement each)."""
    values = list(values)
    for chunk_start in range(0, len(values), IN_CHUNK):
        chunk = values[chunk_start : chunk_start + IN_CHUNK]
        connection.execute(table.delete().where(table.c[column].in_(chunk)))


def fetch_pairs(connection: Connection, table: Table, key: str, value: str) -> dict[Any, Any]:
    """``{key: value}`` for every row of a table."""
    return dict(connection.execute(select(table.c[key], table.c[value])).all())
