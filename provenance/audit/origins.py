"""Rule ``single-origin``: "corroboration" that all comes from one source or one cluster.

For each claim, the chains of its *asserting* statements are followed to their roots (the
first-hand reports). A chain is counted at its outer end: a report no other report relies on.
With at least two chains (else there is nothing to corroborate):

* all chains end in **one first-hand report** — several documents, one origin; or
* the first-hand reports are several, from at least two different origins, but the **origins
  share one affiliation cluster** (a minister and the state news agency).

One speaker heard first-hand by two outlets is not flagged: that is one statement reported
twice (a quote, a slogan, a group's own claim), not a show of corroboration; when the copies are
word for word, ``common-source`` finds them.

The origin of a first-hand report is its statement's speaker; for an anonymous speaker, known
only through whoever heard it, the first-hand reporter. Its cluster is the set of topmost
ancestors in the affiliation graph (every relation counts: member of, works for, controlled by,
part of, affiliated with); an agent with no affiliation is its own top. Origins are one cluster
when some top agent is an ancestor of every one of them: a government, its ministers and its own
media. All of it is SQL: per-root counts, the affiliation walk (``ancestor_ctes`` of
:mod:`provenance.store.chains`) and the covering test; Python only describes the claims found.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    case,
    distinct,
    exists,
    func,
    insert,
    select,
)

from provenance.audit.chains import fetch_by_ids
from provenance.audit.context import AGENT, CLAIM, REPORT, STATEMENT, AuditContext
from provenance.audit.findings import Finding, Severity, shorten
from provenance.store.chains import ancestor_ctes, as_select

RULE = "single-origin"


def single_origin(context: AuditContext) -> list[Finding]:
    """Claims whose asserting chains all lead to one first-hand report or one cluster."""
    chain = context.chain()
    child = REPORT.alias("child")
    outer_end = ~exists().where(child.c.via_id == chain.c.id)
    per_root_query = (
        select(STATEMENT.c.claim_id, chain.c.root_id, func.count().label("chains"))
        .join(STATEMENT, STATEMENT.c.id == chain.c.statement_id)
        .where(STATEMENT.c.stance == "asserts", outer_end)
        .group_by(STATEMENT.c.claim_id, chain.c.root_id)
    )
    per_root_query = context.within(per_root_query, STATEMENT.c.claim_id, context.claims())
    # Computed once into a temporary table: both queries below read it.
    per_root = Table(
        "audit_per_root_" + uuid.uuid4().hex[:8], MetaData(),
        Column("claim_id", String(120)), Column("root_id", String(400)), Column("chains", Integer),
        prefixes=["TEMPORARY"],
    )
    per_root.create(context.connection)
    try:
        context.connection.execute(
            insert(per_root).from_select(["claim_id", "root_id", "chains"], per_root_query))
        one_root, clusters = _flagged(context, per_root)
    finally:
        per_root.drop(context.connection, checkfirst=True)
    return _describe(context, one_root, clusters)


def _flagged(context: AuditContext, per_root: Table) -> tuple[set[str], dict[str, list[str]]]:
    """Claims with one root, and claims whose several roots share a cluster (with its tops)."""
    per_claim = (
        select(per_root.c.claim_id, func.count().label("roots"), func.sum(per_root.c.chains).label("chains"))
        .group_by(per_root.c.claim_id)
        .having(func.sum(per_root.c.chains) >= 2)
        .cte("per_claim")
    )
    root_report = REPORT.alias("root_report")
    root_statement = STATEMENT.alias("root_statement")
    speaker = AGENT.alias("speaker")
    origin = (
        select(
            per_root.c.claim_id,
            per_root.c.root_id,
            case((speaker.c.kind.in_(("anonymous", "unattributed")), root_report.c.reporter_id),
                 else_=root_statement.c.speaker_id).label("agent_id"),
        )
        .join(root_report, root_report.c.id == per_root.c.root_id)
        .join(root_statement, root_statement.c.id == root_report.c.statement_id)
        .join(speaker, speaker.c.id == root_statement.c.speaker_id)
        .join(per_claim, per_claim.c.claim_id == per_root.c.claim_id)
        .where(per_claim.c.roots >= 2)
        .cte("origin")
    )
    tops = _tops(per_root)
    cover = (
        select(origin.c.claim_id, tops.c.top_id)
        .join(tops, tops.c.agent_id == origin.c.agent_id)
        .join(per_claim, per_claim.c.claim_id == origin.c.claim_id)
        .group_by(origin.c.claim_id, tops.c.top_id, per_claim.c.roots)
        .having(func.count(distinct(origin.c.root_id)) == per_claim.c.roots,
                func.count(distinct(origin.c.agent_id)) >= 2)
    )
    clusters: dict[str, list[str]] = defaultdict(list)
    for row in context.connection.execute(cover):
        clusters[row.claim_id].append(row.top_id)
    single = select(per_claim.c.claim_id).where(per_claim.c.roots == 1)
    one_root = {row.claim_id for row in context.connection.execute(single)}
    return one_root, clusters


def _tops(per_root: Table) -> Any:
    """(agent_id, top_id): the topmost affiliation ancestors of the origins of ``per_root``'s roots."""
    origins = (
        "SELECT CASE WHEN osp.kind IN ('anonymous', 'unattributed') THEN orr.reporter_id"
        " ELSE ors.speaker_id END"
        f" FROM {per_root.name} opr JOIN report orr ON orr.id = opr.root_id"
        " JOIN statement ors ON ors.id = orr.statement_id JOIN agent osp ON osp.id = ors.speaker_id"
    )
    return as_select(ancestor_ctes(origins), "SELECT agent_id, top_id FROM tops",
                     ["agent_id", "top_id"]).subquery("tops")


def _describe(context: AuditContext, one_root: set[str], clusters: dict[str, list[str]]) -> list[Finding]:
    flagged = one_root | set(clusters)
    if not flagged:
        return []
    chain = context.chain()
    root_report = REPORT.alias("root_report")
    root_statement = STATEMENT.alias("root_statement")
    child = REPORT.alias("child")
    query = (
        select(STATEMENT.c.claim_id, CLAIM.c.text, chain.c.id, chain.c.document_id, chain.c.root_id,
               root_report.c.reporter_id, root_statement.c.speaker_id)
        .join(STATEMENT, STATEMENT.c.id == chain.c.statement_id)
        .join(CLAIM, CLAIM.c.id == STATEMENT.c.claim_id)
        .join(root_report, root_report.c.id == chain.c.root_id)
        .join(root_statement, root_statement.c.id == root_report.c.statement_id)
        .where(STATEMENT.c.stance == "asserts", ~exists().where(child.c.via_id == chain.c.id))
    )
    rows: dict[str, list[Any]] = defaultdict(list)
    for row in fetch_by_ids(context.connection, query, STATEMENT.c.claim_id, flagged):
        rows[row.claim_id].append(row)
    names = _names(context, {top for tops in clusters.values() for top in tops})
    findings = []
    for claim_id in sorted(flagged):
        claim_rows = rows[claim_id]
        origins = sorted({(row.root_id, row.speaker_id, row.reporter_id) for row in claim_rows})
        ends = sorted({row.document_id or row.id for row in claim_rows})
        evidence = {
            "chains": len(claim_rows),
            "outer_ends": ends,
            "first_hand": [{"report": r, "speaker": s, "reporter": p} for r, s, p in origins],
        }
        text = shorten(claim_rows[0].text, 60)
        if claim_id in one_root:
            _, speaker, reporter = origins[0]
            message = (f"all {len(claim_rows)} chains asserting «{text}» lead back to one first-hand"
                       f" report ({speaker}, reported by {reporter}): one source, not corroboration")
        else:
            tops = sorted(clusters[claim_id])
            evidence["cluster"] = tops
            shown = " / ".join(names.get(top, top) for top in tops)
            speakers = sorted({s for _, s, _ in origins})
            message = (f"the {len(origins)} first-hand reports asserting «{text}» all come from one"
                       f" affiliation cluster, {shown} ({', '.join(speakers)}): not independent")
        findings.append(Finding(RULE, Severity.warning, "claim", claim_id, message, evidence))
    return findings


def _names(context: AuditContext, ids: set[str]) -> dict[str, str]:
    query = select(AGENT.c.id, AGENT.c.name)
    return {row.id: row.name for row in fetch_by_ids(context.connection, query, AGENT.c.id, ids)}
