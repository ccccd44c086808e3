"""``provenance db``: where a database's schema stands, and upgrading it."""

from __future__ import annotations

import click

from provenance.cli.base import Context, cli, format_option, pass_context


@cli.group()
def db() -> None:
    """The database's schema: which revision it is at, and upgrading it to this provenance's.

    \b
    Examples:
      provenance db current
      provenance db upgrade
    """


@db.command()
@format_option
@pass_context
def current(context: Context, fmt: str) -> None:
    """Say which schema revision the database is at, and whether it is behind or ahead.

    "behind" means `provenance db upgrade` brings it up to date; "ahead" means a newer
    provenance wrote it.

    \b
    Example:
      provenance db current
    """
    from provenance.output import emit
    from provenance.store import database, migrate

    location = context.location()
    status = migrate.current(database.connect_existing(location))
    click.echo(f"database: {location.shown} (from {location.origin})", err=True)
    emit([status.row()], fmt, columns=["revision", "head", "state"])


@db.command()
@pass_context
def upgrade(context: Context) -> None:
    """Bring the database to this provenance's schema, keeping every record.

    All the migrations run in one transaction: the database ends upgraded, or as it was. An
    empty database is created at the current schema; one written by a newer provenance is
    refused. The views are rebuilt.

    \b
    Examples:
      provenance db upgrade
      provenance --db postgresql://localhost/provenance db upgrade
    """
    from provenance.store import database, migrate

    location = context.location()
    database.connect_existing(location).dispose()
    before, after = migrate.upgrade(location.url)
    if before.revision == after.revision:
        click.echo(f"{location.shown} is already at revision {after.revision}", err=True)
    else:
        start = before.revision or "empty"
        click.echo(f"upgraded {location.shown} from {start} to {after.revision}", err=True)
