"""Sales and their lines, as committed on the tills (ids are made there)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
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
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    staff_id: Mapped[str] = mapped_column(IdType, ForeignKey("staff.id"))
    customer_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217, e.g. RUB
    subtotal_minor: Mapped[Money]  # before discounts
    discount_minor: Mapped[Money]
    redeemed_points: Mapped[Points]
    paid_minor: Mapped[Money]  # paid with money; accrual is computed on this
    occurred_at: Mapped[Instant]  # business time at the till
    received_at: Mapped[Instant] = mapped_column(default=utc_now)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    __table_args__ = (UniqueConstraint("sale_id", "line_no"),)

    id: Mapped[Id]
    sale_id: Mapped[str] = mapped_column(IdType, ForeignKey("sales.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    barcode: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[Name]
    quantity_milli: Mapped[Money]  # thousandths of a unit: 1.5 kg is 1500
    unit_price_minor: Mapped[Money]
    discount_minor: Mapped[Money]
    total_minor: Mapped[Money]
