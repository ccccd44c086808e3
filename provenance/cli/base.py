"""The command group, shared options and the translation of library errors into messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from provenance.cli.display import QUIET_KEY, output_options
from provenance.output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


class ProvenanceGroup(click.Group):
    """A group that turns the library's errors into ``Error: ...`` and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from provenance.errors import NotFoundError, ProvenanceError

        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a reader gone away shows here, not as Python exits
        except BrokenPipeError:
            _close_quietly(ctx)
        except NotFoundError as error:
            message = str(error)
            if error.suggestions:
                message += "\nDid you mean: " + "; ".join(error.suggestions) + "?"
            raise click.ClickException(message) from None
        except ProvenanceError as error:
            raise click.ClickException(str(error)) from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None
        except Exception as error:
            if _is_validation_error(error):
                raise click.ClickException(str(error)) from None
            # A database failure we did not foresee still gets a message, not a traceback.
            if type(error).__module__.startswith("sqlalchemy"):
                detail = getattr(error, "orig", None) or error
                raise click.ClickException(f"database error: {detail}") from None
            raise


def _close_quietly(ctx: click.Context) -> None:
    """Stop quietly, with status 0, when the reader of stdout went away (``provenance speakers |
    head -1``): what is left unwritten goes nowhere, no "Broken pipe" message, no traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # a stdout that is not a file (tests)
        pass
    ctx.exit(0)


def _is_validation_error(error: Exception) -> bool:
    """Whether ``error`` is pydantic's ``ValidationError``, without importing pydantic (a tenth
    of a second) in the commands that never load it: then it cannot be one."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(error, pydantic.ValidationError)


@dataclass
class Context:
    """What every command gets: the database option as given, and the command's snapshot."""

    db: str | None
    reviewed_only: bool = False
    _snapshot: Any = None

    def location(self) -> Any:
        from provenance.store import database
        return database.resolve(self.db)

    def engine(self) -> Any:
        """The command's view of an existing provenance database, for read commands: one read
        transaction from the first call to the end of the command (a
        :class:`~provenance.store.snapshot.Snapshot`), however many connections it opens."""
        if self._snapshot is None:
            from provenance.store.snapshot import open_snapshot
            self._snapshot = open_snapshot(self.location(), reviewed_only=self.reviewed_only)
            click_context = click.get_current_context(silent=True)
            if click_context is not None:
                click_context.call_on_close(self.close)
        return self._snapshot

    def close(self) -> None:
        """End the command's read transaction, if it began one."""
        if self._snapshot is not None:
            taken, self._snapshot = self._snapshot, None
            taken.close()


@click.group(cls=ProvenanceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="provenance")
@click.option(
    "--db",
    metavar="URL_OR_PATH",
    help="Database: a SQLite file or a SQLAlchemy URL (postgresql://...)."
    " Default: $PROVENANCE_DB, else ./provenance.db.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bars on stderr.")
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Questions, reports and audit read reviewed statements only (drafts left out).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, quiet: bool, reviewed_only: bool) -> None:
    """Track who said what, who repeated it, and through which chain of citations.

    \b
    Start with the seed dataset (the January 2024 Kerman bombing):
      provenance load seeds/
      provenance stats
    """
    ctx.obj = Context(db=db, reviewed_only=reviewed_only)
    ctx.meta[QUIET_KEY] = quiet


def format_option(func: F) -> F:
    """The shared ``--format`` option, with the :func:`output_options`."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(output_options(func))


pass_context = click.make_pass_decorator(Context)
