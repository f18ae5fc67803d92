"""Sync: received events with their outcome, settlements, customer aliases and debts,
feed positions on every table tills pull, products, gift cards, returns, store
redemption policy and tills' last push/pull and clock skew.

``sales``, ``sale_lines``, ``ledger_entries`` and ``received_events`` are rebuilt:
nothing before this revision wrote them (push arrives with it), and their new shapes
(text till ids on entries, line ids from the till, an event's kept payload) are
easier to create than to alter on SQLite. ``change_feed`` goes: each pulled table
carries its own ``feed_position`` from ``change_feed_counter``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:07:56
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)
FEED_TABLES = ("cards", "customers", "staff", "stores", "rules_versions")


def _feed_position(table: str) -> None:
    with op.batch_alter_table(table) as batch_op:
        batch_op.add_column(sa.Column("feed_position", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f(f"ix_{table}_feed_position"), ["feed_position"])


def upgrade() -> None:
    op.drop_table("change_feed")
    op.drop_table("sale_lines")
    op.drop_table("ledger_entries")
    op.drop_table("sales")
    op.drop_table("received_events")

    for table in FEED_TABLES:
        _feed_position(table)
    with op.batch_alter_table("cards") as batch_op:
        batch_op.add_column(sa.Column("replaced_by", sa.String(length=32), nullable=True))
    with op.batch_alter_table("customers") as batch_op:
        batch_op.add_column(sa.Column("heard_from", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("referrer_id", Uuid, nullable=True))
    with op.batch_alter_table("rules_versions") as batch_op:
        batch_op.add_column(sa.Column("effective_at", Instant, nullable=True))
    op.execute(sa.text("UPDATE rules_versions SET effective_at = created_at"))
    with op.batch_alter_table("rules_versions") as batch_op:
        batch_op.alter_column("effective_at", existing_type=Instant, nullable=False)
    with op.batch_alter_table("stores") as batch_op:
        batch_op.add_column(
            sa.Column(
                "redemption_policy",
                sa.String(length=16),
                nullable=False,
                server_default="offline_limit",
            )
        )
        batch_op.add_column(sa.Column("offline_limit_points", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(
            "redemption_policy", "redemption_policy IN ('online_only', 'offline_limit')"
        )
    with op.batch_alter_table("tills") as batch_op:
        batch_op.add_column(sa.Column("last_push_at", Instant, nullable=True))
        batch_op.add_column(sa.Column("last_pull_at", Instant, nullable=True))
        batch_op.add_column(sa.Column("clock_skew_s", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("clock_flagged_at", Instant, nullable=True))

    op.create_table(
        "received_events",
        sa.Column("event_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("aggregate_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("message", sa.String(length=1000), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("received_at", Instant, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "status IN ('applied', 'rejected')", name=op.f("ck_received_events_status")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_received_events_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_received_events_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_received_events")),
    )
    for column in ("feed_position", "status", "store_id"):
        op.create_index(op.f(f"ix_received_events_{column}"), "received_events", [column])

    op.create_table(
        "sales",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=True),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=True),
        sa.Column("card_number", sa.String(length=32), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rules_version", sa.Integer(), nullable=True),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("redeemed_points", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("accrued_points", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Instant, nullable=False),
        sa.Column("received_at", Instant, nullable=False),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.Column("event_id", Uuid, nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sales_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_sales_store_id_stores")),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_sales_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index(op.f("ix_sales_customer_id"), "sales", ["customer_id"])
    op.create_index(op.f("ix_sales_staff_id_occurred_at"), "sales", ["staff_id", "occurred_at"])
    op.create_index(op.f("ix_sales_till_id_occurred_at"), "sales", ["till_id", "occurred_at"])

    op.create_table(
        "sale_lines",
        sa.Column("sale_id", Uuid, nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("redeemed_points", sa.BigInteger(), nullable=False),
        sa.Column("accrued_points", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_lines_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "line_id", name=op.f("pk_sale_lines")),
    )

    op.create_table(
        "returns",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("sale_id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("refund_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Instant, nullable=False),
        sa.Column("received_at", Instant, nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("event_id", Uuid, nullable=False),
        sa.ForeignKeyConstraint(["sale_id"], ["sales.id"], name=op.f("fk_returns_sale_id_sales")),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_returns_store_id_stores")
        ),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_returns_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
    )
    op.create_index(op.f("ix_returns_sale_id"), "returns", ["sale_id"])

    op.create_table(
        "ledger_entries",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Instant, nullable=False),
        sa.Column("activates_at", Instant, nullable=True),
        sa.Column("expires_at", Instant, nullable=True),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        sa.Column("rules_version", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.String(length=64), nullable=True),
        sa.Column("lot_id", sa.String(length=64), nullable=True),
        sa.Column("gift_card_id", sa.String(length=64), nullable=True),
        sa.Column("ref", sa.String(length=500), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=True),
        sa.Column("event_id", Uuid, nullable=True),
        sa.Column("recorded_at", Instant, nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_ledger_entries_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        op.f("ix_ledger_entries_customer_id_occurred_at"),
        "ledger_entries",
        ["customer_id", "occurred_at"],
    )
    for column in ("feed_position", "gift_card_id", "sale_id"):
        op.create_index(op.f(f"ix_ledger_entries_{column}"), "ledger_entries", [column])

    op.create_table(
        "customer_aliases",
        sa.Column("alias_id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("event_id", Uuid, nullable=False),
        sa.Column("merged_at", Instant, nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_aliases_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_customer_aliases_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("alias_id", name=op.f("pk_customer_aliases")),
    )
    for column in ("customer_id", "feed_position"):
        op.create_index(op.f(f"ix_customer_aliases_{column}"), "customer_aliases", [column])

    op.create_table(
        "customer_debts",
        sa.Column("customer_id", Uuid, nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("highest_points", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.CheckConstraint("points >= 0", name=op.f("ck_customer_debts_points")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_debts_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_debts")),
    )

    op.create_table(
        "settlements",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("event_id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=True),
        sa.Column("alias_id", Uuid, nullable=True),
        sa.Column("sale_id", Uuid, nullable=True),
        sa.Column("return_id", Uuid, nullable=True),
        sa.Column("promo_code", sa.String(length=64), nullable=True),
        sa.Column("gift_card_id", sa.String(length=64), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('overdraft', 'promo_overuse', 'gift_card_overdraw', 'return_twice', "
            "'customer_merged', 'pricing_differs')",
            name=op.f("ck_settlements_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["received_events.event_id"],
            name=op.f("fk_settlements_event_id_received_events"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_settlements_store_id_stores")
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_settlements_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
    )
    for column in ("customer_id", "feed_position", "kind", "store_id"):
        op.create_index(op.f(f"ix_settlements_{column}"), "settlements", [column])

    op.create_table(
        "products",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=True),
        sa.Column("barcode", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_products_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
    )
    for column in ("barcode", "feed_position", "store_id"):
        op.create_index(op.f(f"ix_products_{column}"), "products", [column])

    op.create_table(
        "gift_cards",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("expires_at", Instant, nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("debt_minor", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("feed_position", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_cards")),
        sa.UniqueConstraint("number", name=op.f("uq_gift_cards_number")),
    )
    op.create_index(op.f("ix_gift_cards_feed_position"), "gift_cards", ["feed_position"])


def downgrade() -> None:
    for table in (
        "gift_cards",
        "products",
        "settlements",
        "customer_debts",
        "customer_aliases",
        "ledger_entries",
        "returns",
        "sale_lines",
        "sales",
        "received_events",
    ):
        op.drop_table(table)
    with op.batch_alter_table("tills") as batch_op:
        for column in ("clock_flagged_at", "clock_skew_s", "last_pull_at", "last_push_at"):
            batch_op.drop_column(column)
    with op.batch_alter_table("stores") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_stores_redemption_policy"), type_="check")
        batch_op.drop_column("offline_limit_points")
        batch_op.drop_column("redemption_policy")
    with op.batch_alter_table("rules_versions") as batch_op:
        batch_op.drop_column("effective_at")
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_column("referrer_id")
        batch_op.drop_column("heard_from")
    with op.batch_alter_table("cards") as batch_op:
        batch_op.drop_column("replaced_by")
    for table in FEED_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_feed_position"))
            batch_op.drop_column("feed_position")
    _create_0001_sync_tables()


def _create_0001_sync_tables() -> None:
    """The tables as revision 0001 made them (empty: nothing wrote them then)."""
    op.create_table(
        "change_feed",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", Uuid, nullable=True),
        sa.Column("changed_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_change_feed_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_change_feed")),
    )
    op.create_table(
        "received_events",
        sa.Column("event_id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("received_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_received_events_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_received_events")),
    )
    op.create_table(
        "sales",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("till_id", Uuid, nullable=False),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("redeemed_points", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Instant, nullable=False),
        sa.Column("received_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sales_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_sales_staff_id_staff")),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_sales_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index(op.f("ix_sales_customer_id"), "sales", ["customer_id"])
    op.create_index(op.f("ix_sales_staff_id_occurred_at"), "sales", ["staff_id", "occurred_at"])
    op.create_index(op.f("ix_sales_till_id_occurred_at"), "sales", ["till_id", "occurred_at"])
    op.create_table(
        "ledger_entries",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("customer_id", Uuid, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", Instant, nullable=False),
        sa.Column("activates_at", Instant, nullable=True),
        sa.Column("expires_at", Instant, nullable=True),
        sa.Column("till_id", Uuid, nullable=True),
        sa.Column("rules_version", sa.Integer(), nullable=True),
        sa.Column("sale_id", Uuid, nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("author_staff_id", Uuid, nullable=True),
        sa.Column("recorded_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_ledger_entries_author_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_ledger_entries_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["rules_version"],
            ["rules_versions.version"],
            name=op.f("fk_ledger_entries_rules_version_rules_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_ledger_entries_sale_id_sales")
        ),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_ledger_entries_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        op.f("ix_ledger_entries_customer_id_occurred_at"),
        "ledger_entries",
        ["customer_id", "occurred_at"],
    )
    op.create_index(op.f("ix_ledger_entries_sale_id"), "ledger_entries", ["sale_id"])
    op.create_table(
        "sale_lines",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("sale_id", Uuid, nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.id"], name=op.f("fk_sale_lines_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sale_lines")),
        sa.UniqueConstraint("sale_id", "line_no", name=op.f("uq_sale_lines_sale_id_line_no")),
    )
