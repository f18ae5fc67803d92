"""Initial server schema: stores, tills, enrollment codes, staff, customers, cards,
sales, the bonus ledger, rules versions, received events and the change feed.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 22:17:29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_feed_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_position", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_change_feed_counter_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_feed_counter")),
    )
    # The change feed's single counter row; positions start after 0.
    op.execute(sa.text("INSERT INTO change_feed_counter (id, last_position) VALUES (1, 0)"))
    op.create_table(
        "rules_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_rules_versions")),
    )
    op.create_table(
        "stores",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
    )
    op.create_table(
        "change_feed",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_change_feed_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_change_feed")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("store_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("failed_pin_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('cashier', 'senior', 'manager')", name=op.f("ck_staff_role")),
        sa.CheckConstraint("failed_pin_attempts >= 0", name=op.f("ck_staff_failed_pin_attempts")),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_staff_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    op.create_index(op.f("ix_staff_store_id"), "staff", ["store_id"], unique=False)
    op.create_table(
        "tills",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("store_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credential_hash", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], name=op.f("fk_tills_store_id_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tills")),
        sa.UniqueConstraint("store_id", "name", name=op.f("uq_tills_store_id_name")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_text_version", sa.String(length=32), nullable=False),
        sa.Column("registered_till_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("registered_by_staff_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registered_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_customers_registered_by_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["registered_till_id"], ["tills.id"], name=op.f("fk_customers_registered_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("phone", name=op.f("uq_customers_phone")),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("till_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("code_hash", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_enrollment_codes_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrollment_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_enrollment_codes_till_id"), "enrollment_codes", ["till_id"], unique=False
    )
    op.create_table(
        "received_events",
        sa.Column("event_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("till_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["till_id"], ["tills.id"], name=op.f("fk_received_events_till_id_tills")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_received_events")),
    )
    op.create_table(
        "cards",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'replaced', 'blocked')", name=op.f("ck_cards_status")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_cards_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_cards")),
    )
    op.create_index(op.f("ix_cards_customer_id"), "cards", ["customer_id"], unique=False)
    op.create_table(
        "sales",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("till_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("staff_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("customer_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_minor", sa.BigInteger(), nullable=False),
        sa.Column("redeemed_points", sa.BigInteger(), nullable=False),
        sa.Column("paid_minor", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sales_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_sales_staff_id_staff")),
        sa.ForeignKeyConstraint(["till_id"], ["tills.id"], name=op.f("fk_sales_till_id_tills")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index(op.f("ix_sales_customer_id"), "sales", ["customer_id"], unique=False)
    op.create_index(
        op.f("ix_sales_staff_id_occurred_at"), "sales", ["staff_id", "occurred_at"], unique=False
    )
    op.create_index(
        op.f("ix_sales_till_id_occurred_at"), "sales", ["till_id", "occurred_at"], unique=False
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("customer_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activates_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("till_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("rules_version", sa.Integer(), nullable=True),
        sa.Column("sale_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("author_staff_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
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
        unique=False,
    )
    op.create_index(op.f("ix_ledger_entries_sale_id"), "ledger_entries", ["sale_id"], unique=False)
    op.create_table(
        "sale_lines",
        sa.Column("id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("sale_id", sa.Uuid(as_uuid=False), nullable=False),
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


def downgrade() -> None:
    op.drop_table("sale_lines")
    op.drop_index(op.f("ix_ledger_entries_sale_id"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_customer_id_occurred_at"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.drop_index(op.f("ix_sales_till_id_occurred_at"), table_name="sales")
    op.drop_index(op.f("ix_sales_staff_id_occurred_at"), table_name="sales")
    op.drop_index(op.f("ix_sales_customer_id"), table_name="sales")
    op.drop_table("sales")
    op.drop_index(op.f("ix_cards_customer_id"), table_name="cards")
    op.drop_table("cards")
    op.drop_table("received_events")
    op.drop_index(op.f("ix_enrollment_codes_till_id"), table_name="enrollment_codes")
    op.drop_table("enrollment_codes")
    op.drop_table("customers")
    op.drop_table("tills")
    op.drop_index(op.f("ix_staff_store_id"), table_name="staff")
    op.drop_table("staff")
    op.drop_table("change_feed")
    op.drop_table("stores")
    op.drop_table("rules_versions")
    op.drop_table("change_feed_counter")
