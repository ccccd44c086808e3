"""Asking the database: who said what, who passed it on, through which chain, against whom.

One module per question (:mod:`.agents`, :mod:`.claims`, :mod:`.contest`, :mod:`.outlets`,
:mod:`.figures`, :mod:`.search`), all built on the chain and affiliation walks of
:mod:`provenance.store.chains`. Each function takes a SQLAlchemy ``Connection`` and returns an
:class:`Answer`: flat rows with a fixed, documented column set (what the shared output layer
prints), plus a few notes for people (a summary line; the CLI writes them to stderr). Every answer
is one SQL statement; rows are read as tuples and zipped with the column names, never built as ORM
objects. :mod:`.resolve` turns the names people type into agents, claims and quantities. Modules
here may import ``provenance.store`` and the top-level shared modules.
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


__all__ = ["Answer", "count", "fetch", "figure"]
