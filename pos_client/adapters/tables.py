"""The till's SQLite schema as SQLAlchemy 2.0 typed declarative tables.

These classes are storage only: repositories turn rows into the domain's plain
dataclasses, so nothing above the adapters ever holds a row. Money and points are
integer columns in minor units. Times are stored as naive UTC and read back aware.
Alembic (``migrations/till``) owns the schema; a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive values are refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model, for the repositories' plain SQL statements."""
    return cast(Table, model.__table__)


class SettingRow(Base):
    """Till-level state kept in the database: till id, store, sync cursors."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CustomerRow(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    # Phone digits reversed, so "last four digits" searches use an index (GLOB 'dcba*').
    phone_reversed: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    name_folded: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    birthday: Mapped[date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    heard_from: Mapped[str | None] = mapped_column(String(60), nullable=True)
    referrer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at_till_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class ConsentRow(Base):
    """Consent to personal-data processing (152-FZ / GDPR): when, and which text."""

    __tablename__ = "consents"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text_version: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class CardRow(Base):
    __tablename__ = "cards"
    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_by: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ProductRow(Base):
    __tablename__ = "products"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    barcode: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SaleRow(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # receipt number on this till
    kind: Mapped[str] = mapped_column(String(8))  # sale | return
    original_sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    till_id: Mapped[str] = mapped_column(String(36))
    staff_id: Mapped[str] = mapped_column(String(36), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    card_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    subtotal: Mapped[int] = mapped_column(Integer)
    discount_total: Mapped[int] = mapped_column(Integer)
    bonus_redeemed: Mapped[int] = mapped_column(Integer)
    total_due: Mapped[int] = mapped_column(Integer)
    bonus_accrued: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[int] = mapped_column(Integer)
    receipt_json: Mapped[str] = mapped_column(Text)  # the priced receipt, for reprint/returns
    # The shift it was rung up in (None: stored before shifts were kept).
    shift_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    # No sync state here: a sale's is its outbox event's (``OutboxRepository.state_of``).


class SaleLineRow(Base):
    """A sale's line (or a return's: the sold line's id and position, negative amounts)."""

    __tablename__ = "sale_lines"
    __table_args__ = (
        UniqueConstraint("sale_id", "line_no"),
        UniqueConstraint("sale_id", "line_id", name="uq_sale_lines_sale_id_line_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"))
    line_no: Mapped[int] = mapped_column(Integer)  # position on the receipt, from 1
    # The line's id from the moment it entered the cart (``CartItem.line_id``); returns and
    # the wire address lines by it. Sales stored before it existed have "1", "2"...
    line_id: Mapped[str] = mapped_column(String(36))
    sku: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(200))
    quantity_milli: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer)
    bonus_redeemed: Mapped[int] = mapped_column(Integer)
    paid: Mapped[int] = mapped_column(Integer)
    accrued: Mapped[int] = mapped_column(Integer)


class SaleTenderRow(Base):
    """How a sale was paid: one row per tender (cash, card), in the order they were taken."""

    __tablename__ = "sale_tenders"
    __table_args__ = (
        CheckConstraint("kind IN ('cash', 'card')", name="kind"),
        CheckConstraint("amount > 0 AND tendered >= amount", name="amounts"),
    )
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # from 1
    kind: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(Integer)  # what it pays of the check
    tendered: Mapped[int] = mapped_column(Integer)  # handed over; cash: the change is the rest


class LedgerEntryRow(Base):
    """Append-only bonus ledger (``loyalty_core.ledger.LedgerEntry``); never updated."""

    __tablename__ = "ledger_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    till_id: Mapped[str] = mapped_column(String(36))
    rules_version: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    points: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    lot_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    activates_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    gift_card_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    author: Mapped[str | None] = mapped_column(String(36), nullable=True)


OUTBOX_STATUSES = ("queued", "sending", "applied", "duplicate", "rejected")


class OutboxRow(Base):
    """Events for the server, written in the same transaction as the fact, with each one's
    sync state (``pos_client.records.EventStatus``): the only place that state is kept."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_seq", "status", "seq"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in OUTBOX_STATUSES) + ")", name="status"
        ),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[str] = mapped_column(String(36), index=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # times claimed for sending
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PrintJobRow(Base):
    """The print queue: a job is written with its sale and waits until it printed whole."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        Index("ix_print_jobs_printed_at_id", "printed_at", "id"),
        CheckConstraint("kind IN ('receipt', 'reprint', 'card', 'report')", name="kind"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    card_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    shift_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # a REPORT job's
    open_drawer: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set aside: it will never print (a replaced card, a receipt that cannot be laid out).
    set_aside_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class ShiftRow(Base):
    """A cashier's shift: opened with a float, closed with the cash counted (its Z report)."""

    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)  # 1, 2, 3... on this till
    opened_by: Mapped[str] = mapped_column(String(36))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    float_cash: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    counted_cash: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report_json: Mapped[str | None] = mapped_column(Text, nullable=True)  # the Z report


class VoteRow(Base):
    """A customer's rating of the cashier who served a receipt: one per receipt."""

    __tablename__ = "votes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    staff_id: Mapped[str] = mapped_column(String(36))
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of ``loyalty_core.survey.Reason``
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class GiftCardRow(Base):
    """A gift card pulled from the server; its balance is the projection of its ledger."""

    __tablename__ = "gift_cards"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    pin_hash: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked: Mapped[bool] = mapped_column(Boolean)
    failed_pins: Mapped[int] = mapped_column(Integer, server_default="0")  # typed at this till


class RulesRow(Base):
    """Loyalty rules documents received from the server (or the demo default)."""

    __tablename__ = "rules"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # From when the version prices sales; None: at once (versions stored before sync).
    effective_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CustomerAliasRow(Base):
    """A customer id the server merged into ``customer_id``; it still resolves here."""

    __tablename__ = "customer_aliases"
    alias_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), index=True)
