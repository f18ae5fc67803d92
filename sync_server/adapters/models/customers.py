"""Customers, their loyalty cards, merged ids and outstanding bonus debt."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, FeedPosition, Id, IdType, Instant, Name

CARD_STATUSES = ("active", "replaced", "blocked")


class Customer(Base):
    """A program member. The id is made by the till that registered them, so a
    customer registered offline keeps one identity everywhere. Consent to personal
    data processing is stored with its time and the version of the text shown.
    The same phone registered at two tills offline is one customer: the first
    registration to reach the server keeps its id, the other id becomes a
    ``CustomerAlias``."""

    __tablename__ = "customers"

    id: Mapped[Id]
    phone: Mapped[str] = mapped_column(String(16), unique=True)  # E.164, e.g. +79161234567
    name: Mapped[Name | None]
    birthday: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254))
    heard_from: Mapped[str | None] = mapped_column(String(200))
    referrer_id: Mapped[str | None] = mapped_column(IdType)
    consent_given_at: Mapped[Instant]
    consent_text_version: Mapped[str] = mapped_column(String(32))
    registered_till_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("tills.id"))
    registered_by_staff_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("staff.id"))
    created_at: Mapped[Instant]  # business time: when the till registered them
    feed_position: Mapped[FeedPosition]


class CustomerAlias(Base):
    """An id a till gave a customer the server already knew by phone: it still
    resolves, to ``customer_id``; entries pushed under it are stored under that id."""

    __tablename__ = "customer_aliases"

    alias_id: Mapped[Id]
    customer_id: Mapped[str] = mapped_column(IdType, ForeignKey("customers.id"), index=True)
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    event_id: Mapped[str] = mapped_column(IdType)  # the registration that lost
    merged_at: Mapped[Instant]  # server time
    feed_position: Mapped[FeedPosition]


class CustomerDebt(Base):
    """Bonus a customer owes (spent twice offline, or charged back by a return):
    the projection of their ledger after the last push that touched them. Later
    accruals pay it back; the row stays, at 0, as the record that there was one."""

    __tablename__ = "customer_debts"
    __table_args__ = (CheckConstraint("points >= 0", name="points"),)

    customer_id: Mapped[str] = mapped_column(IdType, ForeignKey("customers.id"), primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger)
    highest_points: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[Instant]


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
    replaced_by: Mapped[str | None] = mapped_column(String(32))
    feed_position: Mapped[FeedPosition]
