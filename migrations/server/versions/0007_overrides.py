"""managers' overrides (the audit log)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

- ``overrides``: from ``override.recorded``: who allowed what at which till, why and when.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "overrides",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("manager_id", Uuid, nullable=False),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject_id", Uuid, nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_overrides_store_id_stores")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_overrides_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overrides")),
    )
    op.create_index(op.f("ix_overrides_store_id_at"), "overrides", ["store_id", "at"])
    op.create_index(op.f("ix_overrides_manager_id_at"), "overrides", ["manager_id", "at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_overrides_manager_id_at"), table_name="overrides")
    op.drop_index(op.f("ix_overrides_store_id_at"), table_name="overrides")
    op.drop_table("overrides")
