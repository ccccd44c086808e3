"""Where a database's schema stands, and bringing it to the head revision (Alembic).

Every database provenance writes records its revision in Alembic's ``alembic_version`` table;
one written before migrations existed (release 1) is recognised by
``provenance_meta.schema_version`` alone. Opening a database checks its revision against
:data:`~provenance.store.migrations.HEAD` with one query and without importing Alembic;
:func:`upgrade` runs the migrations, all of them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError

from provenance.errors import StoreError
from provenance.store.migrations import HEAD, LEGACY, REVISIONS, SCHEMA_VERSION, SCRIPTS

UPGRADE_HINT = "provenance db upgrade"


class RevisionError(StoreError):
    """The database is at another schema revision than this code's (older or newer)."""


@dataclass(frozen=True)
class Status:
    """A database's revision (None: no provenance tables yet) against the code's head."""

    revision: str | None
    head: str = HEAD

    @property
    def state(self) -> str:
        """``empty``, ``up to date``, ``behind`` (upgrade it) or ``ahead`` (a newer provenance)."""
        if self.revision is None:
            return "empty"
        if self.revision == self.head:
            return "up to date"
        return "behind" if self.revision in REVISIONS else "ahead"

    def row(self) -> dict[str, Any]:
        """What ``provenance db current`` prints."""
        return {"revision": self.revision, "head": self.head, "state": self.state}


def revision_of(connection: Connection) -> str | None:
    """The database's revision; None when it holds no provenance tables."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "provenance_meta" not in tables:
        return None
    version = _schema_version(connection)
    return LEGACY.get(version or "", f"schema version {version}")


def _schema_version(connection: Connection) -> str | None:
    return connection.execute(
        text("SELECT value FROM provenance_meta WHERE key = 'schema_version'")
    ).scalar()


def check(connection: Connection, where: str = "the database") -> Status:
    """Refuse a database that is not at the head revision, naming what to do about it."""
    status = Status(revision_of(connection))
    if status.state == "behind":
        raise RevisionError(
            f"{where} has schema revision {status.revision}, older than this provenance's"
            f" {HEAD}; upgrade it first (a backup does no harm): {UPGRADE_HINT}"
        )
    if status.state == "ahead":
        raise RevisionError(
            f"{where} was written by a newer provenance (schema revision {status.revision};"
            f" this one knows up to {HEAD}); upgrade provenance to use it"
        )
    if status.state == "up to date" and (found := _schema_version(connection)) != SCHEMA_VERSION:
        raise RevisionError(
            f"{where} has schema version {found}; this provenance expects {SCHEMA_VERSION}"
        )
    return status


def stamp_head(connection: Connection) -> None:
    """Record that a database just created from the models is at the head revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    MigrationContext.configure(connection).stamp(ScriptDirectory(str(SCRIPTS)), HEAD)


def create_at_head(connection: Connection) -> None:
    """Create every table of an empty database from the models, and stamp it at the head.

    Running every migration gives the same schema (a test compares them); this is quicker.
    """
    from sqlmodel import SQLModel

    from provenance.store import models

    SQLModel.metadata.create_all(connection)
    connection.execute(
        text("INSERT INTO provenance_meta (key, value) VALUES ('schema_version', :v)"),
        {"v": models.SCHEMA_VERSION},
    )
    stamp_head(connection)


#: What the models do not describe, on purpose: the claims' full-text index (issue 11), built by
#: :func:`provenance.store.claim_index.create` (revision 0003 and a new database alike). On
#: SQLite it is an FTS5 virtual table, its fts5vocab table and the shadow tables FTS5 keeps
#: (``claim_fts_data``, ``_idx``, ``_content``, ``_docsize``, ``_config``): SQLAlchemy cannot
#: describe a virtual table, so the models leave it out. On PostgreSQL it is an expression index,
#: which the models leave out likewise.
FULL_TEXT_PREFIX = "claim_fts"
FULL_TEXT_INDEX = "ix_claim_text_fts"


def in_models(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: False for the full-text index, which autogenerate must
    neither drop nor compare (see :data:`FULL_TEXT_PREFIX`); True for everything else."""
    if type_ == "table" and name is not None and name.startswith(FULL_TEXT_PREFIX):
        return False
    return not (type_ == "index" and name == FULL_TEXT_INDEX)


def current(engine: Engine) -> Status:
    """Where the database stands."""
    with engine.connect() as connection:
        return Status(revision_of(connection))


def migration_engine(url: str) -> Engine:
    """An engine for running migrations.

    On SQLite, DDL joins the transaction (pysqlite would commit around it otherwise), the
    transaction takes the write lock at once, and foreign keys are off: rebuilding a table to
    change its constraints drops the old one. :func:`upgrade` checks them afterwards.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys = OFF")
            dbapi_connection.execute("PRAGMA busy_timeout = 5000")

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


def upgrade(url: str, target: str = HEAD) -> tuple[Status, Status]:
    """Run the migrations that bring the database at ``url`` to ``target`` (the head), in one
    transaction: it ends upgraded, or as it was. Returns its status (before, after).

    An empty database gets every migration from the first; one from a newer provenance is
    refused. The views are dropped before and rebuilt after: they follow the code.
    """
    from provenance.store.views import VIEWS, create_views

    engine = migration_engine(url)
    try:
        with engine.begin() as connection:
            before = Status(revision_of(connection))
            if before.state == "ahead":
                check(connection)
            if before.revision != target:
                for name in VIEWS:
                    connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
                _run(connection, before.revision, target)
                _check_foreign_keys(connection)
                if target == HEAD:
                    create_views(connection)
            return before, Status(revision_of(connection))
    except DatabaseError as error:  # not a database, locked, unreadable: say which one
        shown = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"cannot upgrade the database {shown}: {error.orig}") from None
    finally:
        engine.dispose()


def _run(connection: Connection, revision: str | None, target: str) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    if revision is not None and not inspect(connection).has_table("alembic_version"):
        # Written before migrations: record the revision its schema_version stands for.
        MigrationContext.configure(connection).stamp(ScriptDirectory(str(SCRIPTS)), revision)
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise StoreError(f"the upgrade would break {len(broken)} references, e.g. {tuple(broken[0])}")
