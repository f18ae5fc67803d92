"""the till's replica of the server: customer aliases and when rules take effect

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

- ``customer_aliases``: a customer id the server merged into another (the same phone
  registered at two tills offline); the old id still resolves at this till.
- ``rules.effective_at``: a rules version pulled from the server prices sales only
  once its time has come (versions stored before had no time: effective at once).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_aliases",
        sa.Column("alias_id", sa.String(36), nullable=False),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("alias_id", name=op.f("pk_customer_aliases")),
    )
    op.create_index(
        op.f("ix_customer_aliases_customer_id"), "customer_aliases", ["customer_id"]
    )
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effective_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rules", schema=None) as batch_op:
        batch_op.drop_column("effective_at")
    op.drop_index(op.f("ix_customer_aliases_customer_id"), table_name="customer_aliases")
    op.drop_table("customer_aliases")
