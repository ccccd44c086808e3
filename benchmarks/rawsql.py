"""The benchmark's questions answered by hand-written SQL, run through the bare DB-API driver.

Each query answers the same question as the library function it is compared with, with the same
recursion (chains through ``via``, roll-up through ``affiliation``), but none of the library's
conveniences: no resolution of names, no notes, tuples instead of dicts. ``:name`` parameters
are rewritten to ``%(name)s`` for psycopg.
"""

from __future__ import annotations

import re
from typing import Any

DEPTH = 50

CHAINS = f"""
hops(start_id, report_id, via_id, hop, route) AS (
  SELECT r.id, r.id, r.via_id, 1, CAST('' AS TEXT) FROM report r WHERE r.id IN (SELECT id FROM starts)
  UNION ALL
  SELECT h.start_id, v.id, v.via_id, h.hop + 1, h.route || ' via ' || a.name
  FROM hops h JOIN report v ON v.id = h.via_id JOIN agent a ON a.id = v.reporter_id
  WHERE h.hop < {DEPTH}
),
ends AS (SELECT start_id, route, hop FROM hops WHERE via_id IS NULL)"""

STARTS_WHERE = ("(r.document_id IS NOT NULL OR NOT EXISTS"
                " (SELECT 1 FROM report c WHERE c.via_id = r.id))")

SPEAKER_ROLLUP = f"""
WITH RECURSIVE members(agent_id, depth) AS (
  SELECT a.id, 0 FROM agent a WHERE a.id = :agent
  UNION
  SELECT f.agent_id, m.depth + 1 FROM affiliation f JOIN members m ON f.parent_id = m.agent_id
  WHERE m.depth < {DEPTH}
),
starts AS (
  SELECT r.id FROM report r JOIN statement s ON s.id = r.statement_id
  WHERE s.speaker_id IN (SELECT agent_id FROM members) AND {STARTS_WHERE}
),
{CHAINS}
SELECT s.id, sp.name, c.text, s.stance, s.cue, s.quote, s.said_on, rep.name, r.document_id,
       d.published, e.route
FROM statement s
JOIN agent sp ON sp.id = s.speaker_id
JOIN claim c ON c.id = s.claim_id
LEFT JOIN report r ON r.statement_id = s.id AND r.id IN (SELECT id FROM starts)
LEFT JOIN ends e ON e.start_id = r.id
LEFT JOIN agent rep ON rep.id = r.reporter_id
LEFT JOIN document d ON d.id = r.document_id
WHERE s.speaker_id IN (SELECT agent_id FROM members)
ORDER BY s.said_on, s.id, d.published, r.id"""

TRACE = f"""
WITH RECURSIVE starts AS (
  SELECT r.id FROM report r JOIN statement s ON s.id = r.statement_id
  WHERE s.claim_id = :claim AND {STARTS_WHERE}
),
{CHAINS}
SELECT s.id, sp.name, s.stance, h.start_id, h.hop, rep.name, r.document_id, d.published,
       r.excerpt, nxa.name
FROM statement s
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN report sr ON sr.statement_id = s.id AND sr.id IN (SELECT id FROM starts)
LEFT JOIN hops h ON h.start_id = sr.id
LEFT JOIN report r ON r.id = h.report_id
LEFT JOIN agent rep ON rep.id = r.reporter_id
LEFT JOIN document d ON d.id = r.document_id
LEFT JOIN report nx ON nx.id = r.via_id
LEFT JOIN agent nxa ON nxa.id = nx.reporter_id
WHERE s.claim_id = :claim
ORDER BY s.stance, s.said_on, s.id, h.start_id, h.hop"""

CONTEST = f"""
WITH RECURSIVE related(claim_id, relation) AS (
  SELECT c.id, CAST('this claim' AS VARCHAR(40)) FROM claim c WHERE c.id = :claim
  UNION SELECT other_id, relation FROM claim_relation WHERE claim_id = :claim
  UNION SELECT claim_id, relation FROM claim_relation WHERE other_id = :claim
),
speakers AS (
  SELECT DISTINCT s.speaker_id AS agent_id FROM related rel CROSS JOIN statement s
  WHERE s.claim_id = rel.claim_id
),
up(agent_id, ancestor_id, depth) AS (
  SELECT agent_id, agent_id, 0 FROM speakers
  UNION
  SELECT u.agent_id, f.parent_id, u.depth + 1 FROM up u JOIN affiliation f ON f.agent_id = u.ancestor_id
  WHERE u.depth < {DEPTH}
),
clusters AS (
  SELECT u.agent_id, MIN(u.ancestor_id) AS cluster_id FROM up u
  WHERE NOT EXISTS (SELECT 1 FROM affiliation p WHERE p.agent_id = u.ancestor_id)
  GROUP BY u.agent_id
)
SELECT CASE WHEN s.stance = 'questions' THEN 'questions'
            WHEN (rel.relation = 'contradicts') = (s.stance = 'asserts') THEN 'against'
            ELSE 'for' END AS position,
       COALESCE(ca.name, sp.name), sp.name, s.stance, c.text, rel.relation, s.quote, s.said_on,
       (SELECT MIN(ra.name) FROM report rr JOIN agent ra ON ra.id = rr.reporter_id
        WHERE rr.statement_id = s.id AND rr.document_id IS NOT NULL),
       s.id
FROM related rel
JOIN claim c ON c.id = rel.claim_id
JOIN statement s ON s.claim_id = rel.claim_id
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN clusters cl ON cl.agent_id = sp.id
LEFT JOIN agent ca ON ca.id = cl.cluster_id
ORDER BY 1, 2, s.said_on, s.id"""

FIGURES = f"""
WITH RECURSIVE starts AS (
  SELECT r.id FROM report r JOIN statement s ON s.id = r.statement_id
  JOIN claim c ON c.id = s.claim_id
  WHERE c.quantity_key = :quantity AND {STARTS_WHERE}
),
{CHAINS}
SELECT COALESCE(s.said_on, d.published), c.value, c.qualifier, c.unit, sp.name, s.stance,
       rep.name || e.route, r.document_id, c.id, s.id
FROM claim c
JOIN statement s ON s.claim_id = c.id
JOIN agent sp ON sp.id = s.speaker_id
LEFT JOIN report r ON r.statement_id = s.id AND r.id IN (SELECT id FROM starts)
LEFT JOIN ends e ON e.start_id = r.id
LEFT JOIN agent rep ON rep.id = r.reporter_id
LEFT JOIN document d ON d.id = r.document_id
WHERE c.quantity_key = :quantity
ORDER BY 1, c.value, sp.name, s.id, r.id"""

QUERIES = {"speaker": (SPEAKER_ROLLUP, "agent"), "trace": (TRACE, "claim"),
           "contest": (CONTEST, "claim"), "figures": (FIGURES, "quantity")}


def run(connection: Any, question: str, key: str, paramstyle: str) -> list[tuple[Any, ...]]:
    """Answer ``question`` for ``key`` on a DB-API connection (sqlite3 or psycopg)."""
    sql, name = QUERIES[question]
    if paramstyle == "pyformat":
        sql = re.sub(r":([a-z]+)\b", r"%(\1)s", sql)
    cursor = connection.cursor()
    cursor.execute(sql, {name: key})
    rows = cursor.fetchall()
    cursor.close()
    return rows
