"""Sales and returns as committed on the tills (ids are made there), with the priced
receipt kept whole: the server re-prices returns from it, as the till does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Money, Name, Points
from sync_server.services.clock import utc_now


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        Index(None, "till_id", "occurred_at"),
        Index(None, "staff_id", "occurred_at"),
    )

    id: Mapped[Id]
    store_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    number: Mapped[int | None] = mapped_column(Integer)  # receipt number on its till
    staff_id: Mapped[str] = mapped_column(IdType)  # as the till knew them
    customer_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("customers.id"), index=True)
    card_number: Mapped[str | None] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217, e.g. RUB
    rules_version: Mapped[int | None] = mapped_column(Integer)
    subtotal_minor: Mapped[Money]  # before discounts
    discount_minor: Mapped[Money]
    redeemed_points: Mapped[Points]
    paid_minor: Mapped[Money]  # paid with money; accrual is computed on this
    accrued_points: Mapped[Points] = mapped_column(default=0)
    occurred_at: Mapped[Instant]  # business time at the till
    received_at: Mapped[Instant] = mapped_column(default=utc_now)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # receipt_to_wire
    event_id: Mapped[str | None] = mapped_column(IdType)
    # [{kind, amount, tendered}] as the till sent them; None from tills before v2 sales.
    tenders: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class SaleLine(Base):
    """One line of a sale, keyed by the line id the till gave it (returns name it)."""

    __tablename__ = "sale_lines"

    sale_id: Mapped[str] = mapped_column(IdType, ForeignKey("sales.id"), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[Name]
    quantity_milli: Mapped[Money]  # thousandths of a unit: 1.5 kg is 1500
    amount_minor: Mapped[Money]  # before discounts
    discount_minor: Mapped[Money]
    redeemed_points: Mapped[Points]
    accrued_points: Mapped[Points]


class SaleReturn(Base):
    """A return of (part of) a sale, at any till. ``quantities`` is line id ->
    thousandths; the money refunded is kept even when the receipt had already been
    returned elsewhere (see ``Settlement`` ``return_twice``)."""

    __tablename__ = "returns"

    id: Mapped[Id]
    sale_id: Mapped[str] = mapped_column(IdType, ForeignKey("sales.id"), index=True)
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    staff_id: Mapped[str] = mapped_column(IdType)
    quantities: Mapped[dict[str, int]] = mapped_column(JSON)
    refund_minor: Mapped[Money]
    occurred_at: Mapped[Instant]
    received_at: Mapped[Instant]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    event_id: Mapped[str] = mapped_column(IdType)
    # [{kind, amount, tendered}]: how the money went back; None from tills before v2 returns.
    refunds: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
