"""how each sale was paid

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

- ``sale_tenders``: a sale's tenders (cash with what was handed over, card), written in
  the sale's transaction. Sales stored before this revision have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_tenders",
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("tendered", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('cash', 'card')", name=op.f("ck_sale_tenders_kind")),
        sa.CheckConstraint(
            "amount > 0 AND tendered >= amount", name=op.f("ck_sale_tenders_amounts")
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_tenders_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "seq", name=op.f("pk_sale_tenders")),
    )


def downgrade() -> None:
    op.drop_table("sale_tenders")
