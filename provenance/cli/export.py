"""Standard interchange: ``export`` (W3C PROV, schema.org, Web Annotation, CSV) and
``import claimreview`` (fact-check verdicts from schema.org ClaimReview)."""

from __future__ import annotations

from pathlib import Path

import click

from provenance.cli.base import Context, cli, pass_context

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
    from provenance.export import Scope, export_to

    if sum(name is not None for name in (claim_name, speaker_name, document)) > 1:
        raise click.UsageError("give at most one of --claim, --speaker and --document")
    if fmt == "csv" and out is None:
        raise click.UsageError("--format csv writes one file per table: give a folder with --out")
    engine = context.engine()
    scope = Scope.named(engine, claim=claim_name, speaker=speaker_name, document=document)
    written = export_to(engine, fmt, scope, out, click.get_text_stream("stdout"))
    click.echo(f"{fmt}: " + ", ".join(written) + (f" written to {out}" if out else ""), err=True)
