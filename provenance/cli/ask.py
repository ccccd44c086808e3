"""Commands that ask the database: speakers, claims, contest, outlets, figures, search.

Each resolves the names typed (:mod:`provenance.queries.resolve`), calls one query
(:mod:`provenance.queries`) and hands the rows to the shared output layer; the summary notes go
to stderr, so stdout holds only data.
"""

from __future__ import annotations

from typing import Any

import click

from provenance.cli.base import Context, cli, format_option, pass_context
from provenance.cli.display import page_limit, show
from provenance.store.vocabulary import AgentKind, values


def _show(answer: Any, fmt: str, empty: str) -> None:
    """The rows stream from the cursor to stdout; the notes, tallied meanwhile, go to stderr."""
    show(answer, fmt, columns=answer.columns, empty_message=empty)
    for note in answer.notes:
        click.echo(note, err=True)


@cli.command()
@click.option("--kind", type=click.Choice(values(AgentKind)), help="Only agents of this kind.")
@format_option
@pass_context
def speakers(context: Context, kind: str | None, fmt: str) -> None:
    """List agents with how many statements each made and how many reports it passed on.

    \b
    Examples:
      provenance speakers
      provenance speakers --kind anonymous --format csv
    """
    from provenance.queries.agents import speakers as query

    with context.engine().connect() as connection:
        _show(query(connection, kind=kind), fmt, "no agents")


@cli.command()
@click.argument("name")
@click.option("--rollup", is_flag=True,
              help="Add every agent affiliated to it, transitively, and through whom.")
@format_option
@pass_context
def speaker(context: Context, name: str, rollup: bool, fmt: str) -> None:
    """Everything an agent said, and every document it reached through which chain.

    NAME is an id, a name or any alias, typed loosely (case, accents and punctuation do not
    matter; one word of a name is enough when only one agent has it).

    \b
    Examples:
      provenance speaker bakhshi
      provenance speaker "Raeisi" --format json
      provenance speaker government-of-iran --rollup
    """
    from provenance.queries.agents import speaker as query
    from provenance.queries.resolve import resolve_agent

    with context.engine().connect() as connection:
        agent = resolve_agent(connection, name)
        _show(query(connection, agent, rollup=rollup, limit=page_limit(fmt)), fmt,
              f"{agent} made no statements")


@cli.command()
@click.option("--tag", help="Only claims with this tag.")
@click.option("--contested", is_flag=True, help="Only claims someone denies or contradicts.")
@click.option("--speaker", "speaker_name", metavar="NAME", help="Only claims this agent speaks on.")
@click.option("--quantity", help="Only numeric claims on this quantity key.")
@format_option
@pass_context
def claims(context: Context, tag: str | None, contested: bool, speaker_name: str | None,
           quantity: str | None, fmt: str) -> None:
    """List claims with how many statements assert, deny or question each.

    \b
    Examples:
      provenance claims --contested
      provenance claims --speaker bakhshi
      provenance claims --quantity kerman-bombing-killed --format markdown
    """
    from provenance.queries.claims import claims as query
    from provenance.queries.resolve import resolve_agent, resolve_quantity

    with context.engine().connect() as connection:
        agent = resolve_agent(connection, speaker_name) if speaker_name else None
        key = resolve_quantity(connection, quantity) if quantity else None
        answer = query(connection, tag=tag, contested=contested, speaker=agent, quantity=key)
        _show(answer, fmt, "no claims match")


@cli.command()
@click.argument("name")
@click.option("--origins", is_flag=True,
              help="List the independent origins (first-hand reports) instead of every hop.")
@format_option
@pass_context
def claim(context: Context, name: str, origins: bool, fmt: str) -> None:
    """Trace a claim: every statement on it, every citation chain down to the first-hand report.

    One row per hop (hop 1 is the document's own report); the summary on stderr counts the
    independent origins and the affiliation clusters behind them, and the first appearance.
    NAME is a claim id, its text, or a part of the text found in one claim only.

    \b
    Examples:
      provenance claim "backed by the United States"
      provenance claim kerman-arrested-32 --format json
      provenance claim isis-backed-by-us --origins
    """
    from provenance.queries import claims as queries
    from provenance.queries.resolve import resolve_claim

    with context.engine().connect() as connection:
        found = resolve_claim(connection, name)
        answer = queries.origins(connection, found) if origins else queries.trace(connection, found)
        _show(answer, fmt, f"no statement on {found}")


@cli.command()
@click.argument("name")
@format_option
@pass_context
def contest(context: Context, name: str, fmt: str) -> None:
    """Set a claim against its counter-claims: who asserts it, who denies it, who holds a claim
    that contradicts it — grouped by affiliation cluster.

    \b
    Examples:
      provenance contest "ISIS is backed by the United States"
      provenance contest "backed by the United States" --format markdown
    """
    from provenance.queries.contest import contest as query
    from provenance.queries.resolve import resolve_claim

    with context.engine().connect() as connection:
        found = resolve_claim(connection, name)
        _show(query(connection, found), fmt, f"no statement on {found} or its counter-claims")


@cli.command()
@format_option
@pass_context
def outlets(context: Context, fmt: str) -> None:
    """List outlets with what they reported: first-hand, second-hand, anonymous, own voice.

    \b
    Example:
      provenance outlets
    """
    from provenance.queries.outlets import outlets as query

    with context.engine().connect() as connection:
        _show(query(connection), fmt, "no outlets")


@cli.command()
@click.argument("name")
@click.option("--only", type=click.Choice(["first-hand", "second-hand", "anonymous", "own-voice"]),
              help="Keep one kind of report.")
@format_option
@pass_context
def outlet(context: Context, name: str, only: str | None, fmt: str) -> None:
    """What an outlet reported first-hand, second-hand (via whom), from anonymous sources, and
    in its own voice.

    \b
    Examples:
      provenance outlet breitbart
      provenance outlet "Media Line" --only anonymous
    """
    from provenance.queries.outlets import outlet as query
    from provenance.queries.resolve import resolve_agent

    with context.engine().connect() as connection:
        agent = resolve_agent(connection, name)
        _show(query(connection, agent, only=only), fmt, f"{agent} reported nothing that matches")


@cli.command()
@click.argument("quantity", required=False)
@format_option
@pass_context
def figures(context: Context, quantity: str | None, fmt: str) -> None:
    """The figures in circulation on one quantity, as a timeline: who gave each, when, and who
    reported it. Without QUANTITY, list the quantities with their ranges.

    \b
    Examples:
      provenance figures
      provenance figures "kerman killed"
      provenance figures kerman-bombing-injured --format csv
    """
    from provenance.queries import figures as queries
    from provenance.queries.resolve import resolve_quantity

    with context.engine().connect() as connection:
        if quantity is None:
            _show(queries.quantities(connection), fmt, "no numeric claims")
            return
        key = resolve_quantity(connection, quantity)
        _show(queries.figures(connection, key), fmt, f"no statement gives a figure for {key}")


@cli.command()
@click.argument("text")
@format_option
@pass_context
def search(context: Context, text: str, fmt: str) -> None:
    """Find claims, quotes and excerpts containing TEXT (case-insensitive).

    \b
    Examples:
      provenance search "suicide"
      provenance search Daesh --format jsonl
    """
    from provenance.queries.search import search as query

    if not text.strip():
        raise click.UsageError("give some text to search for")
    with context.engine().connect() as connection:
        _show(query(connection, text, limit=page_limit(fmt)), fmt, f"nothing contains {text!r}")
