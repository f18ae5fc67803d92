"""the managers' dashboard: manager accounts and sessions, stores' zones, daily roll-ups

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

- ``managers``, ``manager_stores``, ``manager_sessions``: who may open the web dashboard,
  which stores a store manager sees, and signed-in sessions (token and CSRF token).
- ``stores.timezone``: the zone of the store's days in reports (Europe/Moscow until set).
- ``ix_votes_store_id_at``: a store's votes by time (its low ratings).
- ``staff_days``: per store, cashier and day, the sales, returns and votes added up; filled
  here from the facts already stored, then kept by the transactions that store new ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Uuid = sa.Uuid(as_uuid=False)
Instant = sa.DateTime(timezone=True)
DEFAULT_TIMEZONE = "Europe/Moscow"
REASONS = ("polite", "fast", "helpful", "offered_card", "slow", "impolite", "mistake")
TALLIES = (
    "sales",
    "revenue_minor",
    "with_card",
    "redeemed_points",
    "returns",
    "refunded_minor",
    *(f"score_{n}" for n in range(1, 6)),
    *(f"reason_{r}" for r in REASONS),
)


def upgrade() -> None:
    op.create_table(
        "managers",
        sa.Column("id", Uuid, nullable=False),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", Instant, nullable=True),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("disabled_at", Instant, nullable=True),
        sa.CheckConstraint("role IN ('store_manager', 'owner')", name=op.f("ck_managers_role")),
        sa.CheckConstraint("failed_attempts >= 0", name=op.f("ck_managers_failed_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_managers")),
        sa.UniqueConstraint("login", name=op.f("uq_managers_login")),
    )
    op.create_table(
        "manager_stores",
        sa.Column("manager_id", Uuid, nullable=False),
        sa.Column("store_id", Uuid, nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["managers.id"], name=op.f("fk_manager_stores_manager_id_managers")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_manager_stores_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("manager_id", "store_id", name=op.f("pk_manager_stores")),
    )
    op.create_table(
        "manager_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("manager_id", Uuid, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.Column("expires_at", Instant, nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["managers.id"], name=op.f("fk_manager_sessions_manager_id_managers")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_manager_sessions")),
    )
    op.create_index(op.f("ix_manager_sessions_manager_id"), "manager_sessions", ["manager_id"])
    with op.batch_alter_table("stores") as stores:
        stores.add_column(
            sa.Column("timezone", sa.String(64), nullable=False, server_default=DEFAULT_TIMEZONE)
        )
    op.create_table(
        "staff_days",
        sa.Column("store_id", Uuid, nullable=False),
        sa.Column("staff_id", Uuid, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(sa.Column(name, sa.BigInteger(), nullable=False, server_default="0") for name in TALLIES),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_staff_days_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("store_id", "staff_id", "day", name=op.f("pk_staff_days")),
    )
    op.create_index(op.f("ix_staff_days_day"), "staff_days", ["day"])
    op.create_index(op.f("ix_votes_store_id_at"), "votes", ["store_id", "at"])
    _fill_staff_days(op.get_bind())


def _fill_staff_days(connection: sa.Connection) -> None:
    """Add up the sales, returns and votes stored before this revision, by store day."""
    stores = sa.table("stores", sa.column("id", Uuid), sa.column("timezone", sa.String()))
    zones = {
        store_id: ZoneInfo(zone)
        for store_id, zone in connection.execute(sa.select(stores.c.id, stores.c.timezone))
    }
    days: dict[tuple[str, str, date], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(TALLIES, 0)
    )

    def day_of(store_id: str, at: datetime) -> date:
        moment = at.replace(tzinfo=UTC) if at.tzinfo is None else at  # SQLite: naive UTC
        return moment.astimezone(zones[store_id]).date()

    sale = sa.table(
        "sales",
        *(sa.column(name, Uuid) for name in ("store_id", "staff_id", "customer_id")),
        sa.column("occurred_at", Instant),
        sa.column("paid_minor", sa.BigInteger()),
        sa.column("redeemed_points", sa.BigInteger()),
    )
    sales = connection.execute(
        sa.select(
            sale.c.store_id,
            sale.c.staff_id,
            sale.c.occurred_at,
            sale.c.paid_minor,
            sale.c.customer_id,
            sale.c.redeemed_points,
        ).where(sale.c.store_id.is_not(None))
    )
    for store_id, staff_id, at, paid, customer_id, redeemed in sales:
        row = days[(store_id, staff_id, day_of(store_id, at))]
        row["sales"] += 1
        row["revenue_minor"] += paid
        row["with_card"] += customer_id is not None
        row["redeemed_points"] += redeemed
    sale_return = sa.table(
        "returns",
        sa.column("store_id", Uuid),
        sa.column("staff_id", Uuid),
        sa.column("occurred_at", Instant),
        sa.column("refund_minor", sa.BigInteger()),
    )
    returns = connection.execute(
        sa.select(
            sale_return.c.store_id,
            sale_return.c.staff_id,
            sale_return.c.occurred_at,
            sale_return.c.refund_minor,
        )
    )
    for store_id, staff_id, at, refund in returns:
        row = days[(store_id, staff_id, day_of(store_id, at))]
        row["returns"] += 1
        row["refunded_minor"] += refund
    votes = sa.table(
        "votes",
        sa.column("store_id", Uuid),
        sa.column("staff_id", Uuid),
        sa.column("at", Instant),
        sa.column("score", sa.Integer()),
        sa.column("reasons", sa.JSON()),
    )
    for store_id, staff_id, at, score, reasons in connection.execute(
        sa.select(votes.c.store_id, votes.c.staff_id, votes.c.at, votes.c.score, votes.c.reasons)
    ):
        row = days[(store_id, staff_id, day_of(store_id, at))]
        row[f"score_{score}"] += 1
        for reason in reasons or []:
            if reason in REASONS:
                row[f"reason_{reason}"] += 1
    if days:
        table = sa.table(
            "staff_days",
            sa.column("store_id", Uuid),
            sa.column("staff_id", Uuid),
            sa.column("day", sa.Date()),
            *(sa.column(name, sa.BigInteger()) for name in TALLIES),
        )
        connection.execute(
            table.insert(),
            [
                {"store_id": store, "staff_id": staff, "day": day, **tallies}
                for (store, staff, day), tallies in days.items()
            ],
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_votes_store_id_at"), table_name="votes")
    op.drop_index(op.f("ix_staff_days_day"), table_name="staff_days")
    op.drop_table("staff_days")
    with op.batch_alter_table("stores") as stores:
        stores.drop_column("timezone")
    op.drop_index(op.f("ix_manager_sessions_manager_id"), table_name="manager_sessions")
    op.drop_table("manager_sessions")
    op.drop_table("manager_stores")
    op.drop_table("managers")
