"""The store: where provenance keeps its records.

``models`` (the tables), ``database`` (finding, opening and writing to a SQLite file or a
PostgreSQL database, and the write lock), ``snapshot`` (one read transaction for a whole
command), ``views`` (the convenience views for sqlite3 and Datasette users),
``vocabulary`` (the closed lists of values) and ``stats`` (record counts). Modules here may
import ``provenance.errors`` and ``provenance.names`` only, never the packages above them.
"""
