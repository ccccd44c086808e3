"""CSV: one file per table (``agent.csv``, ``claim.csv``, ... ``verdict.csv``) into a folder, each
with a header row, streamed row by row, for spreadsheets and pandas.

Cells: empty for NULL, ``true`` / ``false`` for flags, ISO dates, numbers as written (``84``
rather than ``84.0``). Rows in primary-key order; files written for every table, even empty.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from provenance.errors import ProvenanceError
from provenance.store.scope import TABLES, Scope


def cell(value: Any) -> str:
    """One CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_tables(connection: Connection, scope: Scope, folder: Path) -> list[str]:
    """Write every table of ``scope`` as ``<table>.csv`` under ``folder`` (created if needed);
    returns ``"agent.csv: 50 rows"`` lines."""
    if folder.exists() and not folder.is_dir():
        raise ProvenanceError(f"{folder}: not a folder (--format csv writes one file per table)")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        columns = [column.name for column in table.columns]
        path = folder / f"{name}.csv"
        count = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in scope.rows(connection, name):
                writer.writerow([cell(row[column]) for column in columns])
                count += 1
        written.append(f"{path.name}: {count} rows")
    return written
