"""Fact-check verdicts, the audit's passage fingerprints and the claims' full-text index.

Revision ID: 0003
Revises: 0002

``verdict`` (fact-checkers' ClaimReview verdicts, issue 16) starts empty. ``passage_fingerprint``
(issue 14b) is filled for every document already stored, with the hashes the loader writes
(:func:`provenance.store.passages.fingerprints`). The claims' full-text index (issue 11) is
built and filled by :func:`provenance.store.claim_index.create`, as a new database's is: an FTS5
table on SQLite, a GIN expression index on PostgreSQL.

A database written by a development build between release 1 and this revision (main after
issues 11, 14b and 16, still at ``schema_version`` "1", so taken for release 1) may hold these
already, exactly as the models describe them: what exists is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FINGERPRINT_BATCH = 50_000


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    if "verdict" not in existing:
        _create_verdict()
    if "passage_fingerprint" not in existing:
        _create_passage_fingerprint()
        _fill_fingerprints(bind)

    from provenance.store import claim_index

    claim_index.create(bind)  # does nothing when the index is there


def _create_verdict() -> None:
    op.create_table(
        "verdict",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("claim_id", sa.String(120), sa.ForeignKey("claim.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("reviewer", sa.String(1000), nullable=False),
        sa.Column("reviewer_id", sa.String(120), sa.ForeignKey("agent.id", ondelete="SET NULL"),
                  index=True),
        sa.Column("rating_value", sa.String(100)),
        sa.Column("best_rating", sa.String(100)),
        sa.Column("worst_rating", sa.String(100)),
        sa.Column("rating_alternate_name", sa.String(1000)),
        sa.Column("reviewed_on", sa.Date, index=True),
        sa.Column("url", sa.String(2000)),
        sa.Column("claim_reviewed", sa.Text),
        sa.Column("match_score", sa.Float, nullable=False),
        sa.Column("source", sa.String(1000), nullable=False, index=True),
    )


def _create_passage_fingerprint() -> None:
    op.create_table(
        "passage_fingerprint",
        sa.Column("hash", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("document_id", sa.String(120), sa.ForeignKey("document.id", ondelete="CASCADE"),
                  primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_passage_fingerprint_document", "passage_fingerprint", ["document_id"])


def _fill_fingerprints(connection: sa.Connection) -> None:
    """Every stored document's passage fingerprints, as the loader writes them."""
    from provenance.store.passages import fingerprints

    table = sa.table("passage_fingerprint", sa.column("hash", sa.BigInteger),
                     sa.column("document_id", sa.String))
    rows: list[dict[str, object]] = []
    for document_id, body in connection.execute(sa.text("SELECT id, text FROM document ORDER BY id")):
        rows += ({"hash": value, "document_id": document_id} for value in sorted(fingerprints(body or "")))
        if len(rows) >= FINGERPRINT_BATCH:
            connection.execute(table.insert(), rows)
            rows = []
    if rows:
        connection.execute(table.insert(), rows)


def downgrade() -> None:
    raise NotImplementedError("provenance does not downgrade: restore a backup instead")
