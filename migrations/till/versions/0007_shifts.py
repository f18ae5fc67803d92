"""cashiers' shifts, and their reports in the print queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

- ``shifts``: one row per shift of this till, opened with a float of cash and closed with
  the cash counted; ``report_json`` is the Z report kept as it was taken at the close.
- ``sales.shift_id``: the shift a sale or a return was rung up in (null before this revision).
- ``print_jobs.shift_id`` and the kind ``report``: an X or Z report waiting to print.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shifts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.String(36), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("float_cash", sa.Integer(), nullable=False),
        sa.Column("closed_by", sa.String(36), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("counted_cash", sa.Integer(), nullable=True),
        sa.Column("report_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint("number", name=op.f("uq_shifts_number")),
    )
    op.create_index(op.f("ix_shifts_closed_at"), "shifts", ["closed_at"])
    # Plain ALTER TABLE: a batch copy of ``sales`` would trip the lines' foreign key.
    op.add_column("sales", sa.Column("shift_id", sa.String(36), nullable=True))
    op.create_index(op.f("ix_sales_shift_id"), "sales", ["shift_id"])
    with op.batch_alter_table("print_jobs") as batch_op:
        batch_op.add_column(sa.Column("shift_id", sa.String(36), nullable=True))
        batch_op.drop_constraint("kind", type_="check")
        batch_op.create_check_constraint(
            "kind", "kind IN ('receipt', 'reprint', 'card', 'report')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM print_jobs WHERE kind = 'report'")
    with op.batch_alter_table("print_jobs") as batch_op:
        batch_op.drop_constraint("kind", type_="check")
        batch_op.create_check_constraint(
            "kind", "kind IN ('receipt', 'reprint', 'card')"
        )
        batch_op.drop_column("shift_id")
    op.drop_index(op.f("ix_sales_shift_id"), table_name="sales")
    op.execute("ALTER TABLE sales DROP COLUMN shift_id")  # SQLite 3.35+
    op.drop_index(op.f("ix_shifts_closed_at"), table_name="shifts")
    op.drop_table("shifts")
