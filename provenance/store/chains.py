"""Walking citation chains and affiliations: the one cycle-safe recursion every question uses.

Every walk is built by :func:`walk`: a recursive common table expression that carries the path
it has visited (``/id/id/``), refuses a step back onto it (:func:`not_visited`) and follows at
most :data:`MAX_DEPTH` nodes. The loader rejects citation and affiliation cycles, but a
database written to directly can hold them. The SQL is text, to be put after ``WITH RECURSIVE``
in one statement, and runs unchanged on SQLite and PostgreSQL; :func:`as_select` hands a walk
to SQLAlchemy Core (the audit's queries).

``chain_ctes(starts)``
    ``hops(start_id, report_id, via_id, hop, route, anonymous, inferred, path)``: one row per hop
    of every citation chain, from each starting report (``starts``: a ``SELECT`` of report ids)
    through ``via`` to the first-hand report. ``route`` reads "via World Wire via Avalon News
    Agency" (the reporters behind the first; "(inferred)" after one the curator inferred);
    ``anonymous`` is 1 once an anonymous or unattributed reporter was passed; ``inferred`` is 1
    when this hop's report relies on its ``via`` by the curator's inference.
    ``ends(start_id, origin_id, route, anonymous, hops, complete)``: the last hop of each chain;
    ``complete`` is 1 when it is a first-hand report (0: a cycle or the depth cap cut it).
``forest_cte(reports)``
    ``forest(id, root_id, depth, statement_id, reporter_id, document_id, undoc_path, anon_path,
    path)``: the other direction, from every first-hand report down the ``via`` links to every
    report relying on it (restricted to ``reports`` when given), with the ``|a|b|`` lists of the
    undocumented and the anonymous (or unattributed) reports from the root down to it. Reports
    caught in a citation loop are never reached from a root.
``ancestor_ctes(agents)``
    ``up(agent_id, ancestor_id, depth, path)``: each agent of ``agents`` (a ``SELECT`` of agent
    ids) and every agent above it through affiliations; ``tops(agent_id, top_id)``: the topmost
    of those (an agent with no affiliation is its own top). Agents caught in an affiliation cycle
    have no top.
``cluster_ctes(connection, agents)``
    ``up`` and ``clusters(agent_id, cluster_id)``: the one root of each agent's affiliation tree
    (the smallest id when there are several). Agents caught in a cycle have no row: ``COALESCE``
    to the agent.
``member_ctes()``
    ``members(agent_id, depth, through)``: the agent ``:root`` and every agent affiliated to it,
    transitively, each once (its shortest path); ``through`` reads "works for Press Office, part
    of Interior Ministry" up to ``:root``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, String, column, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import TextualSelect

#: The most nodes (reports, agents) one walk follows; a longer chain is cut there.
MAX_DEPTH = 64

#: The agent kinds that name no source: counted as anonymous in chains and by the audit.
UNNAMED = ("anonymous", "unattributed")

#: SQL: 1 when report ``{0}`` relies on its ``via`` by the curator's inference, else 0.
INFERRED = "CASE WHEN {0}.via_inferred THEN 1 ELSE 0 END"

#: The chain separator in ``path`` and in the forest's ``undoc_path`` / ``anon_path``.
SEP = "|"


def _like_literal(expr: str) -> str:
    """SQL turning ``expr`` into a LIKE pattern matching itself literally (ESCAPE '\\')."""
    return f"replace(replace(replace({expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')"


def not_visited(path: str, node: str) -> str:
    """SQL: ``node`` is not on ``path`` (a ``/a/b/`` string): the visited check of every walk."""
    return f"{path} NOT LIKE ('%/' || {_like_literal(node)} || '/%') ESCAPE '\\'"


def walk(
    name: str,
    columns: Sequence[str],
    *,
    anchor: tuple[str, str, str],
    step: tuple[str, str, str],
    prior: str,
    depth: str = "depth",
    first: int = 0,
) -> str:
    """A cycle-safe recursive CTE ``name(*columns, path)``.

    ``anchor`` and ``step`` are each (select list without the path, the node id the row stands
    on, ``FROM ... [WHERE ...]`` — a step's FROM names the CTE as ``prior`` and has no WHERE:
    put its conditions in its joins). ``columns`` names the select list and includes ``depth``,
    which the anchor sets to ``first`` and each step adds one to; a step is refused past
    :data:`MAX_DEPTH` nodes or onto a node already on the path.
    """
    select, node, source = anchor
    step_select, step_node, step_source = step
    return f"""
{name}({', '.join(columns)}, path) AS (
  SELECT {select}, '/' || {node} || '/'
  {source}
  UNION ALL
  SELECT {step_select}, {prior}.path || {step_node} || '/'
  {step_source}
  WHERE {prior}.{depth} < {first + MAX_DEPTH - 1} AND {not_visited(f'{prior}.path', step_node)}
)"""


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
    hops = walk(
        "hops", ["start_id", "report_id", "via_id", "hop", "route", "anonymous", "inferred"],
        anchor=(f"r.id, r.id, r.via_id, 1, {first[0]}, {INFERRED.format('r')}", "r.id",
                f"FROM report r {first[1]} WHERE r.id IN ({starts})"),
        step=(f"h.start_id, v.id, v.via_id, h.hop + 1, {step[0]}, {INFERRED.format('v')}", "v.id",
              f"FROM hops h JOIN report v ON v.id = h.via_id {step[1]}"),
        prior="h", depth="hop", first=1,
    )
    return hops + """,
ends(start_id, origin_id, route, anonymous, hops, complete) AS (
  SELECT start_id, report_id, route, anonymous, hop, CASE WHEN via_id IS NULL THEN 1 ELSE 0 END
  FROM (
    SELECT h.*, ROW_NUMBER() OVER (PARTITION BY h.start_id ORDER BY h.hop DESC) AS last
    FROM hops h
  ) numbered
  WHERE last = 1
)"""


def forest_cte(reports: str | None = None) -> str:
    """The ``forest`` CTE: every report reached from a first-hand report down the ``via`` links.

    ``reports`` (a ``SELECT`` of report ids) restricts the walk to those reports.
    """
    within = "" if reports is None else f" AND {{alias}}.id IN ({reports})"

    def mark(alias: str, condition: str) -> str:
        return f"CASE WHEN {condition} THEN {alias}.id || '{SEP}' ELSE '' END"

    def anonymous(alias: str) -> str:
        return (f"EXISTS (SELECT 1 FROM agent x WHERE x.id = {alias}.reporter_id"
                " AND x.kind IN ('anonymous', 'unattributed'))")

    return walk(
        "forest", ["id", "root_id", "depth", "statement_id", "reporter_id", "document_id",
                   "undoc_path", "anon_path"],
        anchor=(f"r.id, r.id, 0, r.statement_id, r.reporter_id, r.document_id,"
                f" '{SEP}' || {mark('r', 'r.document_id IS NULL')},"
                f" '{SEP}' || {mark('r', anonymous('r'))}", "r.id",
                "FROM report r WHERE r.via_id IS NULL" + within.format(alias="r")),
        # Each step probes report.via_id's index from the reports reached so far.
        step=(f"c.id, f.root_id, f.depth + 1, c.statement_id, c.reporter_id, c.document_id,"
              f" f.undoc_path || {mark('c', 'c.document_id IS NULL')},"
              f" f.anon_path || {mark('c', anonymous('c'))}", "c.id",
              "FROM forest f JOIN report c ON c.via_id = f.id" + within.format(alias="c")),
        prior="f",
    )


def _up(agents: str) -> str:
    return walk(
        "up", ["agent_id", "ancestor_id", "depth"],
        anchor=("a.id, a.id, 0", "a.id", f"FROM agent a WHERE a.id IN ({agents})"),
        step=("u.agent_id, f.parent_id, u.depth + 1", "f.parent_id",
              "FROM up u JOIN affiliation f ON f.agent_id = u.ancestor_id"),
        prior="u",
    )


def ancestor_ctes(agents: str) -> str:
    """``up`` and ``tops`` CTEs: each agent ``agents`` selects, its ancestors and its topmost ones."""
    up = _up(agents)
    return up + """,
tops(agent_id, top_id) AS (
  SELECT DISTINCT u.agent_id, u.ancestor_id
  FROM up u
  WHERE NOT EXISTS (SELECT 1 FROM affiliation p WHERE p.agent_id = u.ancestor_id)
)"""


def cluster_ctes(connection: Connection, agents: str) -> str:
    """``up`` and ``clusters`` CTEs: the affiliation root of each agent ``agents`` selects."""
    up = _up(agents)
    return up + f""",
clusters(agent_id, cluster_id) AS (
  SELECT u.agent_id, MIN({collate(connection, 'u.ancestor_id')})
  FROM up u
  WHERE NOT EXISTS (SELECT 1 FROM affiliation p WHERE p.agent_id = u.ancestor_id)
  GROUP BY u.agent_id
)"""


def member_ctes() -> str:
    """``down`` and ``members`` CTEs: ``:root`` and everyone affiliated to it, transitively."""
    down = walk(
        "down", ["agent_id", "depth", "through"],
        anchor=("a.id, 0, CAST('' AS TEXT)", "a.id", "FROM agent a WHERE a.id = :root"),
        step=("f.agent_id, d.depth + 1,"
              " replace(f.relation, '_', ' ') || ' ' || p.name"
              " || CASE WHEN d.depth = 0 THEN '' ELSE ', ' || d.through END", "f.agent_id",
              "FROM down d JOIN affiliation f ON f.parent_id = d.agent_id JOIN agent p ON p.id = d.agent_id"),
        prior="d",
    )
    return down + """,
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


def as_select(ctes: str, query: str, columns: Sequence[str], **params: Any) -> TextualSelect:
    """``WITH RECURSIVE ctes query`` as a SQLAlchemy Core select of ``columns`` (text; ``depth``
    and ``hop`` integers) with its bound ``params``: a walk for the audit's Core queries, to use
    in ``IN (...)``, as a subquery or in an ``INSERT ... SELECT`` (both backends accept a
    ``WITH`` there)."""
    typed = [column(name, Integer if name in ("depth", "hop") else String) for name in columns]
    clause = text(f"WITH RECURSIVE {ctes}\n{query}")
    if params:
        clause = clause.bindparams(**params)
    return clause.columns(*typed)
