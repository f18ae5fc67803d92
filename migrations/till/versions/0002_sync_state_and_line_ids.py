"""one sync state per outbox event; sale lines keep their id; sales lose sync_state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

A till holding data upgrades in place:

- ``outbox``: statuses become queued / sending / applied / duplicate / rejected
  (``sent`` -> ``queued``: nobody knows whether the server got it, so it is sent again
  and the server answers ``duplicate`` if it had it; ``confirmed`` -> ``applied``;
  ``conflict`` -> ``rejected`` with code ``sync.conflict``); ``last_error`` becomes
  ``error_message``; new ``error_code``, ``sent_at``, ``confirmed_at``; a CHECK on status.
- ``sale_lines.line_id``: the line ids stored sales already use in their receipt JSON
  and returns (for sales made before this release, the position as text: "1", "2"...).
- ``sales.sync_state`` is dropped: a sale's state is its outbox event's. Dropped with
  SQLite's own ``ALTER TABLE ... DROP COLUMN`` (3.35+): copying ``sales`` would drop a
  table ``sale_lines`` refers to while foreign keys are on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('queued', 'sending', 'applied', 'duplicate', 'rejected')"


def upgrade() -> None:
    op.execute("ALTER TABLE outbox ADD COLUMN error_code VARCHAR(64)")
    op.execute("ALTER TABLE outbox ADD COLUMN error_message TEXT")
    op.execute("ALTER TABLE outbox ADD COLUMN sent_at DATETIME")
    op.execute("ALTER TABLE outbox ADD COLUMN confirmed_at DATETIME")
    op.execute(
        "UPDATE outbox SET error_message = last_error,"
        " status = CASE status WHEN 'confirmed' THEN 'applied' WHEN 'conflict' THEN 'rejected'"
        " WHEN 'sending' THEN 'queued' ELSE status END"
    )
    # Anything else unknown (and 'sent') goes back to the queue: re-sent, deduplicated.
    op.execute(f"UPDATE outbox SET status = 'queued' WHERE status NOT IN {STATUSES}")
    op.execute(
        "UPDATE outbox SET error_code = 'sync.conflict'"
        " WHERE status = 'rejected' AND error_code IS NULL"
    )
    op.execute(
        "UPDATE outbox SET confirmed_at = created_at"
        " WHERE status IN ('applied', 'rejected') AND confirmed_at IS NULL"
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.create_check_constraint("status", f"status IN {STATUSES}")

    op.execute("ALTER TABLE sale_lines ADD COLUMN line_id VARCHAR(36)")
    # A line's id is the one its receipt JSON holds at its position (a return row's
    # line_no is the sold line's position); the position itself if the JSON has none.
    op.execute(
        "UPDATE sale_lines SET line_id = (SELECT json_extract(s.receipt_json,"
        " '$.lines[' || (sale_lines.line_no - 1) || '].line_id') FROM sales s"
        " WHERE s.id = sale_lines.sale_id AND s.kind = 'sale')"
    )
    op.execute(
        "UPDATE sale_lines SET line_id = (SELECT json_extract(o.receipt_json,"
        " '$.lines[' || (sale_lines.line_no - 1) || '].line_id') FROM sales r"
        " JOIN sales o ON o.id = r.original_sale_id WHERE r.id = sale_lines.sale_id)"
        " WHERE line_id IS NULL"
    )
    op.execute("UPDATE sale_lines SET line_id = CAST(line_no AS TEXT) WHERE line_id IS NULL")
    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.alter_column("line_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(
            "uq_sale_lines_sale_id_line_id", ["sale_id", "line_id"]
        )

    op.execute("ALTER TABLE sales DROP COLUMN sync_state")


def downgrade() -> None:
    op.execute("ALTER TABLE sales ADD COLUMN sync_state VARCHAR(12) NOT NULL DEFAULT 'queued'")
    op.execute(
        "UPDATE sales SET sync_state = coalesce((SELECT CASE o.status"
        " WHEN 'sending' THEN 'sent' WHEN 'applied' THEN 'confirmed'"
        " WHEN 'duplicate' THEN 'confirmed' WHEN 'rejected' THEN 'conflict' ELSE o.status END"
        " FROM outbox o WHERE o.aggregate_id = sales.id ORDER BY o.seq LIMIT 1), 'queued')"
    )

    with op.batch_alter_table("sale_lines", schema=None) as batch_op:
        batch_op.drop_constraint("uq_sale_lines_sale_id_line_id", type_="unique")
        batch_op.drop_column("line_id")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_status"), type_="check")
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
    op.execute(
        "UPDATE outbox SET last_error = error_message,"
        " status = CASE status WHEN 'sending' THEN 'sent' WHEN 'applied' THEN 'confirmed'"
        " WHEN 'duplicate' THEN 'confirmed' WHEN 'rejected' THEN 'conflict' ELSE status END"
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("error_code")
        batch_op.drop_column("error_message")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("confirmed_at")
