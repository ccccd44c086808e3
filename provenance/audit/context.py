"""What every audit rule works from: one connection, the scope, and the citation forest.

The **citation forest** is computed once per audit, set-based, into a temporary table: the
``forest`` walk of :mod:`provenance.store.chains` goes from every first-hand report
(``via_id IS NULL``) down the ``via`` links, so each report reached gets its root (the
first-hand report its chain ends in), its depth, and the ids of the undocumented and anonymous
hops above it. Every report has one ``via``, so the walk visits each report once; reports caught
in a citation loop are never reached from a root (that is how loops are found), and the walk's
depth cap stops any runaway. The same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
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
    insert,
    literal,
    select,
)

from provenance.store.chains import SEP, as_select, chain_ctes, forest_cte
from provenance.store.models import (
    Affiliation,
    Agent,
    Claim,
    ClaimRelation,
    Document,
    Report,
    Statement,
)
from provenance.store.scope import Scope

STREAM = 2000  # rows fetched at a time by streamed rules

AGENT = Agent.__table__
AFFILIATION = Affiliation.__table__
CLAIM = Claim.__table__
RELATION = ClaimRelation.__table__
DOCUMENT = Document.__table__
REPORT = Report.__table__
STATEMENT = Statement.__table__


def split_path(path: str | None) -> list[str]:
    """The ids in a ``|a|b|`` path string, in order."""
    return [part for part in (path or "").split(SEP) if part]


@dataclass
class AuditContext:
    """A connection with the scope as SQL sub-selects and the lazily built citation forest."""

    connection: Connection
    scope: Scope = field(default_factory=Scope)  # everything, one claim or one document
    _chain: Table | None = None

    def __post_init__(self) -> None:
        if self.scope.speaker is not None:
            raise ValueError("an audit covers everything, one claim or one document, not a speaker")

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.connection.dialect.name

    def ordered(self, column: Any) -> Any:
        """``column`` for ORDER BY in code-point order (Python's, findings' order) on both backends."""
        return column.collate("C") if self.dialect == "postgresql" else column

    def stream(self, query: Any) -> Iterator[Any]:
        """The rows of ``query``, fetched :data:`STREAM` at a time (a server-side cursor on
        PostgreSQL), so that a rule yields its findings as they come."""
        with self.connection.execute(query.execution_options(yield_per=STREAM)) as result:
            yield from result

    # ------------------------------------------------------------------ scope as sub-selects

    def _document_chain_reports(self) -> Select[Any]:
        """The reports in the scoped document and every report their chains rely on."""
        starts = "SELECT d.id FROM report d WHERE d.document_id = :scope_document"
        return as_select(chain_ctes(starts, routes=False), "SELECT DISTINCT report_id FROM hops",
                         ["report_id"], scope_document=self.scope.document)  # type: ignore[return-value]

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

    def _chain_reports_sql(self) -> tuple[str | None, dict[str, Any]]:
        """:meth:`chain_reports` as SQL text and its parameters (None: every report)."""
        claims = {"claim": "SELECT :scope_claim",
                  "document": "SELECT ds.claim_id FROM statement ds JOIN report dr"
                              " ON dr.statement_id = ds.id WHERE dr.document_id = :scope_document"}
        if self.scope.claim is not None:
            scoped, params = claims["claim"], {"scope_claim": self.scope.claim}
        elif self.scope.document is not None:
            scoped, params = claims["document"], {"scope_document": self.scope.document}
        else:
            return None, {}
        return ("SELECT sr.id FROM report sr JOIN statement ss ON ss.id = sr.statement_id"
                f" WHERE ss.claim_id IN ({scoped})"), params

    def _build_chain(self) -> Table:
        name = "audit_chain_" + uuid.uuid4().hex[:8]
        columns = ["id", "root_id", "depth", "statement_id", "reporter_id", "document_id",
                   "undoc_path", "anon_path"]
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
        in_scope, params = self._chain_reports_sql()
        forest = as_select(forest_cte(in_scope), f"SELECT {', '.join(columns)} FROM forest", columns,
                           **params)
        self.connection.execute(insert(table).from_select(columns, forest))
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
