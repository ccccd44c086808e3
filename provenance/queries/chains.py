"""The recursive SQL behind every question: citation chains, affiliation roll-ups and clusters.

Each function returns the text of one or more common table expressions, to be put after
``WITH RECURSIVE`` in a single statement; they run unchanged on SQLite and PostgreSQL. Every
recursion is cycle-safe: it carries the path it has visited (``/id/id/``) and refuses a step
back onto it, and it stops at :data:`MAX_DEPTH` hops. The loader rejects citation and
affiliation cycles, but a database written to directly can hold them.

``chain_ctes(starts)``
    ``hops(start_id, report_id, via_id, hop, route, anonymous, path, inferred)``: one row per hop
    of every citation chain, from each starting report (``starts``: a ``SELECT`` of report ids)
    through ``via`` to the first-hand report. ``route`` reads "via World Wire via Avalon News
    Agency" (the reporters behind the first; "(inferred)" after one the curator inferred);
    ``anonymous`` is 1 once an anonymous or unattributed reporter was passed; ``inferred`` is 1
    when this hop's report relies on its ``via`` by the curator's inference.
    ``ends(start_id, origin_id, route, anonymous, hops, complete)``: the last hop of each chain;
    ``complete`` is 1 when it is a first-hand report (0: a cycle or the depth cap cut it).
``cluster_ctes(connection, agents)``
    ``clusters(agent_id, cluster_id)``: for each agent of ``agents`` (a ``SELECT`` of agent ids),
    the root of its affiliation tree (the smallest id when there are several; itself when it has
    no affiliation). Agents caught in an affiliation cycle have no row: ``COALESCE`` to the agent.
``member_ctes()``
    ``members(agent_id, depth, through)``: the agent ``:root`` and every agent affiliated to it,
    transitively, each once (its shortest path); ``through`` reads "works for Press Office, part
    of Interior Ministry" up to ``:root``.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

MAX_DEPTH = 50

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


#: SQL: 1 when report ``{}`` relies on its ``via`` by the curator's inference, else 0.
INFERRED = "CASE WHEN {0}.via_inferred THEN 1 ELSE 0 END"


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


def _like_literal(expr: str) -> str:
    """SQL turning ``expr`` into a LIKE pattern matching itself literally (ESCAPE '\\')."""
    return f"replace(replace(replace({expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')"


def not_visited(path: str, node: str) -> str:
    """SQL: ``node`` is not on ``path`` (a ``/a/b/`` string)."""
    return f"{path} NOT LIKE ('%/' || {_like_literal(node)} || '/%') ESCAPE '\\'"


def chain_ctes(starts: str, *, routes: bool = True) -> str:
    """``hops`` and ``ends`` CTEs for the chains starting at the report ids ``starts`` selects.

    Without ``routes``, ``route`` and ``anonymous`` are NULL and the reporters are not read: the
    chains alone, for a question that names each hop's reporter itself.
    """
    if routes:
        first = ("CAST('' AS TEXT), CASE WHEN ra.kind IN ('anonymous', 'unattributed') THEN 1 ELSE 0 END",
                 "JOIN agent ra ON ra.id = r.reporter_id")
        step = ("h.route || ' via ' || va.name"
                " || CASE WHEN h.inferred = 1 THEN ' (inferred)' ELSE '' END,"
                " CASE WHEN h.anonymous = 1 OR va.kind IN ('anonymous', 'unattributed') THEN 1 ELSE 0 END",
                "JOIN agent va ON va.id = v.reporter_id")
    else:
        first = step = ("CAST(NULL AS TEXT), CAST(NULL AS INTEGER)", "")
    return f"""
hops(start_id, report_id, via_id, hop, route, anonymous, path, inferred) AS (
  SELECT r.id, r.id, r.via_id, 1, {first[0]}, '/' || r.id || '/', {INFERRED.format("r")}
  FROM report r {first[1]}
  WHERE r.id IN ({starts})
  UNION ALL
  SELECT h.start_id, v.id, v.via_id, h.hop + 1, {step[0]}, h.path || v.id || '/',
         {INFERRED.format("v")}
  FROM hops h JOIN report v ON v.id = h.via_id {step[1]}
  WHERE h.hop < {MAX_DEPTH} AND {not_visited('h.path', 'v.id')}
),
ends(start_id, origin_id, route, anonymous, hops, complete) AS (
  SELECT start_id, report_id, route, anonymous, hop, CASE WHEN via_id IS NULL THEN 1 ELSE 0 END
  FROM (
    SELECT h.*, ROW_NUMBER() OVER (PARTITION BY h.start_id ORDER BY h.hop DESC) AS last
    FROM hops h
  ) numbered
  WHERE last = 1
)"""


def cluster_ctes(connection: Connection, agents: str) -> str:
    """``up`` and ``clusters`` CTEs: the affiliation root of each agent ``agents`` selects."""
    return f"""
up(agent_id, ancestor_id, depth, path) AS (
  SELECT a.id, a.id, 0, '/' || a.id || '/' FROM agent a WHERE a.id IN ({agents})
  UNION ALL
  SELECT u.agent_id, f.parent_id, u.depth + 1, u.path || f.parent_id || '/'
  FROM up u JOIN affiliation f ON f.agent_id = u.ancestor_id
  WHERE u.depth < {MAX_DEPTH} AND {not_visited('u.path', 'f.parent_id')}
),
clusters(agent_id, cluster_id) AS (
  SELECT u.agent_id, MIN({collate(connection, 'u.ancestor_id')})
  FROM up u
  WHERE NOT EXISTS (SELECT 1 FROM affiliation p WHERE p.agent_id = u.ancestor_id)
  GROUP BY u.agent_id
)"""


def member_ctes() -> str:
    """``down`` and ``members`` CTEs: ``:root`` and everyone affiliated to it, transitively."""
    return f"""
down(agent_id, depth, through, path) AS (
  SELECT a.id, 0, CAST('' AS TEXT), '/' || a.id || '/' FROM agent a WHERE a.id = :root
  UNION ALL
  SELECT f.agent_id, d.depth + 1,
         replace(f.relation, '_', ' ') || ' ' || p.name
           || CASE WHEN d.depth = 0 THEN '' ELSE ', ' || d.through END,
         d.path || f.agent_id || '/'
  FROM down d JOIN affiliation f ON f.parent_id = d.agent_id JOIN agent p ON p.id = d.agent_id
  WHERE d.depth < {MAX_DEPTH} AND {not_visited('d.path', 'f.agent_id')}
),
members(agent_id, depth, through) AS (
  SELECT agent_id, depth, through FROM (
    SELECT d.agent_id, d.depth, d.through,
           ROW_NUMBER() OVER (PARTITION BY d.agent_id ORDER BY d.depth, d.through) AS n
    FROM down d
  ) ranked
  WHERE n = 1
)"""


def collate(connection: Connection, expr: str) -> str:
    """``expr`` ordered by code point on both backends (PostgreSQL may use a locale otherwise)."""
    return f'{expr} COLLATE "C"' if connection.dialect.name == "postgresql" else expr


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
