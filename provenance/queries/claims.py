"""By claim: the list of claims, and the trace of one claim down to its first-hand sources.

``claims`` columns: claim, text, tags, statements, asserts, denies, questions, contested
("yes" when a statement denies it or a claim contradicts it, in either direction).

``trace`` columns, one row per hop: statement, speaker, stance, chain (numbered per statement),
hop (1 = the report in the document), reporter, document, published, excerpt, cites (the
reporter the hop relies on, "first-hand" at the end of the chain, or "cut: ..." when a citation
cycle or the depth cap stops it). A statement nobody reported has one row with the chain empty.

``origins`` columns, one row per independent origin (a distinct first-hand report): origin
(report id), statement, speaker, stance, first_hand (its reporter), cluster (the root of the
speaker's affiliation tree; for an anonymous speaker with no affiliation, of the first-hand
reporter's), chains (how many chains end there), documents (how many documents they start in).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from provenance.queries import REVIEW, Answer, count, marked, stream
from provenance.queries.chains import CHAIN_STARTS, joined, stance_text
from provenance.queries.resolve import AgentRef, ClaimRef
from provenance.queries.verdicts import verdict_notes
from provenance.store.chains import chain_ctes, cluster_ctes, collate

CLAIMS_COLUMNS = ["claim", "text", "tags", "statements", "asserts", "denies", "questions", "contested"]
TRACE_COLUMNS = [
    "statement", "speaker", "stance", "chain", "hop", "reporter", "document", "published",
    "excerpt", "cites",
]
ORIGINS_COLUMNS = [
    "origin", "statement", "speaker", "stance", "first_hand", "cluster", "chains", "documents",
]

#: Asserting statements first, then denials, then questions.
STANCE_ORDER = "CASE s.stance WHEN 'asserts' THEN 0 WHEN 'denies' THEN 1 ELSE 2 END"

CONTESTED = (
    "(EXISTS (SELECT 1 FROM statement x WHERE x.claim_id = c.id AND x.stance = 'denies')"
    " OR EXISTS (SELECT 1 FROM claim_relation cr WHERE cr.relation = 'contradicts'"
    " AND (cr.claim_id = c.id OR cr.other_id = c.id)))"
)


def claims(
    connection: Connection,
    *,
    tag: str | None = None,
    contested: bool = False,
    speaker: AgentRef | None = None,
    quantity: str | None = None,
) -> Answer:
    """Claims with their statement counts, filtered by tag, contestedness, speaker, quantity."""
    tags = joined(connection, "t.tag", "t.tag", "FROM claim_tag t WHERE t.claim_id = c.id")
    conditions = ["1 = 1"]
    if tag is not None:
        conditions.append("EXISTS (SELECT 1 FROM claim_tag ft WHERE ft.claim_id = c.id AND ft.tag = :tag)")
    if contested:
        conditions.append(CONTESTED)
    if speaker is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM statement fs WHERE fs.claim_id = c.id AND fs.speaker_id = :speaker)"
        )
    if quantity is not None:
        conditions.append("c.quantity_key = :quantity")
    # Each claim's counts by its own index range, so that rows stream in id order from the
    # first (a table's page reads 50 claims, not a GROUP BY of every statement first).
    counted = "(SELECT COUNT(*) FROM statement n WHERE n.claim_id = c.id{})"
    sql = f"""
SELECT c.id, c.text, {tags}, {counted.format('')},
       {counted.format(" AND n.stance = 'asserts'")}, {counted.format(" AND n.stance = 'denies'")},
       {counted.format(" AND n.stance = 'questions'")},
       CASE WHEN {CONTESTED} THEN 'yes' ELSE 'no' END
FROM claim c
WHERE {' AND '.join(conditions)}
ORDER BY {collate(connection, 'c.id')}"""
    params = {
        "tag": tag, "speaker": speaker.id if speaker else None, "quantity": quantity,
    }

    def count() -> int:
        return connection.execute(
            text(f"SELECT COUNT(*) FROM claim c WHERE {' AND '.join(conditions)}"), params).scalar_one()

    return Answer(CLAIMS_COLUMNS, stream(connection, sql, CLAIMS_COLUMNS, params), count=count)


#: Whose affiliation cluster an origin needs: the claim's speakers and first-hand reporters,
#: the latter found among the claim's reports materialised first (left to itself, the planner
#: reads "via_id IS NULL" off the via_id index: every first-hand report in the database).
ORIGIN_AGENTS = (
    "SELECT s2.speaker_id FROM statement s2 WHERE s2.claim_id = :claim"
    " UNION SELECT cr.reporter_id FROM claim_reports cr WHERE cr.via_id IS NULL"
)
CLAIM_REPORTS = """
claim_reports AS MATERIALIZED (
  SELECT r2.reporter_id, r2.via_id FROM statement s3 CROSS JOIN report r2
  WHERE s3.claim_id = :claim AND r2.statement_id = s3.id
)"""
#: The joins from an ``ends`` row ``e`` to its origin report ``o``, the origin's statement
#: ``s``, speaker ``sp`` and first-hand reporter ``fa``, and their clusters.
ORIGIN_JOINS = """
JOIN report o ON o.id = e.origin_id
JOIN statement s ON s.id = o.statement_id
JOIN agent sp ON sp.id = s.speaker_id
JOIN agent fa ON fa.id = o.reporter_id
LEFT JOIN clusters scl ON scl.agent_id = sp.id
LEFT JOIN agent sc ON sc.id = scl.cluster_id
LEFT JOIN clusters fcl ON fcl.agent_id = fa.id
LEFT JOIN agent fc ON fc.id = fcl.cluster_id"""
#: An origin's cluster: its speaker's; for an anonymous speaker with no affiliation, its
#: first-hand reporter's.
ORIGIN_CLUSTER = (
    "CASE WHEN sp.kind IN ('anonymous', 'unattributed') AND NOT EXISTS"
    " (SELECT 1 FROM affiliation af WHERE af.agent_id = sp.id)"
    " THEN COALESCE(fc.name, fa.name) ELSE COALESCE(sc.name, sp.name) END"
)


def _claim_starts() -> str:
    return (
        "SELECT r.id FROM report r JOIN statement rs ON rs.id = r.statement_id"
        f" WHERE rs.claim_id = :claim AND {CHAIN_STARTS}"
    )


def trace(connection: Connection, claim: ClaimRef) -> Answer:
    """Every statement on ``claim``, and every citation chain from each document back to the
    first-hand report, one row per hop; the notes sum up origins, clusters, first appearance."""
    # Driven from the chains (one row per hop), then the statements with no chain: a LEFT JOIN
    # from every statement onto the numbered chains would scan them once per statement. Each
    # chain also carries its origin (as :func:`origins` finds it) for the summary, so that the
    # chains are followed once.
    sql = f"""
WITH RECURSIVE {chain_ctes(_claim_starts(), routes=False)},
{CLAIM_REPORTS}, {cluster_ctes(connection, ORIGIN_AGENTS)},
numbered AS (
  SELECT e.start_id, r.statement_id, e.hops AS length,
         DENSE_RANK() OVER (
           PARTITION BY r.statement_id
           ORDER BY sd.published IS NULL, sd.published, {collate(connection, 'e.start_id')}
         ) AS chain,
         o.id AS origin, s.stance AS origin_stance, {ORIGIN_CLUSTER} AS origin_cluster
  FROM ends e JOIN report r ON r.id = e.start_id LEFT JOIN document sd ON sd.id = r.document_id
  {ORIGIN_JOINS}
),
traced AS (
  SELECT s.id AS statement, sp.name AS speaker, {stance_text('s')} AS stance, nb.chain, h.hop,
         rep.name || CASE WHEN r.reporter_stance IS NULL THEN ''
                          ELSE ' (' || r.reporter_stance || ')' END AS reporter,
         r.document_id, d.published, r.excerpt,
         CASE WHEN r.via_id IS NULL THEN 'first-hand'
              WHEN h.hop = nb.length THEN 'cut: citation cycle or too deep'
              ELSE nxa.name || CASE WHEN r.via_inferred THEN ' (inferred)' ELSE '' END END AS cites,
         s.said_on, nb.origin, nb.origin_stance, nb.origin_cluster, r.excerpt_start, s.stance AS raw
  FROM numbered nb
  JOIN statement s ON s.id = nb.statement_id
  JOIN agent sp ON sp.id = s.speaker_id
  JOIN hops h ON h.start_id = nb.start_id
  JOIN report r ON r.id = h.report_id
  JOIN agent rep ON rep.id = r.reporter_id
  LEFT JOIN document d ON d.id = r.document_id
  LEFT JOIN report nx ON nx.id = r.via_id
  LEFT JOIN agent nxa ON nxa.id = nx.reporter_id
  UNION ALL
  SELECT s.id, sp.name, {stance_text('s')}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, s.said_on,
         NULL, NULL, NULL, NULL, s.stance
  FROM statement s JOIN agent sp ON sp.id = s.speaker_id
  WHERE s.claim_id = :claim
    AND NOT EXISTS (SELECT 1 FROM report r WHERE r.statement_id = s.id AND {CHAIN_STARTS})
)
SELECT s.statement, s.speaker, s.stance, s.chain, s.hop, s.reporter, s.document_id, s.published,
       s.excerpt, s.cites, s.origin, s.origin_stance, s.origin_cluster, s.excerpt_start
FROM traced s
ORDER BY {STANCE_ORDER.replace('s.stance', 's.raw')}, s.said_on IS NULL, s.said_on,
         {collate(connection, 's.statement')}, s.chain, s.hop"""
    hidden = ["origin", "origin_stance", "origin_cluster", "excerpt_start"]
    verdicts = verdict_notes(connection, claim.id)  # read before the rows stream
    result = marked(connection, stream(connection, sql, TRACE_COLUMNS + hidden, {"claim": claim.id}))
    found: set[tuple[str, str, str]] = set()
    statements: set[str] = set()
    chains: set[tuple[str, int]] = set()
    first: list[tuple[Any, ...]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            if row["origin"] is not None:
                found.add((row["origin_stance"], row["origin"], row["origin_cluster"]))
            statements.add(row["statement"])
            if row["chain"]:
                chains.add((row["statement"], row["chain"]))
            _first_appearance(first, row)
            for column in hidden:
                del row[column]
            yield row

    def notes() -> list[str]:
        # In the order origins() gives: by stance (asserts, denies, questions).
        origin_rows = [{"stance": stance, "origin": origin, "cluster": cluster}
                       for stance, origin, cluster in sorted(found, key=lambda o: _stance_rank(o[0]))]
        summary = _summary(claim, (len(statements), len(chains)), origin_rows)
        return [summary, *([_first_note(first[0])] if first else []), *verdicts]

    return Answer([*TRACE_COLUMNS, REVIEW], rows(), notes, subject=claim.id)


def _stance_rank(stance: str) -> int:
    """Python's :data:`STANCE_ORDER`."""
    return {"asserts": 0, "denies": 1}.get(stance, 2)


def origins(connection: Connection, claim: ClaimRef) -> Answer:
    """The independent origins of ``claim``: distinct first-hand reports, with their cluster."""
    sql = f"""
WITH RECURSIVE {chain_ctes(_claim_starts())},
{CLAIM_REPORTS}, {cluster_ctes(connection, ORIGIN_AGENTS)}
SELECT o.id, s.id, sp.name, s.stance, fa.name, {ORIGIN_CLUSTER},
       COUNT(*), COUNT(DISTINCT st.document_id)
FROM ends e
JOIN report st ON st.id = e.start_id
{ORIGIN_JOINS}
GROUP BY o.id, s.id, sp.name, s.stance, fa.name, sp.kind, sp.id, sc.name, fc.name, s.said_on
ORDER BY {STANCE_ORDER}, s.said_on IS NULL, s.said_on, {collate(connection, 's.id')},
         {collate(connection, 'o.id')}"""
    verdicts = verdict_notes(connection, claim.id)  # read before the rows stream
    result = marked(connection, stream(connection, sql, ORIGINS_COLUMNS, {"claim": claim.id}))
    found: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for row in result:
            found.append({"stance": row["stance"], "origin": row["origin"], "cluster": row["cluster"]})
            yield row

    def notes() -> list[str]:
        return [_summary(claim, None, found), *verdicts]

    return Answer([*ORIGINS_COLUMNS, REVIEW], rows(), notes, subject=claim.id)


def _summary(claim: ClaimRef, traced: tuple[int, int] | None, origin_rows: list[dict]) -> str:
    """The summary line: ``traced`` counts statements and chains (for a trace); then, by stance,
    the independent origins and their clusters."""
    parts = []
    if traced is not None:
        statements, chains = traced
        parts.append(f"{count(statements, 'statement')}, {count(chains, 'citation chain')}")
    by_stance: dict[str, tuple[set, set]] = {}
    for row in origin_rows:
        found = by_stance.setdefault(row["stance"], (set(), set()))
        found[0].add(row["origin"])
        found[1].add(row["cluster"])
    for stance, (found_origins, clusters) in by_stance.items():
        parts.append(
            f"{stance}: {count(len(found_origins), 'independent origin')} in"
            f" {count(len(clusters), 'affiliation cluster')} ({', '.join(sorted(clusters))})"
        )
    if not origin_rows:
        parts.append("no first-hand report recorded")
    return f"{claim.text} ({claim.id}): " + "; ".join(parts)


def _first_appearance(first: list[tuple[Any, ...]], row: dict[str, Any]) -> None:
    """Keep in ``first`` the earliest dated document reporting a statement on the claim (one
    statement), from :func:`trace`'s rows as they pass: every report in a document starts a
    chain (its hop 1)."""
    if row["hop"] != 1 or row["published"] is None:
        return
    # Python compares strings by code point, as COLLATE "C" (and SQLite) do.
    key = (row["published"], row["document"], row["excerpt_start"], row["statement"], row["reporter"])
    if not first or key[:4] < first[0][:4]:
        first[:] = [key]


def _first_note(first: tuple[Any, ...]) -> str:
    published, document, _, statement, reporter = first
    return f"first appearance: {published} in {document} ({reporter}), statement {statement}"
