"""the print queue

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

- ``print_jobs``: a receipt's print job, written in the sale's (or the return's)
  transaction; it waits, across restarts, until the printer took it whole
  (``printed_at`` set). Copies and loyalty cards are jobs too.
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
    op.create_table(
        "print_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=True),
        sa.Column("card_number", sa.String(16), nullable=True),
        sa.Column("open_drawer", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('receipt', 'reprint', 'card')", name=op.f("ck_print_jobs_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_jobs")),
    )
    op.create_index(op.f("ix_print_jobs_sale_id"), "print_jobs", ["sale_id"])
    op.create_index("ix_print_jobs_printed_at_id", "print_jobs", ["printed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_print_jobs_printed_at_id", table_name="print_jobs")
    op.drop_index(op.f("ix_print_jobs_sale_id"), table_name="print_jobs")
    op.drop_table("print_jobs")
