"""The bonus ledger: every change of a customer's points (and of a gift card's money)
is one signed entry, as ``loyalty_core.ledger.LedgerEntry`` defines it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import (
    Base,
    FeedPosition,
    Id,
    IdType,
    Instant,
    Money,
    Points,
)


class LedgerEntry(Base):
    """Balances are projections of entries, never stored counters that a retry could
    bump twice. ``kind`` is checked by the domain, not the database, so a new kind
    needs no migration. Ids come from the till (derived from the sale's id), so an
    entry pushed twice is the same row. ``till_id`` is text: entries the server makes
    itself (a merge's settlement) name the server, not a till."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index(None, "customer_id", "occurred_at"),)

    id: Mapped[Id]
    customer_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    points: Mapped[Points]
    amount_minor: Mapped[Money]
    occurred_at: Mapped[Instant]  # business time
    activates_at: Mapped[Instant | None]  # pending until then
    expires_at: Mapped[Instant | None]
    till_id: Mapped[str] = mapped_column(String(64))
    rules_version: Mapped[int] = mapped_column(Integer)
    sale_id: Mapped[str | None] = mapped_column(String(64), index=True)
    lot_id: Mapped[str | None] = mapped_column(String(64))
    gift_card_id: Mapped[str | None] = mapped_column(String(64), index=True)
    ref: Mapped[str | None] = mapped_column(String(500))
    reason: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[str | None] = mapped_column(IdType)  # the pushed event that brought it
    recorded_at: Mapped[Instant]  # server time
    feed_position: Mapped[FeedPosition]
