"""Pieces of SQL the questions share around the chain walks of :mod:`provenance.store.chains`.

``CHAIN_STARTS`` (the chains worth showing), ``STARTED_CHAINS`` (each chain's end joined with its
starting report), :func:`chain_text` (a chain as words), :func:`stance_text` and
:func:`claim_text` (a statement's stance, modality and hedge, and its claim or expressive act, as
shown) and :func:`joined` (an ordered string aggregate on both backends).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from provenance.store.chains import collate

#: The chains worth showing: every report in a document, and every report nobody cites.
CHAIN_STARTS = (
    "(r.document_id IS NOT NULL"
    " OR NOT EXISTS (SELECT 1 FROM report cited WHERE cited.via_id = r.id))"
)

#: The ``ends`` CTE joined with each chain's starting report, as a subquery to alias.
STARTED_CHAINS = (
    "(SELECT e.start_id, e.origin_id, e.route, e.anonymous, e.hops, e.complete, r.statement_id,"
    " r.reporter_id, r.document_id, r.excerpt FROM ends e JOIN report r ON r.id = e.start_id)"
)


def stance_text(s: str) -> str:
    """SQL: statement ``s``'s stance as shown: "asserts", "asserts (hedged: probably)",
    "asserts (unattributed: reportedly)", or an expressive act's act ("condolence")."""
    return (
        f"CASE WHEN {s}.kind = 'expressive' THEN {s}.act ELSE {s}.stance"
        f" || CASE {s}.modality"
        f" WHEN 'hedged' THEN ' (hedged' || COALESCE(': ' || {s}.hedge, '') || ')'"
        f" WHEN 'reported_unattributed' THEN ' (unattributed' || COALESCE(': ' || {s}.hedge, '') || ')'"
        f" ELSE '' END END"
    )


def claim_text(s: str, c: str) -> str:
    """SQL: the claim ``c`` (LEFT JOINed) of statement ``s``, or what its expressive act is about."""
    return f"COALESCE({c}.text, {s}.about, '')"


def chain_text(alias: str) -> str:
    """SQL: the chain of a ``STARTED_CHAINS`` row as words: "first-hand", "via Mehr ..."."""
    return (
        f"CASE WHEN {alias}.start_id IS NULL THEN NULL"
        f" WHEN {alias}.route = '' THEN 'first-hand' ELSE substr({alias}.route, 2) END"
        f" || CASE WHEN {alias}.complete = 0 THEN ' (cut: citation cycle or too deep)' ELSE '' END"
    )


def joined(connection: Connection, expr: str, order: str, table_sql: str, sep: str = ", ") -> str:
    """A scalar subquery joining ``expr`` over ``table_sql`` (``FROM ... WHERE ...``), in order.

    PostgreSQL has ``string_agg(... ORDER BY ...)``; SQLite 3.40 has no ordered aggregate, so
    its ``group_concat`` reads an ordered subquery (which SQLite keeps in order).
    """
    if connection.dialect.name == "postgresql":
        return f"(SELECT string_agg({expr}, '{sep}' ORDER BY {collate(connection, order)}) {table_sql})"
    return (
        f"(SELECT group_concat(item, '{sep}') FROM"
        f" (SELECT {expr} AS item {table_sql} ORDER BY {order}))"
    )
