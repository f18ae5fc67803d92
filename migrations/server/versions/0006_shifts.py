"""cashiers' shifts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

- ``shifts``: each till's shifts from ``shift.opened`` and ``shift.closed`` (the Z report's
  totals, the cash expected and counted in the drawer).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "shifts",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opened_by", Uuid, nullable=False),
        sa.Column("opened_at", Instant, nullable=False),
        sa.Column("float_minor", sa.BigInteger(), nullable=False),
        sa.Column("closed_by", Uuid, nullable=True),
        sa.Column("closed_at", Instant, nullable=True),
        sa.Column("expected_minor", sa.BigInteger(), nullable=True),
        sa.Column("counted_minor", sa.BigInteger(), nullable=True),
        sa.Column("totals", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_shifts_store_id_stores")),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_shifts_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
    )
    op.create_index(op.f("ix_shifts_till_id_opened_at"), "shifts", ["till_id", "opened_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_shifts_till_id_opened_at"), table_name="shifts")
    op.drop_table("shifts")
