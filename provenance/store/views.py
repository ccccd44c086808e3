"""Plain SQL views for people who browse the database with sqlite3, psql, Datasette or pandas.

They are rebuilt whenever provenance writes to a database, so they always match this version.

``statement_overview``
    one row per statement: who said it, what claim, stance, cue, quote, date and how many
    documents carry it.
``citation_chain``
    one row per report in a document: the statement, speaker, claim, reporter, the chain of
    intermediaries down to the first-hand report ("first-hand" or "via Mehr News Agency"),
    its length, whether an anonymous source said or passed it on, and the first-hand report it
    ends at.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.sql import text

from provenance.store.chains import chain_ctes

STATEMENT_OVERVIEW = """
SELECT s.id AS statement, sp.name AS speaker, sp.kind AS speaker_kind, s.stance, c.text AS claim,
       s.cue, s.mode, s.quote, s.said_on,
       (SELECT COUNT(DISTINCT r.document_id) FROM report r WHERE r.statement_id = s.id) AS documents,
       s.kind, s.act, s.about, s.modality, s.hedge
FROM statement s JOIN agent sp ON sp.id = s.speaker_id LEFT JOIN claim c ON c.id = s.claim_id
"""

CITATION_CHAIN = f"""
WITH RECURSIVE {chain_ctes("SELECT id FROM report WHERE document_id IS NOT NULL")}
SELECT r.id AS report, r.statement_id AS statement, sp.name AS speaker, c.text AS claim,
       r.document_id AS document, ra.name AS reporter,
       CASE WHEN e.route = '' THEN 'first-hand' ELSE substr(e.route, 2) END AS chain,
       e.hops - 1 AS intermediaries,
       CASE WHEN e.anonymous = 1 OR sp.kind IN ('anonymous', 'unattributed') THEN 1 ELSE 0 END
         AS anonymous_source, e.complete,
       e.origin_id AS first_hand_report, r.excerpt, s.modality, r.reporter_stance
FROM ends e
JOIN report r ON r.id = e.start_id
JOIN statement s ON s.id = r.statement_id
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN claim c ON c.id = s.claim_id
JOIN agent ra ON ra.id = r.reporter_id
"""

VIEWS = {"statement_overview": STATEMENT_OVERVIEW, "citation_chain": CITATION_CHAIN}


def create_views(connection: Connection) -> None:
    """Drop and create every view (inside the caller's transaction)."""
    for name, body in VIEWS.items():
        connection.execute(text(f"DROP VIEW IF EXISTS {name}"))
        connection.execute(text(f"CREATE VIEW {name} AS {body}"))
