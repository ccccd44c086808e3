"""``provenance report``: write markdown provenance reports generated from the database."""

from __future__ import annotations

from pathlib import Path

import click

from provenance.cli.base import Context, cli, pass_context
from provenance.cli.display import progress


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Directory to write the reports into.")
@click.option("--claim", metavar="NAME", help="Only this claim's report (id, text or part of it).")
@click.option("--speaker", metavar="NAME", help="Only this agent's report (id, name or alias).")
@click.option("--document", metavar="ID", help="Only this document's report.")
@click.option("--all", "everything", is_flag=True,
              help="Every report, the index, figures.md and audit.md; removes stale reports.")
@pass_context
def report(context: Context, out_dir: Path, claim: str | None, speaker: str | None,
           document: str | None, everything: bool) -> None:
    """Write markdown reports to attach to a story or audit before publication.

    --all writes index.md, figures.md, audit.md and one report per claim (claims/),
    speaker (speakers/) and document (documents/), with citation chains as Mermaid
    diagrams, and removes the reports of a previous --all run that no longer exist (only
    files it wrote: see .provenance-reports). --claim, --speaker or --document writes one
    report, whose links point to the reports --all writes. The same database always gives
    the same files. The paths of files written (new or changed) go to stdout, counts to
    stderr.

    \b
    Examples:
      provenance report --all
      provenance report --claim isis-backed-by-us --out /tmp/reports
      provenance report --speaker bakhshi
      provenance report --document oan-2024-01-04-isis-takes-responsibility
    """
    from provenance.queries.resolve import resolve_scope
    from provenance.reports import generate

    chosen = [name for name, value in (("--claim", claim), ("--speaker", speaker),
                                       ("--document", document), ("--all", everything)) if value]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --claim, --speaker, --document or --all"
                               + (f" (got {', '.join(chosen)})" if chosen else ""))
    engine = context.engine()
    selection = resolve_scope(engine, claim=claim, speaker=speaker, document=document)
    with progress() as advance:
        result = generate(engine, out_dir, selection, progress=advance)
    for relative in result.written:
        click.echo(str(out_dir / relative))
    click.echo(result.summary(out_dir), err=True)
