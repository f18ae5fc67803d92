"""print jobs set aside

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

- ``print_jobs.set_aside_at``: a job that will never print and must not hold up the queue
  (a replaced loyalty card's print, a receipt that cannot be laid out), kept with why in
  ``last_error``; nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("print_jobs") as batch_op:
        batch_op.add_column(sa.Column("set_aside_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("print_jobs") as batch_op:
        batch_op.drop_column("set_aside_at")
