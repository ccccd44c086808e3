"""What every audit rule works from: one connection, the scope, and the citation forest.

The **citation forest** is computed once per audit, set-based, into a temporary table: a
recursive CTE walks from every first-hand report (``via_id IS NULL``) down the ``via`` links, so
each report reached gets its root (the first-hand report its chain ends in), its depth, and the
ids of the undocumented and anonymous hops above it. Every report has one ``via``, so the walk
visits each report once; reports caught in a citation loop are never reached from a root (that
is how loops are found), and a depth cap stops any runaway. The same SQL runs on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    select,
)

from provenance.store.models import (
    Affiliation,
    Agent,
    Claim,
    ClaimRelation,
    Document,
    Report,
    Statement,
)

#: The longest citation chain or affiliation path followed; anything deeper is reported.
MAX_DEPTH = 64

AGENT = Agent.__table__
AFFILIATION = Affiliation.__table__
CLAIM = Claim.__table__
RELATION = ClaimRelation.__table__
DOCUMENT = Document.__table__
REPORT = Report.__table__
STATEMENT = Statement.__table__

SEP = "|"  # separates ids in path strings; never part of an id


def split_path(path: str | None) -> list[str]:
    """The ids in a ``|a|b|`` path string, in order."""
    return [part for part in (path or "").split(SEP) if part]


def contains(dialect: str, path: ColumnElement[Any], item: ColumnElement[Any]) -> ColumnElement[bool]:
    """``path`` (a ``|a|b|`` string) contains ``item``: the visited check of recursive CTEs."""
    needle = literal(SEP) + item + literal(SEP)
    if dialect == "postgresql":
        return func.strpos(path, needle) > 0
    return func.instr(path, needle) > 0


@dataclass(frozen=True)
class Scope:
    """What to audit: everything, one claim, or one document (ids, already checked to exist)."""

    claim: str | None = None
    document: str | None = None

    @property
    def everything(self) -> bool:
        """True when the whole database is audited."""
        return self.claim is None and self.document is None


@dataclass
class AuditContext:
    """A connection with the scope as SQL sub-selects and the lazily built citation forest."""

    connection: Connection
    scope: Scope = field(default_factory=Scope)
    _chain: Table | None = None

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.connection.dialect.name

    # ------------------------------------------------------------------ scope as sub-selects

    def _document_chain_reports(self) -> Select[Any]:
        """The reports in the scoped document and every report their chains rely on."""
        anchor = select(
            REPORT.c.id,
            REPORT.c.via_id,
            literal(0).label("depth"),
            cast(literal(SEP) + REPORT.c.id + literal(SEP), Text).label("path"),
        ).where(REPORT.c.document_id == self.scope.document)
        up = anchor.cte("scope_up", recursive=True)
        parent = REPORT.alias("parent")
        up = up.union_all(
            select(
                parent.c.id,
                parent.c.via_id,
                up.c.depth + 1,
                cast(up.c.path + parent.c.id + literal(SEP), Text),
            ).where(
                parent.c.id == up.c.via_id,
                up.c.depth < MAX_DEPTH,
                ~contains(self.dialect, up.c.path, parent.c.id),
            )
        )
        return select(up.c.id).distinct()

    def reports(self) -> Select[Any] | None:
        """Ids of the reports in scope, or None for all."""
        if self.scope.claim is not None:
            return select(REPORT.c.id).where(REPORT.c.statement_id.in_(self.statements()))
        if self.scope.document is not None:
            return self._document_chain_reports()
        return None

    def statements(self) -> Select[Any] | None:
        """Ids of the statements in scope, or None for all."""
        if self.scope.claim is not None:
            return select(STATEMENT.c.id).where(STATEMENT.c.claim_id == self.scope.claim)
        if self.scope.document is not None:
            return select(REPORT.c.statement_id).where(REPORT.c.document_id == self.scope.document)
        return None

    def claims(self) -> Select[Any] | None:
        """Ids of the claims in scope, or None for all."""
        if self.scope.claim is not None:
            return select(literal(self.scope.claim))
        if self.scope.document is not None:
            statements = self.statements()
            assert statements is not None
            return select(STATEMENT.c.claim_id).where(STATEMENT.c.id.in_(statements))
        return None

    def documents(self) -> Select[Any] | None:
        """Ids of the documents in scope (those carrying the scoped reports), or None for all."""
        if self.scope.document is not None:
            return select(literal(self.scope.document))
        if self.scope.claim is not None:
            statements = self.statements()
            assert statements is not None
            return select(REPORT.c.document_id).where(
                REPORT.c.statement_id.in_(statements), REPORT.c.document_id.is_not(None)
            )
        return None

    def report_ids(self) -> set[str] | None:
        """The reports in scope as a set (scoped audits are small), or None for all."""
        reports = self.reports()
        if reports is None:
            return None
        return {row[0] for row in self.connection.execute(reports)}

    def chain_reports(self) -> Select[Any] | None:
        """The reports the citation forest is built from: every report of a claim in scope.

        Wider than :meth:`reports` for a document, so that claim-level rules (single origin) see
        all of a claim's chains, not just the document's own.
        """
        claims = self.claims()
        if claims is None:
            return None
        statements = select(STATEMENT.c.id).where(STATEMENT.c.claim_id.in_(claims))
        return select(REPORT.c.id).where(REPORT.c.statement_id.in_(statements))

    @staticmethod
    def within(query: Select[Any], column: ColumnElement[Any], ids: Select[Any] | None) -> Select[Any]:
        """``query`` restricted to rows whose ``column`` is in ``ids`` (no restriction if None)."""
        return query if ids is None else query.where(column.in_(ids))

    # ------------------------------------------------------------------ the citation forest

    def chain(self) -> Table:
        """The temporary table of the citation forest (built on first use)."""
        if self._chain is None:
            self._chain = self._build_chain()
        return self._chain

    def _build_chain(self) -> Table:
        name = "audit_chain_" + uuid.uuid4().hex[:8]
        table = Table(
            name,
            MetaData(),
            Column("id", String(400)),
            Column("root_id", String(400)),
            Column("depth", Integer),
            Column("statement_id", String(120)),
            Column("reporter_id", String(120)),
            Column("document_id", String(120)),
            Column("undoc_path", Text),
            Column("anon_path", Text),
            prefixes=["TEMPORARY"],
        )
        table.create(self.connection)
        anonymous = AGENT.alias("anonymous_agent")
        in_scope = self.chain_reports()

        def is_anonymous(reporter_id: ColumnElement[Any]) -> ColumnElement[bool]:
            return exists().where(anonymous.c.id == reporter_id,
                                  anonymous.c.kind.in_(("anonymous", "unattributed")))

        def mark(condition: ColumnElement[bool], report_id: ColumnElement[Any]) -> ColumnElement[Any]:
            return cast(case((condition, report_id + literal(SEP)), else_=literal("")), Text)

        anchor = select(
            REPORT.c.id,
            REPORT.c.id.label("root_id"),
            literal(0).label("depth"),
            REPORT.c.statement_id,
            REPORT.c.reporter_id,
            REPORT.c.document_id,
            cast(literal(SEP) + mark(REPORT.c.document_id.is_(None), REPORT.c.id), Text).label("undoc_path"),
            cast(literal(SEP) + mark(is_anonymous(REPORT.c.reporter_id), REPORT.c.id), Text).label(
                "anon_path"),
        ).where(REPORT.c.via_id.is_(None))
        anchor = self.within(anchor, REPORT.c.id, in_scope)
        walk = anchor.cte("walk", recursive=True)
        # Each step probes report.via_id's index from the reports reached so far.
        child = REPORT.alias("child")
        step = select(
            child.c.id,
            walk.c.root_id,
            walk.c.depth + 1,
            child.c.statement_id,
            child.c.reporter_id,
            child.c.document_id,
            cast(walk.c.undoc_path + mark(child.c.document_id.is_(None), child.c.id), Text),
            cast(walk.c.anon_path + mark(is_anonymous(child.c.reporter_id), child.c.id), Text),
        ).where(and_(child.c.via_id == walk.c.id, walk.c.depth < MAX_DEPTH))
        walk = walk.union_all(self.within(step, child.c.id, in_scope))
        columns = ["id", "root_id", "depth", "statement_id", "reporter_id", "document_id",
                   "undoc_path", "anon_path"]
        self.connection.execute(insert(table).from_select(columns, select(*walk.c)))
        # Indexed once filled: one sort per index instead of a B-tree insert per row.
        Index(f"{name}_id", table.c.id, unique=True).create(self.connection)
        Index(f"{name}_root", table.c.root_id).create(self.connection)
        Index(f"{name}_statement", table.c.statement_id).create(self.connection)
        return table

    def close(self) -> None:
        """Drop the temporary table (it would vanish with the connection anyway)."""
        if self._chain is not None:
            self._chain.drop(self.connection, checkfirst=True)
            self._chain = None
