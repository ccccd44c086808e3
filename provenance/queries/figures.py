"""By figure: the numbers in circulation on one quantity (a death toll, the injured), as a timeline.

``quantities`` columns: quantity, claims, statements, lowest, highest, unit.

``figures`` columns, one row per statement and chain (a report in a document, or a report that
nobody cites): date (the statement's ``said_on``, else the document's publication date), figure
("at least 84", "nearly 100", "73"), value, qualifier, unit, speaker, stance, reported_by (the
reporter, then "via ..." the reporters behind it), document, claim, statement. A statement
nobody reported has one row with the report columns empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

from provenance.queries import REVIEW, Answer, count, figure, marked, stream
from provenance.queries.chains import CHAIN_STARTS, STARTED_CHAINS
from provenance.store.chains import chain_ctes, collate

QUANTITIES_COLUMNS = ["quantity", "claims", "statements", "lowest", "highest", "unit"]
FIGURES_COLUMNS = [
    "date", "figure", "value", "qualifier", "unit", "speaker", "stance", "reported_by",
    "document", "claim", "statement",
]


def quantities(connection: Connection) -> Answer:
    """Every quantity key with how many claims and statements give a figure, and their range."""
    sql = f"""
SELECT c.quantity_key, COUNT(DISTINCT c.id), COUNT(s.id), MIN(c.value), MAX(c.value), MIN(c.unit)
FROM claim c LEFT JOIN statement s ON s.claim_id = c.id
WHERE c.quantity_key IS NOT NULL
GROUP BY c.quantity_key
ORDER BY {collate(connection, 'c.quantity_key')}"""
    return Answer(QUANTITIES_COLUMNS, stream(connection, sql, QUANTITIES_COLUMNS))


def figures(connection: Connection, quantity: str) -> Answer:
    """Every figure given for ``quantity`` (a quantity key): when, by whom, reported by whom."""
    starts = (
        "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
        " JOIN claim rc ON rc.id = rs.claim_id"
        f" WHERE rc.quantity_key = :quantity AND {CHAIN_STARTS}"
    )
    sql = f"""
WITH RECURSIVE {chain_ctes(starts)}
SELECT COALESCE(s.said_on, d.published) AS date, NULL, c.value, c.qualifier, c.unit, sp.name,
       s.stance,
       rep.name || ch.route
         || CASE WHEN ch.complete = 0 THEN ' (cut: citation cycle or too deep)' ELSE '' END,
       ch.document_id, c.id, s.id
FROM claim c
JOIN statement s ON s.claim_id = c.id
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN {STARTED_CHAINS} ch ON ch.statement_id = s.id
LEFT JOIN agent rep ON rep.id = ch.reporter_id
LEFT JOIN document d ON d.id = ch.document_id
WHERE c.quantity_key = :quantity
ORDER BY COALESCE(s.said_on, d.published) IS NULL, COALESCE(s.said_on, d.published), c.value,
         {collate(connection, 'sp.name')}, {collate(connection, 's.id')},
         {collate(connection, 'ch.start_id')}"""
    result = marked(connection, stream(connection, sql, FIGURES_COLUMNS, {"quantity": quantity}))
    given: set[tuple[Any, str | None]] = set()
    speakers: set[str] = set()

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            row["figure"] = figure(row["value"], row["qualifier"])
            given.add((row["value"], row["figure"]))
            speakers.add(row["speaker"])
            yield row

    def notes() -> list[str]:
        shown = sorted(given)
        return [f"{quantity}: {count(len(shown), 'figure')} in circulation"
                + (f" ({', '.join(text for _, text in shown)})" if shown else "")
                + f" from {count(len(speakers), 'speaker')}"]

    return Answer([*FIGURES_COLUMNS, REVIEW], rows(), notes, subject=quantity)
