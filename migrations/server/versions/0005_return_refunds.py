"""how each return's money went back

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

- ``returns.refunds``: the return's refund tenders as the till sent them (kind, amount),
  the bank card first and then cash; null for returns from tills that did not record them
  (``sale.returned`` v1).
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
    with op.batch_alter_table("returns") as batch_op:
        batch_op.add_column(sa.Column("refunds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("returns") as batch_op:
        batch_op.drop_column("refunds")
