"""Counts of what a database holds, per kind of record, in one query."""

from __future__ import annotations

from sqlalchemy import Engine, text

_COUNTS = [
    ("agents", "SELECT COUNT(*) FROM agent"),
    ("anonymous agents", "SELECT COUNT(*) FROM agent WHERE kind = 'anonymous'"),
    ("aliases", "SELECT COUNT(*) FROM agent_alias"),
    ("affiliations", "SELECT COUNT(*) FROM affiliation"),
    ("documents", "SELECT COUNT(*) FROM document"),
    ("claims", "SELECT COUNT(*) FROM claim"),
    ("numeric claims", "SELECT COUNT(*) FROM claim WHERE quantity_key IS NOT NULL"),
    ("claim relations", "SELECT COUNT(*) FROM claim_relation"),
    ("statements", "SELECT COUNT(*) FROM statement"),
    ("reports", "SELECT COUNT(*) FROM report"),
    ("reports in documents", "SELECT COUNT(*) FROM report WHERE document_id IS NOT NULL"),
    ("first-hand reports", "SELECT COUNT(*) FROM report WHERE via_id IS NULL"),
    ("unattributed agents", "SELECT COUNT(*) FROM agent WHERE kind = 'unattributed'"),
    ("expressive statements", "SELECT COUNT(*) FROM statement WHERE kind = 'expressive'"),
    ("hedged or unattributed statements", "SELECT COUNT(*) FROM statement WHERE modality <> 'asserted'"),
    ("quotes", "SELECT COUNT(*) FROM statement_quote"),
    ("inferred hops", "SELECT COUNT(*) FROM report WHERE via_inferred"),
    ("republications outside the corpus",
     "SELECT (SELECT COUNT(*) FROM republication)"
     " + (SELECT COUNT(*) FROM document WHERE republishes_url IS NOT NULL)"),
]


def counts(engine: Engine) -> list[dict[str, object]]:
    """``[{"records": "agents", "count": 41}, ...]`` for every kind of record."""
    query = "SELECT " + ", ".join(f"({sql}) AS c{i}" for i, (_, sql) in enumerate(_COUNTS))
    with engine.connect() as connection:
        values = connection.execute(text(query)).one()
    return [{"records": name, "count": value} for (name, _), value in zip(_COUNTS, values, strict=True)]
