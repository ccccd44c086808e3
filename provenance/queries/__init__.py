"""Asking the database: who said what, who passed it on, through which chain, against whom.

One module per question (:mod:`.agents`, :mod:`.claims`, :mod:`.contest`, :mod:`.outlets`,
:mod:`.figures`, :mod:`.search`), all built on the recursive SQL of :mod:`.chains`. Each
function takes a SQLAlchemy ``Connection`` and returns an :class:`Answer`: flat rows with a fixed,
documented column set (what the shared output layer prints), plus a few notes for people (a
summary line; the CLI writes them to stderr). Every answer is one SQL statement; rows are read
as tuples and zipped with the column names, never built as ORM objects. :mod:`.resolve` turns the
names people type into agents, claims and quantities. Modules here may import ``provenance.store``
and the top-level shared modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection


@dataclass
class Answer:
    """Rows (mappings with exactly ``columns`` as keys) and notes about them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    subject: str | None = None


def fetch(
    connection: Connection, sql: str, columns: Sequence[str], params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run one statement; each row as a dict of ``columns`` (in the SELECT's order).

    Dates come back as ISO strings on both backends (SQLite stores them so; PostgreSQL's are
    converted), so an answer is the same value whichever database gave it.
    """
    result = connection.execute(text(sql), dict(params or {}))
    if connection.dialect.name == "sqlite":
        return [dict(zip(columns, row, strict=True)) for row in result]
    return [
        dict(zip(columns, (v.isoformat() if isinstance(v, dt.date) else v for v in row), strict=True))
        for row in result
    ]


#: How a draft statement (``review_status: draft``) is marked in answers: ``<id> (draft)``.
DRAFT_MARK = " (draft)"


def mark_drafts(connection: Connection, rows: list[dict[str, Any]], column: str = "statement") -> None:
    """Mark the statements still in draft among ``rows`` (their ``column`` becomes
    ``<id> (draft)``), so that tables, JSON and reports never pass a draft off as reviewed.
    Looked up by primary key, for the ids the rows hold only."""
    ids = sorted({row[column] for row in rows if row.get(column)})
    drafts: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(f":s{i}" for i in range(len(chunk)))
        drafts.update(value for (value,) in connection.execute(
            text(f"SELECT id FROM statement WHERE review_status = 'draft' AND id IN ({marks})"),
            {f"s{i}": value for i, value in enumerate(chunk)}))
    if drafts:
        for row in rows:
            if row.get(column) in drafts:
                row[column] += DRAFT_MARK


FIGURE_WORDS = {
    "exact": "", "about": "about ", "at_least": "at least ", "more_than": "more than ",
    "nearly": "nearly ", "at_most": "at most ", "less_than": "less than ",
}


def figure(value: float | None, qualifier: str | None) -> str | None:
    """A figure as people write it: ``"at least 84"``, ``"nearly 100"``, ``"73"``."""
    if value is None:
        return None
    number = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return FIGURE_WORDS.get(qualifier or "exact", f"{qualifier} ") + number


def count(number: int, noun: str) -> str:
    """``"1 cluster"``, ``"2 clusters"``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


__all__ = ["DRAFT_MARK", "Answer", "count", "fetch", "figure", "mark_drafts"]
