"""Asking the database: who said what, who passed it on, through which chain, against whom.

One module per question (:mod:`.agents`, :mod:`.claims`, :mod:`.contest`, :mod:`.outlets`,
:mod:`.figures`, :mod:`.search`), all built on the chain and affiliation walks of
:mod:`provenance.store.chains`. Each function takes a SQLAlchemy ``Connection`` and returns an
:class:`Answer`: flat rows with a fixed, documented column set (what the shared output layer
prints), plus a few notes for people (a summary line; the CLI writes them to stderr). Every answer
is one SQL statement; rows are read as tuples and zipped with the column names, never built as ORM
objects, and stream from the cursor to the output (:func:`stream`): the notes are tallied as the
rows pass. :mod:`.resolve` turns the names people type into agents, claims and quantities. Modules
here may import ``provenance.store`` and the top-level shared modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from provenance.store.ids import id_batches


class Answer:
    """Rows (mappings with exactly ``columns`` as keys) and notes about them.

    ``rows`` is a list, or a one-shot iterator that reads them from the database cursor as they
    are consumed. Iterating the answer (``for row in answer``) streams them without keeping them
    (what the CLI does, so that no command holds its whole answer); reading :attr:`rows` keeps
    them, as a list. ``notes`` are sentences about the rows (a summary line), or a function
    giving them once the rows have been read: a streaming query tallies what its notes need as
    the rows pass. Read the rows while the connection is open.

    ``count`` (a function giving how many rows the whole answer holds, cheaply) lets a reader
    stop early: :meth:`rest` then says how many rows it did not read, and the notes no longer
    need every row read (the query's notes function counts what it did not see).
    """

    def __init__(
        self,
        columns: Sequence[str],
        rows: Iterable[dict[str, Any]],
        notes: list[str] | Callable[[], list[str]] | None = None,
        subject: str | None = None,
        count: Callable[[], int] | None = None,
    ) -> None:
        self.columns = list(columns)
        self.subject = subject
        self._source = rows
        self._rows: list[dict[str, Any]] | None = rows if isinstance(rows, list) else None
        self._notes = notes if notes is not None else []
        self._read = self._rows is not None
        self._started = False
        self._count = count
        self._yielded = 0
        self.rest: Callable[[], int] | None = self._rest if count is not None else None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._rows is not None:
            yield from self._rows
            return
        if self._started:
            raise RuntimeError("this answer's rows were streamed once already; read .rows to keep them")
        self._started = True
        for row in self._source:
            self._yielded += 1
            yield row
        self._read = True

    def _rest(self) -> int:
        """How many rows the iteration has not given yet (the answer's ``count`` says the whole)."""
        assert self._count is not None
        return max(self._count() - self._yielded, 0)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every row, as a list (read from the cursor now if they were not yet)."""
        if self._rows is None:
            self._rows = list(self)
        return self._rows

    @property
    def notes(self) -> list[str]:
        """The notes; they need every row, so the rows are read (and kept) if they were not yet."""
        if not self._read and not (self._started and self._count is not None):
            self.rows  # noqa: B018  (reading the rows completes the tallies the notes come from)
        return self._notes() if callable(self._notes) else self._notes


#: Rows read from the cursor at a time when an answer streams.
STREAM_ROWS = 1000


def _dicts(connection: Connection, rows: Iterable[Any], columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    if connection.dialect.name == "sqlite":
        for row in rows:
            yield dict(zip(columns, row, strict=True))
        return
    for row in rows:
        yield dict(zip(columns, (v.isoformat() if isinstance(v, dt.date) else v for v in row), strict=True))


def fetch(
    connection: Connection, sql: str, columns: Sequence[str], params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run one statement; each row as a dict of ``columns`` (in the SELECT's order).

    Dates come back as ISO strings on both backends (SQLite stores them so; PostgreSQL's are
    converted), so an answer is the same value whichever database gave it.
    """
    return list(_dicts(connection, connection.execute(text(sql), dict(params or {})), columns))


def stream(
    connection: Connection, sql: str, columns: Sequence[str], params: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """Run one statement now, and give its rows as :func:`fetch` does but one at a time, read
    from the cursor :data:`STREAM_ROWS` at a time (a server-side cursor on PostgreSQL)."""
    statement = text(sql).execution_options(yield_per=STREAM_ROWS)
    return _dicts(connection, connection.execute(statement, dict(params or {})), columns)


#: The column statement answers end with: the statement's ``review_status`` (``reviewed``, or
#: ``draft`` for one a person has yet to check). Ids stay ids; the output layer marks draft rows
#: in tables and markdown (see :mod:`provenance.output`).
REVIEW = "review"


def mark_drafts(connection: Connection, rows: list[dict[str, Any]], column: str = "statement") -> None:
    """Give each of ``rows`` the review status of its statement (``column``) as :data:`REVIEW`,
    so that tables, JSON and reports never pass a draft off as reviewed. Looked up by primary
    key, for the ids the rows hold only."""
    ids = sorted({row[column] for row in rows if row.get(column)})
    drafts: set[str] = set()
    for marks, values in id_batches(ids):
        drafts.update(value for (value,) in connection.execute(
            text(f"SELECT id FROM statement WHERE review_status = 'draft' AND id IN ({marks})"), values))
    for row in rows:
        row[REVIEW] = "draft" if row.get(column) in drafts else "reviewed"


def marked(connection: Connection, rows: Iterable[dict[str, Any]], column: str = "statement",
           batch: int = 500) -> Iterator[dict[str, Any]]:
    """:func:`mark_drafts` over a stream of rows, a batch at a time: the batch's statements are
    looked up by key (asking whether the database holds any draft scanned every statement,
    ``review_status`` having no index: a quarter of a second at a million statements)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, batch)):
        mark_drafts(connection, chunk, column)
        yield from chunk


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


__all__ = ["REVIEW", "Answer", "count", "fetch", "figure", "mark_drafts", "marked", "stream"]
