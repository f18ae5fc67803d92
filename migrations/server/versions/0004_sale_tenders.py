"""how each sale was paid

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

- ``sales.tenders``: the sale's tenders as the till sent them (kind, amount, what was
  handed over); null for sales from tills that did not record them (``sale.completed`` v1).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales") as batch_op:
        batch_op.add_column(sa.Column("tenders", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales") as batch_op:
        batch_op.drop_column("tenders")
