"""Tables behind sync: exactly-once push and the pull change feed."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant
from sync_server.services.clock import utc_now


class ReceivedEvent(Base):
    """One row per event a till pushed, keyed by the id the till gave it.

    Push applies an event and inserts this row in the same transaction, and
    inserts it first (``INSERT ... ON CONFLICT (event_id) DO NOTHING``): if no row
    was inserted the event was applied before, and a retried or duplicated request
    changes nothing.
    """

    __tablename__ = "received_events"

    event_id: Mapped[Id]
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    kind: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[Instant] = mapped_column(default=utc_now)


class ChangeFeedEntry(Base):
    """What changed, in the order tills must pull it: ``WHERE position > :cursor``.

    The trap: a PostgreSQL sequence hands out numbers at insert time, but
    transactions commit in any order. If 7 commits before 6, a till that pulled up
    to 7 moves its cursor past 6 and never sees it. So ``position`` is not a
    sequence. It is taken from ``ChangeFeedCounter`` with
    ``UPDATE change_feed_counter SET last_position = last_position + :n
    WHERE id = 1 RETURNING last_position`` as the last statement before the writing
    transaction commits. The row lock is held until commit, so the next writer gets
    a higher position only after this one has committed: positions become visible
    in commit order, and the feed has no gaps a reader could pass. The lock is held
    only from that statement to the commit (one round-trip), which keeps 50 tills
    pushing at once from queueing on it. (The alternative, rows stamped with
    ``pg_current_xact_id()`` and read only below ``pg_snapshot_xmin(pg_current_snapshot())``,
    is PostgreSQL-only; SQLite has one writer at a time and needs neither.)

    ``store_id`` scopes a change to one store's tills (staff, tills); ``None`` means
    every till pulls it (customers, cards, balances, rules).
    """

    __tablename__ = "change_feed"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(32))  # customer, card, ledger, rules, staff...
    entity_id: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("stores.id"))
    changed_at: Mapped[Instant] = mapped_column(default=utc_now)


class ChangeFeedCounter(Base):
    """The single row (id 1) holding the last position given to the change feed.
    The first migration inserts it with ``last_position = 0``."""

    __tablename__ = "change_feed_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_position: Mapped[int] = mapped_column(BigInteger)
