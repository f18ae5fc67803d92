"""gift cards this till may take as a tender

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

- ``gift_cards``: the cards pulled from the server (their balance is the projection of
  their ledger entries, which the ledger already holds), with this till's count of wrong
  PINs typed for each (the card locks after the rules' limit).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gift_cards",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("failed_pins", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_cards")),
        sa.UniqueConstraint("number", name=op.f("uq_gift_cards_number")),
    )


def downgrade() -> None:
    op.drop_table("gift_cards")
