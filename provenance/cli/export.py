"""Standard interchange: ``export`` (W3C PROV, schema.org, Web Annotation, CSV) and
``import claimreview`` (fact-check verdicts from schema.org ClaimReview)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from provenance.cli.base import Context, cli, format_option, pass_context

EXPORT_FORMATS = ("prov-json", "prov-o", "prov-n", "schema-org", "annotations", "csv")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="prov-json, prov-n, prov-o (Turtle): W3C PROV; schema-org: Claim as JSON-LD;"
                   " annotations: W3C Web Annotations of the excerpts; csv: one file per table.")
@click.option("--out", type=click.Path(path_type=Path),
              help="File to write (default: stdout); for csv, the folder (required).")
@click.option("--claim", "claim_name", metavar="NAME", help="Only what this claim needs.")
@click.option("--speaker", "speaker_name", metavar="NAME", help="Only what this speaker's statements need.")
@click.option("--document", metavar="ID", help="Only what this document's reports need.")
@pass_context
def export(context: Context, fmt: str, out: Path | None, claim_name: str | None,
           speaker_name: str | None, document: str | None) -> None:
    """Export the database (or one claim, speaker or document) in a standard format.

    The same database always gives byte-identical output.

    \b
    Examples:
      provenance export --format prov-json --out kerman.prov.json
      provenance export --format prov-o --claim isis-backed-by-us
      provenance export --format schema-org --speaker bakhshi
      provenance export --format annotations --document breitbart-2024-01-08-iran-claims-isis-arrests
      provenance export --format csv --out tables/
    """
    from provenance.export import export_to
    from provenance.queries.resolve import resolve_scope

    if sum(name is not None for name in (claim_name, speaker_name, document)) > 1:
        raise click.UsageError("give at most one of --claim, --speaker and --document")
    if fmt == "csv" and out is None:
        raise click.UsageError("--format csv writes one file per table: give a folder with --out")
    engine = context.engine()
    scope = resolve_scope(engine, claim=claim_name, speaker=speaker_name, document=document)
    written = export_to(engine, fmt, scope, out, sys.stdout)
    click.echo(f"{fmt}: " + ", ".join(written) + (f" written to {out}" if out else ""), err=True)


@cli.group(name="import")
def import_() -> None:
    """Bring in data from other tools: fact-check verdicts (schema.org ClaimReview).

    \b
    Example:
      provenance import claimreview tests/fixtures/export/claimreview-isis.json
    """


@import_.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--proposals", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the reviews that match no claim as a draft dataset of new claims here.")
@format_option
@pass_context
def claimreview(context: Context, paths: tuple[Path, ...], proposals: Path | None, fmt: str) -> None:
    """Import fact-check verdicts from schema.org ClaimReview JSON-LD files (or folders of them).

    A file holds a ClaimReview, a list of them, an @graph or a Data Commons feed
    (dataFeedElement). Each review is matched to a claim by its wording and stored as a verdict
    on it; one that matches no claim confidently is listed as "proposed" with the closest
    claims (and written to --proposals as new claims to review and load). Every file is
    checked first: any problem and nothing is written. Importing a file again changes nothing.

    \b
    Examples:
      provenance import claimreview factchecks/
      provenance import claimreview feed.json --proposals drafts/fact-checked-claims.yaml
    """
    from provenance.export.claimreview import RESULT_COLUMNS, import_claimreviews
    from provenance.output import emit
    from provenance.store import database

    result = import_claimreviews(database.open_existing(context.location()), list(paths), proposals)
    emit(result.rows, fmt, columns=RESULT_COLUMNS, empty_message="no ClaimReview found")
    click.echo(result.summary(), err=True)
    if result.proposals:
        where = f"written to {proposals}" if proposals else "--proposals FILE writes them as draft claims"
        click.echo(f"{len(result.proposals)} matched no claim confidently: {where}", err=True)
