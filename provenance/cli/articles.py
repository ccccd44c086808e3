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
def ingest(
    context: Context,
    paths: tuple[Path, ...],
    outlet: str | None,
    url: str | None,
    published: dt.datetime | None,
    title: str | None,
    authors: tuple[str, ...],
    document_id: str | None,
    language: str,
    dry_run: bool,
    fmt: str,
) -> None:
    """Register articles (.txt, .md, or saved .html pages) as documents.

    HTML pages give their article text and metadata (title, author, date, site) through
    trafilatura; the options override them. The same text twice is one document; a text
    nearly identical to a stored one is reported as its likely republication.

    \b
    Examples:
      provenance ingest seeds/articles/
      provenance ingest tests/fixtures/ingest/oan-page.html --outlet one-america-news
    """
    from provenance import store
    from provenance.ingest import IngestOptions
    from provenance.ingest import ingest as ingest_articles
    from provenance.output import emit

    options = IngestOptions(
        outlet=outlet,
        url=url,
        published=published.date() if published else None,
        title=title,
        authors=list(authors),
        document_id=document_id,
        language=language,
    )
    engine = store.connect(context.location())
    results = ingest_articles(engine, list(paths), options, dry_run=dry_run)
    emit(
        [r.row() for r in results],
        fmt,
        columns=[
            "file",
            "document",
            "status",
            "outlet",
            "published",
            "title",
            "chars",
            "likely_republication_of",
            "similarity",
        ],
    )
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
    import json

    from provenance import drafts, store
    from provenance.errors import StoreError
    from provenance.output import emit

    try:
        engine = store.open_existing(context.location())
    except StoreError:
        engine = None  # files can be drafted without a database; stored documents cannot
    sources = drafts.gather_sources(engine, list(targets))
    if fmt == "jsonl":
        for record in drafts.span_records(sources):
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    draft_dir = out.resolve().parent if out else Path.cwd()
    dataset, rows = drafts.draft(engine, sources, draft_dir=draft_dir, outlet=outlet)
    if fmt != "yaml":
        emit([row.__dict__ for row in rows], fmt)
        return
    text = drafts.to_yaml(dataset)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(
            f"wrote {len(rows)} draft statements to {out}; review them, then: provenance load {out}", err=True
        )
