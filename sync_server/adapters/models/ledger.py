"""The bonus ledger: every change of a customer's points is one signed entry."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Points
from sync_server.services.clock import utc_now


class LedgerEntry(Base):
    """Balances are sums of entries, never stored counters that a retry could bump
    twice. ``kind`` (accrual, redemption, reversal, expiry, welcome...) is checked by
    the domain, not the database, so a new kind needs no migration."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index(None, "customer_id", "occurred_at"),)

    id: Mapped[Id]
    customer_id: Mapped[str] = mapped_column(IdType, ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(32))
    points: Mapped[Points]
    occurred_at: Mapped[Instant]  # business time
    activates_at: Mapped[Instant | None]  # pending until then; None: spendable at once
    expires_at: Mapped[Instant | None]
    till_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("tills.id"))
    rules_version: Mapped[int | None] = mapped_column(Integer, ForeignKey("rules_versions.version"))
    sale_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("sales.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    author_staff_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("staff.id"))
    recorded_at: Mapped[Instant] = mapped_column(default=utc_now)  # server time
