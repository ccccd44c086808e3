"""A claim and its counter-claims side by side, grouped by affiliation cluster.

``contest`` columns, one row per statement on the claim or on a related claim: one that
contradicts it or is the same as it (either direction of ``claim_relation``), one that refines
it (a more specific version) or supports it, and one it supports (so "ISIS is US-backed" meets
the US denial of any role in the bombing it is offered to explain). Columns: position ("for",
"against", "questions" — asserting a contradicting claim, or denying the claim or a claim that
goes with it, is "against"), cluster (the root of the speaker's affiliation tree; for an
anonymous speaker with no affiliation, of its first-hand reporter's), speaker, stance, claim
(its text), relation ("this claim", "contradicts", "same_as", "refines", "supports",
"supported by it"), quote, said_on, reported_by (the reporters of the documents carrying it),
statement.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Connection

from provenance.queries import REVIEW, Answer, count, marked, stream
from provenance.queries.chains import joined
from provenance.queries.resolve import ClaimRef
from provenance.queries.verdicts import verdict_notes
from provenance.store.chains import cluster_ctes, collate

CONTEST_COLUMNS = [
    "position", "cluster", "speaker", "stance", "claim", "relation", "quote", "said_on",
    "reported_by", "statement",
]

POSITION = """CASE
  WHEN s.stance = 'questions' THEN 'questions'
  WHEN (rel.relation = 'contradicts') = (s.stance = 'asserts') THEN 'against'
  ELSE 'for' END"""

POSITION_ORDER = "CASE position WHEN 'for' THEN 0 WHEN 'against' THEN 1 ELSE 2 END"


def contest(connection: Connection, claim: ClaimRef) -> Answer:
    """Who asserts ``claim``, who denies it, which claims contradict it and who holds those."""
    related = """
related(claim_id, relation) AS (
  SELECT c.id, 'this claim' FROM claim c WHERE c.id = :claim
  UNION
  SELECT cr.other_id, CASE cr.relation WHEN 'supports' THEN 'supported by it' ELSE cr.relation END
  FROM claim_relation cr
  WHERE cr.claim_id = :claim AND cr.relation IN ('contradicts', 'same_as', 'supports')
  UNION
  SELECT cr.claim_id, cr.relation FROM claim_relation cr
  WHERE cr.other_id = :claim AND cr.relation IN ('contradicts', 'same_as', 'refines', 'supports')
)"""
    # The first-hand reporters come from the related claims' reports, materialised first: left
    # to itself, the planner reads "via_id IS NULL" off the via_id index, every first-hand report
    # (CROSS JOIN: SQLite keeps that join order, from the few related claims to their reports).
    agents = (
        "SELECT rs.speaker_id FROM statement rs JOIN related rr ON rr.claim_id = rs.claim_id"
        " UNION SELECT fr.reporter_id FROM related_reports fr WHERE fr.via_id IS NULL"
    )
    related_reports = """
related_reports AS MATERIALIZED (
  SELECT fr.reporter_id, fr.via_id
  FROM related fq CROSS JOIN statement fs CROSS JOIN report fr
  WHERE fs.claim_id = fq.claim_id AND fr.statement_id = fs.id
)"""
    reporters = joined(
        connection, "x.name", "x.name",
        "FROM (SELECT DISTINCT ra.name FROM report rr2 JOIN agent ra ON ra.id = rr2.reporter_id"
        " WHERE rr2.statement_id = s.id AND rr2.document_id IS NOT NULL) x",
    )
    first_hand_cluster = (
        f"(SELECT MIN({collate(connection, 'fca.name')}) FROM report fh"
        " JOIN clusters fcl ON fcl.agent_id = fh.reporter_id"
        " JOIN agent fca ON fca.id = fcl.cluster_id WHERE fh.statement_id = s.id AND fh.via_id IS NULL)"
    )
    sql = f"""
WITH RECURSIVE {related}, {related_reports}, {cluster_ctes(connection, agents)},
rows_ AS (
  SELECT {POSITION} AS position,
         CASE WHEN sp.kind IN ('anonymous', 'unattributed')
                   AND NOT EXISTS (SELECT 1 FROM affiliation af WHERE af.agent_id = sp.id)
              THEN COALESCE({first_hand_cluster}, sp.name)
              ELSE COALESCE(sc.name, sp.name) END AS cluster,
         sp.name AS speaker, s.stance, c.text AS claim, rel.relation, s.quote, s.said_on,
         {reporters} AS reported_by, s.id AS statement,
         CASE WHEN rel.relation = 'this claim' THEN 0 ELSE 1 END AS relation_rank
  FROM related rel
  JOIN claim c ON c.id = rel.claim_id
  JOIN statement s ON s.claim_id = rel.claim_id
  JOIN agent sp ON sp.id = s.speaker_id
  LEFT JOIN clusters scl ON scl.agent_id = sp.id
  LEFT JOIN agent sc ON sc.id = scl.cluster_id
)
SELECT position, cluster, speaker, stance, claim, relation, quote, said_on, reported_by, statement
FROM rows_
ORDER BY {POSITION_ORDER}, {collate(connection, 'cluster')}, relation_rank,
         said_on IS NULL, said_on, {collate(connection, 'statement')}"""
    verdicts = verdict_notes(connection, claim.id, related=True)  # read before the rows stream
    result = marked(connection, stream(connection, sql, CONTEST_COLUMNS, {"claim": claim.id}))
    sides: dict[str, tuple[list[int], set[str]]] = {
        position: ([0], set()) for position in ("for", "against", "questions")
    }

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            statements, clusters = sides[row["position"]]
            statements[0] += 1
            clusters.add(row["cluster"])
            yield row

    def notes() -> list[str]:
        found = [f"{claim.text} ({claim.id})"]
        for position, (statements, clusters) in sides.items():
            if statements[0]:
                found.append(
                    f"{position}: {count(statements[0], 'statement')} from"
                    f" {count(len(clusters), 'cluster')} ({', '.join(sorted(clusters))})"
                )
        return found + verdicts

    return Answer([*CONTEST_COLUMNS, REVIEW], rows(), notes, subject=claim.id)
