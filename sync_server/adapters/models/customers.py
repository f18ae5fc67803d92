"""Customers and their loyalty cards."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Name

CARD_STATUSES = ("active", "replaced", "blocked")


class Customer(Base):
    """A program member. The id is made by the till that registered them, so a
    customer registered offline keeps one identity everywhere. Consent to personal
    data processing is stored with its time and the version of the text shown."""

    __tablename__ = "customers"

    id: Mapped[Id]
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164, e.g. +79161234567
    name: Mapped[Name | None]
    birthday: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254))
    consent_given_at: Mapped[Instant]
    consent_text_version: Mapped[str] = mapped_column(String(32))
    registered_till_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("tills.id"))
    registered_by_staff_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("staff.id"))
    created_at: Mapped[Instant]  # business time: when the till registered them


class Card(Base):
    """A loyalty card. A reissued card marks the old one ``replaced``; only
    ``active`` cards identify a customer."""

    __tablename__ = "cards"
    __table_args__ = (CheckConstraint(f"status IN {CARD_STATUSES!r}", name="status"),)

    number: Mapped[str] = mapped_column(String(32), primary_key=True)  # digits only
    customer_id: Mapped[str] = mapped_column(IdType, ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[Instant]
    status_changed_at: Mapped[Instant | None]
