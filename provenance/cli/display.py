"""What commands show: the output options, tables fitted to the terminal, progress bars.

:func:`output_options` adds ``--columns``, ``--limit`` and ``--wide`` to a command (through
:func:`~provenance.cli.base.format_option`) and keeps them in the click context, where
:func:`show` finds them when the command hands its rows to :func:`provenance.output.emit`.
:func:`progress` gives the library a progress callback that draws on stderr, or None when
stderr is not a terminal or with ``provenance --quiet``: library code never imports click.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: Table rows shown by default (``--limit``).
DEFAULT_LIMIT = 50
#: Where ``provenance --quiet`` is kept in ``click.Context.meta``.
QUIET_KEY = "provenance.quiet"

#: Where the output options wait in ``click.Context.meta`` for :func:`show`.
OUTPUT_KEY = "provenance.output"


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if param.name == "columns" and value is not None:
        names = [name.strip() for name in value.split(",") if name.strip()]
        if not names:
            raise click.BadParameter("give column names separated by commas, e.g. --columns id,name")
        value = names
    ctx.meta.setdefault(OUTPUT_KEY, {})[param.name] = value
    return value


def output_options(func: F) -> F:
    """``--columns``, ``--limit`` and ``--wide``: what :func:`show` reads; the command never sees them."""
    for option in reversed([
        click.option("--columns", metavar="A,B,C", expose_value=False, callback=_remember,
                     help="Only these columns, in this order (every format)."),
        click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True,
                     expose_value=False, callback=_remember,
                     help="Table rows to show at most; 0 shows every row. JSON, JSONL and CSV"
                     " always give every row."),
        click.option("--wide", is_flag=True, expose_value=False, callback=_remember,
                     help="Keep table cells whole instead of fitting the terminal's width."),
    ]):
        func = option(func)
    return func


def page_limit(fmt: str) -> int | None:
    """The rows a command's table shows (``--limit``; None for every row, and in every other
    format): what a query may stop at."""
    ctx = click.get_current_context()
    limit = ctx.meta.get(OUTPUT_KEY, {}).get("limit", DEFAULT_LIMIT)
    return limit or None if fmt == "table" else None


def terminal_width() -> int | None:
    """The width tables fit: ``$COLUMNS`` when set, else the terminal's when stdout is one; None
    (cells never cut) when stdout is a file or a pipe, so that what a script reads does not
    depend on the window it ran in."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def show(rows: Iterable[Mapping[str, Any]], fmt: str, *, columns: Sequence[str] | None = None,
         empty_message: str | None = None) -> int:
    """Hand ``rows`` to :func:`provenance.output.emit` with the command's output options; a
    ``--columns`` the rows do not have is a usage error. Rows that can say how many remain
    (an answer's ``rest``) are not read past a table's page."""
    from provenance.output import ColumnError, emit

    ctx = click.get_current_context()
    options = ctx.meta.get(OUTPUT_KEY, {})
    try:
        return emit(rows, fmt, columns=columns, empty_message=empty_message,
                    select=options.get("columns"), limit=options.get("limit", DEFAULT_LIMIT),
                    width=None if options.get("wide") else terminal_width(),
                    rest=getattr(rows, "rest", None))
    except ColumnError as error:
        raise click.UsageError(f"--columns: {error}", ctx) from None


#: A progress callback, as the library takes it: ``progress(done, total, what)``.
Progress = Callable[[int, int, str], None]


class _Bars:
    """A progress callback drawing one click progress bar per stage of work (``what``) on stderr;
    a bar ends its line when its stage is done (``done >= total``) or another stage begins."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.what = ""
        self.shown = -1.0

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.bar is None or what != self.what:
            self.close()
            self.what, self.shown = what, -1.0
            self.bar = click.progressbar(length=max(total, 1), label=what, file=sys.stderr,
                                         show_pos=True, show_eta=True)
            self.bar.__enter__()
        bar = self.bar
        bar.length = max(total, 1)
        # Redrawn at most a thousand times a bar, however fine the steps.
        if done >= total or (done - self.shown) * 1000 >= total:
            self.shown = done
            bar.update(done - bar.pos)
        if done >= total:  # a finished stage ends its line, before anything else is written
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _stderr_is_a_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress() -> Iterator[Progress | None]:
    """A progress callback for the library's long work, drawing bars on stderr while stderr is a
    terminal; None (nothing drawn, nothing computed for it) when stderr is a file or a pipe, or
    with ``--quiet``."""
    ctx = click.get_current_context(silent=True)
    if (ctx is not None and ctx.meta.get(QUIET_KEY)) or not _stderr_is_a_terminal():
        yield None
        return
    bars = _Bars()
    try:
        yield bars
    finally:
        bars.close()


def tracked(items: Sequence[T], callback: Progress | None, what: str) -> Sequence[T]:
    """``items`` as a sequence that reports to ``callback`` as it is iterated (the way
    sqlite-utils wraps a file it reads): progress for a library loop that takes a list."""
    return items if callback is None else _Tracked(items, callback, what)


class _Tracked(Sequence[T]):
    def __init__(self, items: Sequence[T], callback: Progress, what: str) -> None:
        self.items, self.callback, self.what = items, callback, what

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __iter__(self) -> Iterator[T]:
        total = len(self.items)
        for done, item in enumerate(self.items):
            self.callback(done, total, self.what)
            yield item
        self.callback(total, total, self.what)
