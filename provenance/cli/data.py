"""Commands about the data itself: load, stats, path, schema."""

from __future__ import annotations

from pathlib import Path

import click

from provenance.cli.base import Context, cli, format_option, pass_context
from provenance.cli.display import progress, show


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--adopt", is_flag=True, help="Let these files take over records another file defined.")
@click.option("--root", type=click.Path(path_type=Path), metavar="DIR",
              help="The dataset's folder: text files must lie inside it. Default: each directory"
              " given, or the folder of a file given.")
@format_option
@pass_context
def load(context: Context, paths: tuple[Path, ...], dry_run: bool, adopt: bool, root: Path | None,
         fmt: str) -> None:
    """Load dataset files (YAML or JSON), or every one under a directory.

    Everything is validated first (ids, references, excerpts against the document texts,
    citation cycles); then all of it is written in one transaction, or nothing is. Loading the
    same files again changes nothing; a changed record is updated; a record removed from a file
    is removed from the database. A record another file already defined is refused, unless
    --adopt lets these files take it over (after moving or splitting a file).

    \b
    Examples:
      provenance load seeds/
      provenance load --dry-run seeds/statements-breitbart.yaml
      provenance load --root seeds/ seeds/statements-breitbart.yaml
      provenance --db postgresql://localhost/provenance load seeds/
    """
    from provenance.datasets import loader
    from provenance.store import database

    location = context.location()
    engine = database.connect(location)
    try:
        with progress() as advance:
            summary = loader.load(engine, list(paths), dry_run=dry_run, adopt=adopt, root=root,
                                  progress=advance)
    finally:
        engine.dispose()  # closes the file: SQLite folds its write-ahead log back in
    show(summary.rows(), fmt, columns=["records", "new", "changed", "unchanged", "removed"])
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    verb = "validated (dry run; nothing written)" if dry_run else "loaded into " + location.shown
    noun = "file" if len(summary.files) == 1 else "files"
    click.echo(f"{len(summary.files)} {noun} {verb}", err=True)


@cli.command()
@format_option
@pass_context
def stats(context: Context, fmt: str) -> None:
    """Count the records of each kind, and say where the database is.

    \b
    Example:
      provenance stats
    """
    from provenance.store.stats import counts

    location = context.location()
    rows = counts(context.engine())
    click.echo(f"database: {location.shown} (from {location.origin})", err=True)
    show(rows, fmt, columns=["records", "count"])


@cli.command()
@pass_context
def path(context: Context) -> None:
    """Print the database URL in use (from --db, $PROVENANCE_DB or the default).

    \b
    Example:
      provenance path
    """
    click.echo(context.location().shown)


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout (e.g. schema/dataset.schema.json).",
)
def schema(out: Path | None) -> None:
    """Print the JSON Schema of dataset files, for editors to validate and complete them.

    \b
    Example:
      provenance schema --out schema/dataset.schema.json
    """
    from provenance.datasets.schema import render_schema

    text = render_schema()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
