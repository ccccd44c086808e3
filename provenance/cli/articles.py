"""Commands that bring raw articles in: ingest (and extraction of draft statements)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from provenance.cli.base import Context, cli, format_option, pass_context


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
def ingest(context: Context, paths: tuple[Path, ...], outlet: str | None, url: str | None,
           published: dt.datetime | None, title: str | None, authors: tuple[str, ...], document_id: str | None,
           language: str, dry_run: bool, fmt: str) -> None:
    """Register articles (.txt, .md, or saved .html pages) as documents.

    HTML pages give their article text and metadata (title, author, date, site) through
    trafilatura; the options override them. The same text twice is one document; a text
    nearly identical to a stored one is reported as its likely republication.

    \b
    Examples:
      provenance ingest seeds/articles/
      provenance ingest page.html --outlet oan --published 2024-01-04
    """
    from provenance import store
    from provenance.ingest import IngestOptions, ingest as ingest_articles
    from provenance.output import emit

    options = IngestOptions(
        outlet=outlet, url=url, published=published.date() if published else None, title=title,
        authors=list(authors), document_id=document_id, language=language,
    )
    engine = store.connect(context.location())
    results = ingest_articles(engine, list(paths), options, dry_run=dry_run)
    emit([r.row() for r in results], fmt,
         columns=["file", "document", "status", "outlet", "published", "title", "chars",
                  "likely_republication_of", "similarity"])
    if dry_run:
        click.echo("dry run: nothing stored", err=True)
