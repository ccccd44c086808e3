"""Alembic's environment: run the migrations on the connection provenance hands over.

:func:`provenance.store.migrate.upgrade` opens the transaction and puts the connection in
``config.attributes["connection"]``; the whole upgrade is that one transaction.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from provenance.store import models  # noqa: F401 - registers the tables for autogenerate
from provenance.store.migrate import in_models

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run provenance's migrations with `provenance db upgrade`")
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite rebuilds a table to change its constraints
    transactional_ddl=True,
    compare_type=True,
    include_name=in_models,  # the claims' full-text index is built outside the models
)
with context.begin_transaction():
    context.run_migrations()
