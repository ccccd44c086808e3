"""The one output layer every command uses: table, JSON, JSON lines, CSV or markdown.

Every format streams: rows are written as they come from the iterator (a database cursor, a
generator of findings), so no answer has to sit in memory whole. JSON, JSON lines and CSV always
give every row. A table reads a first page of rows (:data:`PAGE_ROWS`) to fix its column widths,
then keeps them for the rest; given a ``width`` (the terminal's) it narrows its widest text
columns to fit, cutting long cells with ``…``; given a ``limit`` it shows that many rows and says
on stderr how many more there are. Markdown gives every row, never cuts a cell, and keeps the
first page's widths (a longer cell later only widens its own row). Markdown cells are escaped so
that text from sources (a quote with ``|``, a newline or ``<script>``) cannot break the table or
inject HTML. Nothing here knows about click or the terminal: the CLI measures the terminal and
passes ``width`` and ``limit`` (see :mod:`provenance.cli.base`).

Rows about statements carry their review status as a ``review`` field (``reviewed`` or
``draft``). JSON, JSON lines and CSV give it as it is; a table and markdown fold it into the
row's ``statement`` cell instead (``s2 (draft)``), so that a draft is never shown as reviewed and a
database with no draft shows what it always did. ``--columns review`` shows it as a column.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import Any, TextIO

from provenance.names import BIDI_CONTROLS, show_controls

FORMATS = ("table", "json", "jsonl", "csv", "markdown")

#: Rows a table reads before it fixes its column widths.
PAGE_ROWS = 100
#: Columns are separated by two spaces in a table.
GAP = "  "
#: A text column narrowed to fit the terminal keeps at least its header, and this many characters.
NARROWEST = 8
CUT = "…"
#: A row's review status, and how a table or markdown marks a draft (see the module's docstring).
REVIEW, DRAFT_MARK = "review", " (draft)"


class ColumnError(ValueError):
    """``select`` names a column the rows do not have."""

    def __init__(self, unknown: list[str], known: list[str]) -> None:
        self.unknown, self.known = unknown, known
        noun = "column" if len(unknown) == 1 else "columns"
        super().__init__(f"unknown {noun} {', '.join(map(repr, unknown))}; choose from {', '.join(known)}")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(item) for item in value)
    return str(value)


_MARKDOWN_ESCAPES = {
    "\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
    "<": "&lt;", ">": "&gt;", "&": "&amp;",
    **{ch: f"\\\\u{ord(ch):04x}" for ch in BIDI_CONTROLS},  # shown, not obeyed
}
_MARKDOWN_SPECIAL = re.compile("|".join(map(re.escape, _MARKDOWN_ESCAPES)))


def escape_markdown(text: str) -> str:
    """Make a value safe inside a markdown table cell (GitHub flavoured)."""
    escaped = _MARKDOWN_SPECIAL.sub(lambda match: _MARKDOWN_ESCAPES[match.group()], text)
    return " ".join(escaped.split())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table_cell(value: Any) -> Any:
    """A number stays a number (to be right-aligned); anything else becomes one line of text."""
    value = _plain(value)
    if _is_number(value):
        return value
    return show_controls(" ".join(_cell(value).split()))


def _number_text(value: Any) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)


def _afterpoint(text: str) -> int:
    """How many characters follow the decimal point (or exponent) of a number; -1 for none."""
    point = text.rfind(".")
    point = text.lower().rfind("e") if point < 0 else point
    return len(text) - point - 1 if point >= 0 else -1


def emit(
    rows: Iterable[Mapping[str, Any]],
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    empty_message: str | None = None,
    select: Sequence[str] | None = None,
    limit: int | None = None,
    width: int | None = None,
    err: TextIO | None = None,
    rest: Callable[[], int] | None = None,
) -> int:
    """Write ``rows`` to ``out`` (stdout) in ``fmt`` as they come; returns how many rows there were.

    ``columns`` fixes the columns and their order (else the first row's keys); ``select`` keeps
    some of them, in its order, in every format (:class:`ColumnError` for a column the rows do
    not have, raised before anything is written). For a table only: ``limit`` rows at most (None
    or 0: all; how many more there were goes to ``err``, stderr) and ``width`` characters a line
    at most (None: cells are never cut). For the table and markdown formats an empty result
    prints ``empty_message`` to ``err`` instead. ``rest``, when given, says how many rows remain
    after those read: a table stops reading at its limit and asks it, instead of counting them.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    iterator = iter(rows)
    first = next(iterator, None)
    keys = list(columns) if columns is not None else list(first.keys()) if first is not None else []
    given = keys
    if select:
        if columns is not None or first is not None:
            unknown = [name for name in select if name not in keys]
            if unknown:
                raise ColumnError(unknown, keys)
        keys = list(dict.fromkeys(select))
    stream: Iterator[Mapping[str, Any]] = chain([first], iterator) if first is not None else iter(())
    if fmt in ("json", "jsonl"):
        return _json(stream, out, keys if select else None, lines=fmt == "jsonl")
    if fmt == "csv":
        return _csv(stream, out, keys)
    if REVIEW in given and REVIEW not in (select or ()):
        keys = [key for key in keys if key != REVIEW]
        stream = _fold_review(stream, "statement" if "statement" in keys else keys[0] if keys else REVIEW)
    if first is None:
        if empty_message:
            err.write(empty_message + "\n")
        return 0
    if fmt == "markdown":
        return _markdown(stream, out, keys)
    return _table(stream, out, err, keys, limit=limit or None, width=width, rest=rest)


def _fold_review(rows: Iterator[Mapping[str, Any]], target: str) -> Iterator[Mapping[str, Any]]:
    """The rows, a draft's ``target`` cell marked ``<value> (draft)`` (as text)."""
    for row in rows:
        if row.get(REVIEW) == "draft":
            row = {**row, target: _cell(row.get(target)) + DRAFT_MARK}
        yield row


def _json(rows: Iterator[Mapping[str, Any]], out: TextIO, keys: list[str] | None, *, lines: bool) -> int:
    count = 0
    if not lines:
        out.write("[")
    for row in rows:
        items = row.items() if keys is None else ((key, row.get(key)) for key in keys)
        text = json.dumps({k: _plain(v) for k, v in items}, ensure_ascii=False)
        if lines:
            out.write(text + "\n")
        else:
            out.write((",\n  " if count else "\n  ") + text)
        count += 1
    if not lines:
        out.write("\n]\n" if count else "]\n")
    return count


def _csv(rows: Iterator[Mapping[str, Any]], out: TextIO, keys: list[str]) -> int:
    if not keys:
        return 0
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(k)) for k in keys])
        count += 1
    return count


def _markdown(rows: Iterator[Mapping[str, Any]], out: TextIO, keys: list[str]) -> int:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)) + " |\n"

    page = [[escape_markdown(_cell(row.get(k))) for k in keys] for row in islice(rows, PAGE_ROWS)]
    widths = [max([len(key) + 2, *(len(cells[i]) for cells in page)]) for i, key in enumerate(keys)]
    out.write(line(keys))
    out.write("|" + "|".join("-" * (w + 2) for w in widths) + "|\n")
    for cells in page:
        out.write(line(cells))
    count = len(page)
    for row in rows:
        out.write(line([escape_markdown(_cell(row.get(k))) for k in keys]))
        count += 1
    return count


class _TableLayout:
    """Column widths and alignment, fixed from a table's first page."""

    def __init__(self, keys: list[str], page: list[list[Any]], width: int | None) -> None:
        self.numeric = [
            any(cells[i] != "" for cells in page)
            and all(_is_number(cells[i]) for cells in page if cells[i] != "")
            for i in range(len(keys))
        ]
        # Numbers line up on their decimal point, as tabulate aligns them.
        self.decimals = [
            max((_afterpoint(_number_text(cells[i])) for cells in page if _is_number(cells[i])), default=-1)
            for i in range(len(keys))
        ]
        texts = [[self.text(i, value) for i, value in enumerate(cells)] for cells in page]
        tight = [max([len(key), *(len(row[i]) for row in texts)]) for i, key in enumerate(keys)]
        natural = [max(n, len(key) + 2) for n, key in zip(tight, keys, strict=True)]
        self.cut = width is not None
        self.widths = natural if width is None else _fit(natural, tight, keys, self.numeric, width)

    def text(self, index: int, value: Any) -> str:
        if not (self.numeric[index] and _is_number(value)):
            return _cell(value)
        text = _number_text(value)
        return text + " " * (self.decimals[index] - _afterpoint(text))

    def line(self, cells: Sequence[Any]) -> str:
        parts = []
        for i, value in enumerate(cells):
            text, width = self.text(i, value), self.widths[i]
            if self.numeric[i]:
                parts.append(text.rjust(width))
                continue
            if self.cut and len(text) > width:
                text = text[: width - 1] + CUT
            parts.append(text.ljust(width))
        return GAP.join(parts).rstrip() + "\n"


def _fit(natural: list[int], tight: list[int], keys: list[str], numeric: list[bool], width: int) -> list[int]:
    """Narrow the widest text columns, evenly, until the table is ``width`` characters wide (as
    far as their headers and :data:`NARROWEST` allow); numbers are never cut, but lose the
    margin tabulate gives a header."""
    room = width - len(GAP) * (len(keys) - 1)
    if sum(natural) <= room:
        return natural
    natural = [t if numeric[i] else n for i, (n, t) in enumerate(zip(natural, tight, strict=True))]
    floors = [n if numeric[i] else min(n, max(len(keys[i]), NARROWEST)) for i, n in enumerate(natural)]

    def widths(cap: int) -> list[int]:
        return [n if numeric[i] else max(floors[i], min(n, cap)) for i, n in enumerate(natural)]

    cap = max(natural)
    while cap > 0 and sum(widths(cap)) > room:
        cap -= 1
    fitted = widths(cap)
    spare = room - sum(fitted)
    for i, n in enumerate(natural):  # hand the characters left over to the columns cut
        if spare <= 0:
            break
        if fitted[i] == cap and n > cap and not numeric[i]:
            fitted[i] += 1
            spare -= 1
    return fitted


def _table(rows: Iterator[Mapping[str, Any]], out: TextIO, err: TextIO, keys: list[str], *,
           limit: int | None, width: int | None, rest: Callable[[], int] | None = None) -> int:
    page_size = min(limit, PAGE_ROWS) if limit else PAGE_ROWS
    page = [[_table_cell(row.get(k)) for k in keys] for row in islice(rows, page_size)]
    layout = _TableLayout(keys, page, width)
    header = [key.rjust(w) if layout.numeric[i] else key.ljust(w)
              for i, (key, w) in enumerate(zip(keys, layout.widths, strict=True))]
    out.write(GAP.join(header).rstrip() + "\n")
    out.write(GAP.join("-" * w for w in layout.widths) + "\n")
    for cells in page:
        out.write(layout.line(cells))
    shown = len(page)
    more = 0
    if limit and shown >= limit and rest is not None:
        more = rest()  # the page is full: the rows left are counted, not read
        rows = iter(())
    for row in rows:
        if limit and shown >= limit:
            more += 1
            continue
        out.write(layout.line([_table_cell(row.get(k)) for k in keys]))
        shown += 1
        if limit and shown >= limit and rest is not None:
            more = rest()
            break
    if more:
        out.flush()  # the table first, then the line about it, on a terminal showing both
        noun = "row" if more == 1 else "rows"
        err.write(f"{more} more {noun} not shown (--limit 0 shows every row;"
                  " --format csv, json or jsonl give them as data)\n")
    return shown + more


def emit_document(data: Any, out: TextIO | None = None) -> None:
    """Write one nested JSON value (for commands whose answer is a tree, not rows)."""
    out = out or sys.stdout
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n")
