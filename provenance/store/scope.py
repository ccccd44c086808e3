"""One claim, one speaker, one document, or everything: the subject a command is about (the
:class:`Scope` the audit, the reports and the exports take), and the rows of each table that
subject needs, read in a stable order (primary key, code-point order on both backends).

A claim's rows are its statements, every report of them, the documents those reports are in
(and the documents they republish), the claims it is related to (so counter-claims can be
linked), the speakers, reporters, outlets and fact-checkers involved with everyone they are
affiliated to, transitively. A speaker's are its statements and what they need; a document's
the statements it reports and the chains of its reports down to the first-hand ones. Names as
people type them become a scope through :func:`provenance.queries.resolve.resolve_scope`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.engine import Connection

from provenance.errors import NotFoundError
from provenance.store.chains import collate
from provenance.store.models import (
    Affiliation,
    Agent,
    AgentAlias,
    Claim,
    ClaimRelation,
    ClaimTag,
    Document,
    DocumentAuthor,
    Report,
    Statement,
    Verdict,
)

#: Every table a scope reads, in the order an export writes them as CSV files (parents first).
TABLES: dict[str, Table] = {
    model.__tablename__: model.__table__  # type: ignore[attr-defined]
    for model in (Agent, AgentAlias, Affiliation, Document, DocumentAuthor, Claim, ClaimTag,
                  ClaimRelation, Statement, Report, Verdict)
}

#: For each table, the condition that keeps its rows in a scope (``x_*`` are the CTEs).
FILTERS = {
    "agent": "{a}.id IN (SELECT id FROM x_agent)",
    "agent_alias": "{a}.agent_id IN (SELECT id FROM x_agent)",
    "affiliation": "{a}.agent_id IN (SELECT id FROM x_agent)",
    "document": "{a}.id IN (SELECT id FROM x_document)",
    "document_author": "{a}.document_id IN (SELECT id FROM x_document)",
    "claim": "{a}.id IN (SELECT id FROM x_claim)",
    "claim_tag": "{a}.claim_id IN (SELECT id FROM x_claim)",
    "claim_relation": "{a}.claim_id IN (SELECT id FROM x_claim) AND {a}.other_id IN (SELECT id FROM x_claim)",
    "statement": "{a}.id IN (SELECT id FROM x_statement)",
    "report": "{a}.id IN (SELECT id FROM x_report)",
    "verdict": "{a}.claim_id IN (SELECT id FROM x_claim)",
}

_RELATED_CLAIMS = """
  UNION SELECT cr.other_id FROM claim_relation cr WHERE cr.claim_id = :claim
  UNION SELECT cr.claim_id FROM claim_relation cr WHERE cr.other_id = :claim"""


@dataclass(frozen=True)
class Scope:
    """One claim, speaker or document by id, or (all ``None``) the whole database."""

    claim: str | None = None
    speaker: str | None = None
    document: str | None = None

    @property
    def everything(self) -> bool:
        """Whether the scope is the whole database."""
        return self.claim is None and self.speaker is None and self.document is None

    @property
    def params(self) -> dict[str, str | None]:
        """The bound parameters of :meth:`ctes`."""
        return {"claim": self.claim, "speaker": self.speaker, "document": self.document}

    def check(self, connection: Connection) -> None:
        """Raise :class:`NotFoundError` when the claim, speaker or document does not exist."""
        for kind, table, wanted in (("claim", "claim", self.claim), ("speaker", "agent", self.speaker),
                                    ("document", "document", self.document)):
            if wanted is None:
                continue
            found = connection.execute(
                select(TABLES[table].c.id).where(TABLES[table].c.id == wanted)
            ).first()
            if found is None:
                raise NotFoundError(f"no {kind} with id {wanted!r}")

    def ctes(self) -> str:
        """``WITH RECURSIVE x_statement, x_report, x_claim, x_document, x_agent`` of the scope."""
        if self.claim is not None:
            statements, starts = "s.claim_id = :claim", "r.statement_id IN (SELECT id FROM x_statement)"
        elif self.speaker is not None:
            statements, starts = "s.speaker_id = :speaker", "r.statement_id IN (SELECT id FROM x_statement)"
        else:
            statements = "s.id IN (SELECT statement_id FROM report WHERE document_id = :document)"
            starts = "r.document_id = :document"
        claims = ("SELECT claim_id FROM statement WHERE id IN (SELECT id FROM x_statement)"
                  " AND claim_id IS NOT NULL")
        if self.claim is not None:
            claims += "\n  UNION SELECT :claim" + _RELATED_CLAIMS
        documents = "SELECT document_id FROM report WHERE id IN (SELECT id FROM x_report)" \
                    " AND document_id IS NOT NULL"
        if self.document is not None:
            documents += " UNION SELECT :document"
        return f"""WITH RECURSIVE
x_statement(id) AS (SELECT s.id FROM statement s WHERE {statements}),
x_report(id) AS (
  SELECT r.id FROM report r WHERE {starts}
  UNION SELECT r.via_id FROM report r JOIN x_report x ON x.id = r.id WHERE r.via_id IS NOT NULL
),
x_claim(id) AS ({claims}),
x_document(id) AS (
  {documents}
  UNION SELECT d.republishes_id FROM document d JOIN x_document x ON x.id = d.id
  WHERE d.republishes_id IS NOT NULL
),
x_agent(id) AS (
  SELECT speaker_id FROM statement WHERE id IN (SELECT id FROM x_statement)
  UNION SELECT reporter_id FROM report WHERE id IN (SELECT id FROM x_report)
  UNION SELECT outlet_id FROM document WHERE id IN (SELECT id FROM x_document) AND outlet_id IS NOT NULL
  UNION SELECT reviewer_id FROM verdict WHERE claim_id IN (SELECT id FROM x_claim)
    AND reviewer_id IS NOT NULL
  UNION SELECT a.parent_id FROM affiliation a JOIN x_agent x ON x.id = a.agent_id
)
"""

    def rows(self, connection: Connection, table: str, columns: list[str] | None = None,
             ) -> Iterator[dict[str, Any]]:
        """The rows of ``table`` in the scope, as dicts of ``columns`` (default: all), in primary
        key order; dates come back as ``datetime.date`` and flags as ``bool`` on both backends."""
        model = TABLES[table]
        names = columns or [column.name for column in model.columns]
        sql = self.sql(f"SELECT {', '.join('t.' + n for n in names)} FROM {table} t"
                       f" WHERE {self.where(table, 't')} ORDER BY {_order(connection, model)}")
        yield from self.stream(connection, sql, [model.c[name] for name in names])

    def where(self, table: str, alias: str) -> str:
        """The condition keeping ``alias``'s rows of ``table`` in the scope (used in :meth:`sql`)."""
        return "1 = 1" if self.everything else FILTERS[table].format(a=alias)

    def sql(self, body: str) -> str:
        """``body`` (a SELECT using :meth:`where`) with the scope's CTEs in front."""
        return body if self.everything else self.ctes() + body

    def stream(self, connection: Connection, sql: str, columns: list[Any]) -> Iterator[dict[str, Any]]:
        """Run ``sql`` (from :meth:`sql`); rows as dicts named and typed by ``columns``
        (SQLAlchemy columns: a table's, or ``sqlalchemy.column(name, type)``), fetched in batches."""
        query = text(sql).columns(*columns)
        names = [column.name for column in columns]
        result = connection.execution_options(yield_per=2000).execute(query, self.params)
        for row in result:
            yield dict(zip(names, row, strict=True))


#: The whole database, as a scope.
EVERYTHING = Scope()


def _order(connection: Connection, model: Table) -> str:
    """The primary key columns, strings in code-point order."""
    parts = []
    for column in model.primary_key.columns:
        textual = column.type.python_type is str
        parts.append(collate(connection, f"t.{column.name}") if textual else f"t.{column.name}")
    return ", ".join(parts)

