"""customers' ratings of their cashier

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

- ``votes``: from ``vote.recorded``: one per receipt (unique ``sale_id``), of the cashier
  who served it, with its score, reasons and channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("sale_id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_votes_sale_id_sales")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_votes_store_id_stores")),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_votes_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_votes_sale_id")),
    )
    op.create_index(op.f("ix_votes_staff_id_at"), "votes", ["staff_id", "at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_votes_staff_id_at"), table_name="votes")
    op.drop_table("votes")
