"""By outlet: what an outlet reported first-hand, second-hand, from anonymous sources, or said itself.

``outlets`` columns: outlet, name, kind, state_media, documents (it published), reports (it
passed on, in a document or not), first_hand, second_hand, anonymous, own_voice. An outlet is an
agent of kind outlet or news_agency, or any agent that published a document.

``outlet`` columns, one row per report the outlet passed on: hand ("own voice" when the outlet is
the speaker, else "first-hand" or "second-hand"), anonymous ("yes" when the speaker or any
reporter along the chain is of kind anonymous), statement, speaker, claim, stance, document,
published, chain ("first-hand" or "via ..."), excerpt.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

from provenance.queries import REVIEW, Answer, marked, stream
from provenance.queries.chains import STARTED_CHAINS, chain_text, claim_text, stance_text
from provenance.queries.resolve import AgentRef
from provenance.store.chains import chain_ctes, collate

OUTLETS_COLUMNS = [
    "outlet", "name", "kind", "state_media", "documents", "reports", "first_hand", "second_hand",
    "anonymous", "own_voice",
]
OUTLET_COLUMNS = [
    "hand", "anonymous", "statement", "speaker", "claim", "stance", "document", "published",
    "chain", "excerpt",
]
HANDS = ("first-hand", "second-hand", "anonymous", "own-voice")

IS_OUTLET = (
    "(a.kind IN ('outlet', 'news_agency')"
    " OR EXISTS (SELECT 1 FROM document od WHERE od.outlet_id = a.id))"
)
HAND = (
    "CASE WHEN s.speaker_id = ch.reporter_id THEN 'own voice'"
    " WHEN ch.hops = 1 THEN 'first-hand' ELSE 'second-hand' END"
)
ANONYMOUS = "CASE WHEN ch.anonymous = 1 OR sp.kind IN ('anonymous', 'unattributed') THEN 'yes' ELSE 'no' END"


#: Reports whose chain passes an anonymous (or unattributed) reporter: those reporters' own
#: reports and, down the ``via`` links, every report relying on one of them. Walked from the
#: few anonymous reporters rather than up every chain; ``UNION`` keeps it finite on a cycle.
ANONYMOUS_REPORTS = """
anonymous_reports(id) AS (
  SELECT r.id FROM agent a JOIN report r ON r.reporter_id = a.id
  WHERE a.kind IN ('anonymous', 'unattributed')
  UNION
  SELECT c.id FROM anonymous_reports x JOIN report c ON c.via_id = x.id
)"""


def outlets(connection: Connection) -> Answer:
    """Every outlet with counts of what it reported, by hand, anonymity and own voice.

    Set-based, without following each chain: a report is first-hand when it cites no other
    (its chain is one hop), and its chain is anonymous when it is among :data:`ANONYMOUS_REPORTS`.
    """
    sql = f"""
WITH RECURSIVE {ANONYMOUS_REPORTS},
tallies AS (
  SELECT r.reporter_id,
         COUNT(*) AS reports,
         SUM(CASE WHEN s.speaker_id <> r.reporter_id AND r.via_id IS NULL THEN 1 ELSE 0 END) AS first,
         SUM(CASE WHEN s.speaker_id <> r.reporter_id AND r.via_id IS NOT NULL THEN 1 ELSE 0 END)
           AS second,
         SUM(CASE WHEN sp.kind IN ('anonymous', 'unattributed')
                    OR r.id IN (SELECT id FROM anonymous_reports) THEN 1 ELSE 0 END) AS anonymous,
         SUM(CASE WHEN s.speaker_id = r.reporter_id THEN 1 ELSE 0 END) AS own
  FROM report r
  JOIN statement s ON s.id = r.statement_id
  JOIN agent sp ON sp.id = s.speaker_id
  WHERE r.reporter_id IN (SELECT a.id FROM agent a WHERE {IS_OUTLET})
  GROUP BY r.reporter_id
)
SELECT a.id, a.name, a.kind, CASE WHEN a.state_media THEN 'yes' ELSE 'no' END,
       (SELECT COUNT(*) FROM document d WHERE d.outlet_id = a.id),
       COALESCE(t.reports, 0), COALESCE(t.first, 0), COALESCE(t.second, 0),
       COALESCE(t.anonymous, 0), COALESCE(t.own, 0)
FROM agent a LEFT JOIN tallies t ON t.reporter_id = a.id
WHERE {IS_OUTLET}
ORDER BY COALESCE(t.reports, 0) DESC, {collate(connection, 'a.id')}"""
    return Answer(OUTLETS_COLUMNS, stream(connection, sql, OUTLETS_COLUMNS))


def outlet(connection: Connection, agent: AgentRef, *, only: str | None = None) -> Answer:
    """Every report ``agent`` passed on: first-hand, second-hand (via whom), from anonymous
    sources, in its own voice; ``only`` keeps one of :data:`HANDS`."""
    if only is not None and only not in HANDS:
        raise ValueError(f"only must be one of {', '.join(HANDS)}")
    keep = {
        None: "1 = 1",
        "first-hand": f"{HAND} = 'first-hand'",
        "second-hand": f"{HAND} = 'second-hand'",
        "own-voice": f"{HAND} = 'own voice'",
        "anonymous": f"{ANONYMOUS} = 'yes'",
    }[only]
    sql = f"""
WITH RECURSIVE {chain_ctes("SELECT r.id FROM report r WHERE r.reporter_id = :outlet")}
SELECT {HAND}, {ANONYMOUS}, s.id, sp.name, {claim_text('s', 'c')}, {stance_text('s')},
       ch.document_id, d.published,
       {chain_text('ch')}, ch.excerpt
FROM {STARTED_CHAINS} ch
JOIN statement s ON s.id = ch.statement_id
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN claim c ON c.id = s.claim_id
LEFT JOIN document d ON d.id = ch.document_id
WHERE {keep}
ORDER BY d.published IS NULL, d.published, {collate(connection, 'ch.document_id')},
         {collate(connection, 's.id')}, {collate(connection, 'ch.start_id')}"""
    result = marked(connection, stream(connection, sql, OUTLET_COLUMNS, {"outlet": agent.id}))
    counts = dict.fromkeys(("first-hand", "second-hand", "own voice", "anonymous", "reports"), 0)

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            counts["reports"] += 1
            counts[row["hand"]] += 1
            counts["anonymous"] += row["anonymous"] == "yes"
            yield row

    def notes() -> list[str]:
        hands = ", ".join(f"{counts[hand]} {hand}" for hand in ("first-hand", "second-hand", "own voice"))
        return [f"{agent}: {counts['reports']} reports — {hands};"
                f" {counts['anonymous']} from anonymous sources"]

    return Answer([*OUTLET_COLUMNS, REVIEW], rows(), notes, subject=agent.id)
