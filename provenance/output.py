"""The one output layer every command uses: table, JSON, JSON lines, CSV or markdown.

Rows are mappings with the same keys; JSON and JSON lines are streamed row by row so a large
result never sits in memory. Markdown cells are escaped so that text from sources (a quote with
``|``, a newline or ``<script>``) cannot break the table or inject HTML.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from provenance.names import BIDI_CONTROLS, show_controls

FORMATS = ("table", "json", "jsonl", "csv", "markdown")


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


def escape_markdown(text: str) -> str:
    """Make a value safe inside a markdown table cell (GitHub flavoured)."""
    replacements = {
        "\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
        "<": "&lt;", ">": "&gt;", "&": "&amp;",
        **{ch: f"\\\\u{ord(ch):04x}" for ch in BIDI_CONTROLS},  # shown, not obeyed
    }
    escaped = "".join(replacements.get(ch, ch) for ch in text)
    return " ".join(escaped.split())


def _table_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # numbers stay numbers so tabulate aligns them
    return show_controls(" ".join(_cell(value).split()))


def _numeric_column(body: list[list[Any]], index: int) -> bool:
    """A column whose values are all numbers (or empty) is aligned as numbers."""
    cells = [row[index] for row in body if row[index] != ""]
    return bool(cells) and all(isinstance(c, int | float) and not isinstance(c, bool) for c in cells)


def emit(
    rows: Iterable[Mapping[str, Any]],
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    empty_message: str | None = None,
) -> int:
    """Write ``rows`` to ``out`` (stdout) in ``fmt``; returns how many rows were written.

    ``columns`` fixes the columns and their order (else the first row's keys). For the table
    and markdown formats an empty result prints ``empty_message`` to stderr instead.
    """
    out = out or sys.stdout
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return _json(rows, out)
    if fmt == "jsonl":
        count = 0
        for row in rows:
            out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False))
            out.write("\n")
            count += 1
        return count
    materialized = list(rows)
    keys = list(columns or (materialized[0].keys() if materialized else []))
    if fmt == "csv":
        if keys:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(keys)
            writer.writerows([_cell(row.get(k)) for k in keys] for row in materialized)
        return len(materialized)
    if not materialized:
        if empty_message:
            sys.stderr.write(empty_message + "\n")
        return 0
    from tabulate import tabulate

    if fmt == "markdown":
        body = [[escape_markdown(_cell(row.get(k))) for k in keys] for row in materialized]
        out.write(tabulate(body, headers=keys, tablefmt="github", disable_numparse=True) + "\n")
    else:
        body = [[_table_cell(row.get(k)) for k in keys] for row in materialized]
        textual = [i for i in range(len(keys)) if not _numeric_column(body, i)]
        out.write(tabulate(body, headers=keys, tablefmt="simple", disable_numparse=textual) + "\n")
    return len(materialized)


def _json(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def emit_document(data: Any, out: TextIO | None = None) -> None:
    """Write one nested JSON value (for commands whose answer is a tree, not rows)."""
    out = out or sys.stdout
    out.write(json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n")
