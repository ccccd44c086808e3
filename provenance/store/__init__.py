"""The store: where provenance keeps its records.

``models`` (the tables), ``database`` (finding, opening and writing to a SQLite file or a
PostgreSQL database, and the write lock), ``snapshot`` (one read transaction for a whole
command), ``migrate`` (a database's schema revision, checked on every open, and upgrading it)
with ``migrations/`` (the Alembic revisions), ``chains`` (the one cycle-safe walk of citation
chains and affiliations, for the queries, the audit and the views), ``views`` (the convenience
views for sqlite3 and Datasette users), ``vocabulary`` (the closed lists of values), ``scope``
(one claim, speaker or document, or everything, and the rows it needs) and ``stats`` (record
counts). Modules here may
import ``provenance.errors`` and ``provenance.names`` only, never the packages above them.
"""
