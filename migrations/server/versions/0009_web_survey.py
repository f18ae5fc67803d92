"""the web survey: a vote's comment, and votes refused

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

- ``votes.comment``: what the customer wrote on the web survey ("" from the till's display).
- ``vote_refusals``: a vote that came second for its receipt (one vote per receipt,
  whichever channel brought the first), kept so managers see it was refused.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("votes") as votes:
        votes.add_column(sa.Column("comment", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "vote_refusals",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("sale_id", Uuid, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_refusals")),
    )
    op.create_index(op.f("ix_vote_refusals_sale_id"), "vote_refusals", ["sale_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_vote_refusals_sale_id"), table_name="vote_refusals")
    op.drop_table("vote_refusals")
    with op.batch_alter_table("votes") as votes:
        votes.drop_column("comment")
