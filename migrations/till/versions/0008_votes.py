"""customers' ratings of their cashier

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

- ``votes``: one rating (1-5 and reasons) per receipt, of the cashier who served it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_votes_sale_id_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_votes_sale_id")),
    )


def downgrade() -> None:
    op.drop_table("votes")
