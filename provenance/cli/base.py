"""The command group, shared options and the translation of library errors into messages."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from provenance.output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


class ProvenanceGroup(click.Group):
    """A group that turns the library's errors into ``Error: ...`` and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from provenance.errors import NotFoundError, ProvenanceError

        try:
            return super().invoke(ctx)
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


def _is_validation_error(error: Exception) -> bool:
    """Whether ``error`` is pydantic's ``ValidationError``, without importing pydantic (a tenth
    of a second) in the commands that never load it: then it cannot be one."""
    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(error, pydantic.ValidationError)


@dataclass
class Context:
    """What every command gets: the database option as given."""

    db: str | None
    reviewed_only: bool = False

    def location(self) -> Any:
        from provenance.store import database
        return database.resolve(self.db)

    def engine(self) -> Any:
        """An engine on an existing provenance database (read commands)."""
        from provenance.store import database
        engine = database.open_existing(self.location())
        if self.reviewed_only:
            from provenance.store.review import reviewed_only
            return reviewed_only(engine)
        return engine


@click.group(cls=ProvenanceGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="provenance")
@click.option(
    "--db",
    metavar="URL_OR_PATH",
    help="Database: a SQLite file or a SQLAlchemy URL (postgresql://...)."
    " Default: $PROVENANCE_DB, else ./provenance.db.",
)
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Questions, reports and audit read reviewed statements only (drafts left out).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None, reviewed_only: bool) -> None:
    """Track who said what, who repeated it, and through which chain of citations.

    \b
    Start with the seed dataset (the January 2024 Kerman bombing):
      provenance load seeds/
      provenance stats
    """
    ctx.obj = Context(db=db, reviewed_only=reviewed_only)


def format_option(func: F) -> F:
    """The shared ``--format`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


pass_context = click.make_pass_decorator(Context)
