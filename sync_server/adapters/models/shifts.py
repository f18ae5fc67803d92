"""Cashiers' shifts as the tills opened and closed them, with each Z report's figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Money, UtcDateTime


class Shift(Base):
    """One shift of one till: ``closed_at`` null while it is open (as far as the server knows)."""

    __tablename__ = "shifts"
    __table_args__ = (Index(None, "till_id", "opened_at"),)

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    number: Mapped[int] = mapped_column(Integer)  # per till
    opened_by: Mapped[str] = mapped_column(IdType)
    opened_at: Mapped[Instant]
    float_minor: Mapped[Money]
    closed_by: Mapped[str | None] = mapped_column(IdType)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expected_minor: Mapped[int | None] = mapped_column(BigInteger)
    counted_minor: Mapped[int | None] = mapped_column(BigInteger)
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # ShiftTotalsV1 as sent
