"""Fact-check verdicts on a claim (imported from ClaimReview), for the notes of ``claim`` and
``contest`` and for the claim reports.

``verdicts`` columns: claim, reviewer, rating (the verdict in words, else its value on its
scale), reviewed_on, url, verdict (id); newest review first, then by reviewer and id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from provenance.queries import fetch
from provenance.queries.chains import collate

VERDICT_COLUMNS = ["claim", "reviewer", "rating", "reviewed_on", "url", "verdict"]


def verdicts(connection: Connection, claim_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The verdicts on the claims ``claim_ids``."""
    if not claim_ids:
        return []
    sql = f"""
SELECT v.claim_id, v.reviewer,
       COALESCE(v.rating_alternate_name,
                v.rating_value || CASE WHEN v.best_rating IS NULL THEN '' ELSE '/' || v.best_rating END),
       v.reviewed_on, v.url, v.id
FROM verdict v WHERE v.claim_id IN :claims
ORDER BY v.reviewed_on IS NULL, v.reviewed_on DESC, {collate(connection, 'v.reviewer')},
         {collate(connection, 'v.id')}"""
    result = connection.execute(text(sql).bindparams(bindparam("claims", expanding=True)),
                                {"claims": list(claim_ids)})
    rows = [dict(zip(VERDICT_COLUMNS, row, strict=True)) for row in result]
    for row in rows:
        if row["reviewed_on"] is not None and not isinstance(row["reviewed_on"], str):
            row["reviewed_on"] = row["reviewed_on"].isoformat()
    return rows


def related_claims(connection: Connection, claim_id: str) -> list[str]:
    """``claim_id`` and the claims it is related to, either way (as ``contest`` shows them)."""
    rows = fetch(connection, """
SELECT other_id FROM claim_relation WHERE claim_id = :claim
UNION SELECT claim_id FROM claim_relation WHERE other_id = :claim""", ["id"], {"claim": claim_id})
    return [claim_id, *sorted(row["id"] for row in rows)]


def verdict_notes(connection: Connection, claim_id: str, *, related: bool = False) -> list[str]:
    """One line per verdict on the claim (and, with ``related``, on its related claims):
    ``fact-check: False (Example Fact Check, 2024-01-12) https://...``."""
    claims = related_claims(connection, claim_id) if related else [claim_id]
    notes = []
    for row in verdicts(connection, claims):
        on = "" if row["claim"] == claim_id else f" on {row['claim']}"
        when = f", {row['reviewed_on']}" if row["reviewed_on"] else ""
        url = f" {row['url']}" if row["url"] else ""
        notes.append(f"fact-check{on}: {row['rating']} ({row['reviewer']}{when}){url}")
    return notes
