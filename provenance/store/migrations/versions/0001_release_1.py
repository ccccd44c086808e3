"""Release 1: the schema before migrations (models.SCHEMA_VERSION "1").

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from provenance.store.migrations import v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    v1.metadata().create_all(bind)
    bind.execute(
        text("INSERT INTO provenance_meta (key, value) VALUES ('schema_version', :v)"),
        {"v": v1.SCHEMA_VERSION},
    )


def downgrade() -> None:
    raise NotImplementedError("provenance does not downgrade: restore a backup instead")
