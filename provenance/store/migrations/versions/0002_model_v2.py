"""Model v2: modality and hedges, expressive acts, several quotes, inferred hops, reporter
stances, unattributed sources, republication outside the corpus.

Revision ID: 0002
Revises: 0001

Every existing row keeps its values; the new columns take their defaults (a statement makes
a claim, asserted; a hop is not inferred) and each statement's quote becomes its first quote.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from provenance.store.migrations import v1

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AGENT_KINDS = (*v1.AGENT_KINDS, "unattributed")
ACTS = ("condolence", "condemnation", "sympathy", "solidarity", "praise", "thanks", "warning",
        "vow", "appeal")
MODALITIES = ("asserted", "hedged", "reported_unattributed")
REPORTER_STANCES = ("endorses", "disputes", "distances")


def _in(column: str, allowed: tuple[str, ...], nullable: bool = False) -> str:
    condition = f"{column} IN (" + ", ".join(f"'{value}'" for value in allowed) + ")"
    return f"{column} IS NULL OR {condition}" if nullable else condition


def upgrade() -> None:
    frozen = v1.metadata()
    with op.batch_alter_table("agent", copy_from=frozen.tables["agent"]) as batch:
        batch.drop_constraint("ck_kind_allowed", type_="check")
        batch.create_check_constraint("ck_kind_allowed", _in("kind", AGENT_KINDS))

    op.add_column("document", sa.Column("republishes_url", sa.String(1000)))
    op.create_table(
        "republication",
        sa.Column("document_id", sa.String(120), sa.ForeignKey("document.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("url", sa.String(1000), primary_key=True),
        sa.Column("outlet_id", sa.String(120), sa.ForeignKey("agent.id"), index=True),
        sa.Column("published", sa.Date),
    )

    with op.batch_alter_table("statement", copy_from=frozen.tables["statement"]) as batch:
        batch.alter_column("claim_id", existing_type=sa.String(120), nullable=True)
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="claim"))
        batch.add_column(sa.Column("act", sa.String(20)))
        batch.add_column(sa.Column("about", sa.Text))
        batch.add_column(sa.Column("modality", sa.String(30), nullable=False,
                                   server_default="asserted"))
        batch.add_column(sa.Column("hedge", sa.String(200)))
        batch.create_check_constraint("ck_statement_kind_allowed", _in("kind", ("claim", "expressive")))
        batch.create_check_constraint("ck_act_allowed", _in("act", ACTS, nullable=True))
        batch.create_check_constraint("ck_modality_allowed", _in("modality", MODALITIES))
        batch.create_check_constraint(
            "ck_statement_kind_shape",
            "(kind = 'claim' AND claim_id IS NOT NULL AND act IS NULL)"
            " OR (kind = 'expressive' AND claim_id IS NULL AND act IS NOT NULL)",
        )
    op.create_table(
        "statement_quote",
        sa.Column("statement_id", sa.String(120),
                  sa.ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("quote", sa.Text, nullable=False),
    )
    op.execute(
        "INSERT INTO statement_quote (statement_id, position, quote)"
        " SELECT id, 0, quote FROM statement WHERE quote IS NOT NULL"
    )

    with op.batch_alter_table("report", copy_from=frozen.tables["report"]) as batch:
        batch.add_column(sa.Column("via_inferred", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("reporter_stance", sa.String(20)))
        batch.create_check_constraint(
            "ck_reporter_stance_allowed", _in("reporter_stance", REPORTER_STANCES, nullable=True))

    op.execute("UPDATE provenance_meta SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("provenance does not downgrade: restore a backup instead")
