"""One command's snapshot of the database: every read inside one read transaction.

A command that reads (``speaker``, ``audit``, ``report --all``, ``stats``...) asks several
queries, often through several ``engine.connect()`` calls in the library. Run separately they
could each see a different state — half before a concurrent load's commit, half after (a report
once showed a false ``circular-citation`` finding that way). :class:`Snapshot` stands in for the
engine and hands out one connection inside one read transaction: SQLite's WAL snapshot (readers
never block the writer, nor it them), PostgreSQL's ``REPEATABLE READ``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError

from provenance.errors import StoreError
from provenance.store.database import Location, connect_existing, is_busy, require_schema


class _SharedConnection:
    """The snapshot's one connection as the code under a command sees it: everything is passed
    through, but closing, committing or rolling back is left to the snapshot itself."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def __enter__(self) -> _SharedConnection:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def close(self) -> None:
        """Left to the snapshot."""

    def commit(self) -> None:
        """Left to the snapshot (a read commits nothing)."""

    def rollback(self) -> None:
        """Left to the snapshot."""


class Snapshot:
    """An engine for one command that reads: every ``connect()`` hands out the same connection,
    inside one read transaction, so the whole command sees the database as it was at its start.

    Library functions take it where they take an :class:`Engine`; :meth:`close` ends the
    transaction. SQLite reads a WAL snapshot (a load committing meanwhile is not seen and not
    blocked); PostgreSQL a ``REPEATABLE READ`` transaction.
    """

    def __init__(self, engine: Engine, location: Location) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.url = engine.url
        options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
        self._connection = engine.connect().execution_options(**options)
        try:
            self._connection.begin()
            require_schema(self._connection, location)  # its first read fixes the snapshot
        except BaseException:
            self.close()
            raise
        self._shared = _SharedConnection(self._connection)

    def connect(self) -> Any:
        """The snapshot's connection (a context manager that leaves it open)."""
        return self._shared

    def begin(self) -> Any:
        """The snapshot's connection, as ``engine.begin()`` would give one."""
        return self._shared

    def dispose(self) -> None:
        """Nothing to dispose before :meth:`close`."""

    def close(self) -> None:
        """End the read transaction and release the connection and the engine."""
        try:
            self._connection.rollback()
            self._connection.close()
        finally:
            self.engine.dispose()


def open_snapshot(location: Location, *, reviewed_only: bool = False) -> Snapshot:
    """A :class:`Snapshot` of an existing provenance database; with ``reviewed_only``, one that
    sees reviewed statements only (see :mod:`provenance.store.review`)."""
    engine = connect_existing(location)
    if reviewed_only:
        from provenance.store.review import reviewed_only as only_reviewed

        only_reviewed(engine)
    try:
        return Snapshot(engine, location)
    except DatabaseError as error:
        engine.dispose()
        if is_busy(error):
            raise StoreError(f"the database {location.shown} is busy: {error.orig}") from None
        raise StoreError(f"cannot open the database {location.shown}: {error.orig}") from None
