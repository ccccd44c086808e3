"""Commands that bring raw articles in: ingest (and extraction of draft statements)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import click

from provenance.cli.base import Context, cli, format_option, pass_context
from provenance.cli.display import output_options, progress, show, tracked


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--outlet", metavar="AGENT", help="The outlet that published it (an agent id).")
@click.option("--url", help="Where it was published.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), help="Publication date, YYYY-MM-DD.")
@click.option("--title", help="Its title (else the page's title or the first line).")
@click.option("--author", "authors", multiple=True, help="An author; repeat for several.")
@click.option("--id", "document_id", help="The document id (one file only; else derived from the file name).")
@click.option("--language", default="en", show_default=True, help="Language code.")
@click.option("--dry-run", is_flag=True, help="Read and check only; store nothing.")
@format_option
@pass_context
def ingest(context: Context, paths: tuple[Path, ...], published: dt.datetime | None,
           authors: tuple[str, ...], dry_run: bool, fmt: str, **options: Any) -> None:
    """Register articles (.txt, .md, or saved .html pages) as documents.

    HTML pages give their article text and metadata (title, author, date, site) through
    trafilatura; the options override them. The same text twice is one document; a text
    nearly identical to a stored one is reported as its likely republication.

    \b
    Examples:
      provenance ingest seeds/articles/
      provenance ingest tests/fixtures/ingest/oan-page.html --outlet one-america-news
    """
    from provenance.articles.ingest import RESULT_COLUMNS, IngestOptions
    from provenance.articles.ingest import ingest as ingest_articles
    from provenance.store import database

    settings = IngestOptions(published=published.date() if published else None,
                             authors=list(authors), **options)
    results = ingest_articles(database.connect(context.location()), list(paths), settings,
                              dry_run=dry_run)
    show([result.row() for result in results], fmt, columns=RESULT_COLUMNS)
    for outlet in sorted({r.outlet for r in results if r.new_outlet and r.outlet}):
        click.echo(f"new agent {outlet!r} proposed as the outlet; check its name and kind", err=True)
    if dry_run:
        click.echo("dry run: nothing stored", err=True)


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft dataset to this YAML file (document paths are made relative to it).",
)
@click.option("--outlet", metavar="AGENT", help="The agent id of the outlet that published the files.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "jsonl", "table", "json", "csv", "markdown"]),
    default="yaml",
    show_default=True,
    help="yaml: a draft dataset to review and load; jsonl: character spans, one line per"
    " document; the others: one row per attribution, for reading.",
)
@output_options
@pass_context
def extract(
    context: Context, targets: tuple[str, ...], out: Path | None, outlet: str | None, fmt: str
) -> None:
    """Propose draft statements from articles: files, directories of .txt files, or stored documents.

    Finds who (source) is said, by which words (cue), to have said what (content), through
    which intermediaries ("Mehr quoted Bakhshi as saying"), with mode (direct or paraphrase) and
    stance (denials). Speakers are matched to known agents through their names and aliases;
    others are proposed as new agents. Review the draft, then load it.

    \b
    Examples:
      provenance extract seeds/articles/oan-2024-01-04-isis-takes-responsibility.txt --out draft.yaml
      provenance extract breitbart-2024-01-08-iran-claims-isis-arrests --format table
      provenance extract seeds/articles/ --format jsonl > predictions.jsonl
    """
    from provenance.articles import drafts
    from provenance.store import database

    engine = database.open_if_exists(context.location())  # files can be drafted without one
    draft_dir = out.resolve().parent if out else Path.cwd()
    with progress() as advance:  # the bar is done before anything goes to stdout
        sources = tracked(drafts.gather_sources(engine, list(targets)), advance, "extracting")
        if fmt == "jsonl":
            spans = drafts.span_records(sources)
        else:
            dataset, rows = drafts.draft(engine, sources, draft_dir=draft_dir, outlet=outlet)
    if fmt == "jsonl":
        show(spans, fmt)
    elif fmt != "yaml":
        show([row.__dict__ for row in rows], fmt)
    elif out is None:
        click.echo(drafts.to_yaml(dataset), nl=False)
    else:
        drafts.write_yaml(dataset, out)
        click.echo(f"wrote {len(rows)} draft statements to {out}; review them, then:"
                   f" provenance load{_root_option(draft_dir, sources)} {out}", err=True)


def _root_option(draft_dir: Path, sources: list[Any]) -> str:
    """``--root`` for loading a draft whose text files lie outside its folder, else nothing."""
    from provenance.datasets.files import shown_path

    folders = [draft_dir, *(source.file.parent for source in sources if source.file is not None)]
    common = Path(os.path.commonpath(folders))
    return f" --root {shown_path(common)}" if common != draft_dir else ""
