"""Schema migrations (Alembic): one path for SQLite and PostgreSQL.

``versions/`` holds the revisions, ``env.py`` runs them on the connection that
:mod:`provenance.store.migrate` hands over (no ``alembic.ini`` at run time), ``v1`` freezes the
release-1 schema. :data:`REVISIONS` lists every revision in order, so that opening a database
can tell "older" from "newer" without importing Alembic; a test checks it against the scripts.
See README.md here for how to add a revision.
"""

from __future__ import annotations

from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent

#: Every revision, oldest first; the last one is the head this code expects.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003")
HEAD = REVISIONS[-1]
#: The revision of a database written before migrations (``provenance_meta.schema_version`` "1").
LEGACY = {"1": "0001"}
#: What ``provenance_meta.schema_version`` holds at the head (``models.SCHEMA_VERSION``). Release 1
#: refuses any value but "1"; Alembic's revision says where a database is. Kept here, not in
#: ``models``, so that checking a database on open does not import SQLModel.
SCHEMA_VERSION = "2"
