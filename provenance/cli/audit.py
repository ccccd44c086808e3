"""``provenance audit``: check every citation chain and list what is wrong or weak."""

from __future__ import annotations

from contextlib import closing

import click

from provenance.cli.base import Context, cli, format_option, pass_context
from provenance.cli.display import progress, show

RULE_IDS = (
    "evidence", "unsourced", "anonymous", "unverified-hop", "inferred-hop", "hedged",
    "circular-citation", "single-origin",
    "conflicting-figures", "date-anomaly", "common-source", "contested", "unreviewed",
)
SEVERITIES = ("error", "warning", "info")


@cli.command()
@click.option("--claim", metavar="ID", help="Audit one claim (its statements, reports, rivals).")
@click.option("--document", metavar="ID", help="Audit one document and the chains it relies on.")
@click.option("--rule", "rules", multiple=True, type=click.Choice(RULE_IDS),
              help="Run only this rule (repeatable). Default: every rule.")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="Exit with status 1 when a finding of this severity or worse is found.")
@format_option
@pass_context
def audit(context: Context, claim: str | None, document: str | None, rules: tuple[str, ...],
          fail_on: str | None, fmt: str) -> None:
    """Audit citation chains: evidence, sources, independence, figures, dates.

    Findings (error, warning, info) in a stable order; JSON carries the evidence; a summary to stderr.

    \b
    Rules:
      evidence             excerpts moved or texts changed since loading
      unsourced            statements with no report; claims with no statement
      anonymous            chains from or through an anonymous source
      unverified-hop       reports whose document is not in the corpus
      circular-citation    via links that loop
      single-origin        "corroboration" from one report or one cluster
      conflicting-figures  figures for one count that cannot all be true
      date-anomaly         documents older than what they report
      common-source        long verbatim passages shared without citation
      contested            claims asserted and denied, or contradicted
      unreviewed           draft statements; placeholder agents left by drafts

    \b
    Examples:
      provenance audit --rule common-source --rule conflicting-figures
      provenance audit --claim isis-backed-by-us --format markdown
      provenance audit --fail-on error --format json > audit.json
    """
    from provenance.audit import Tally, audit_findings, output_rows

    if claim and document:
        raise click.UsageError("give --claim or --document, not both")
    with progress() as advance:  # the findings are made as show() reads them
        found = audit_findings(context.engine(), claim=claim, document=document,
                               rules=rules or None, progress=advance)
        with closing(found):  # an unfinished stream (| head) is closed while its connection is open
            rows, columns = output_rows((tally := Tally())(found), fmt)  # counted as they stream
            show(rows, fmt, columns=columns, empty_message="no findings")
    click.echo(tally.summary(), err=True)
    if fail_on is not None and (count := tally.failing(fail_on)):
        click.echo(f"failing: {count} finding(s) at or above {fail_on}", err=True)
        raise SystemExit(1)
