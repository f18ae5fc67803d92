"""Tables behind sync: exactly-once push, settlements, and the pull feed's counter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, FeedPosition, Id, IdType, Instant, Money, Points

EVENT_STATUSES = ("applied", "rejected")
SETTLEMENT_KINDS = (
    "overdraft",
    "promo_overuse",
    "gift_card_overdraw",
    "return_twice",
    "customer_merged",
    "pricing_differs",
)


class ReceivedEvent(Base):
    """One row per event a till pushed, keyed by the id the till gave it.

    Push inserts it in the transaction that applies the event; an event whose id is
    already here is answered ``duplicate`` (or, if it was rejected, with the same
    refusal) and changes nothing. A rejected event is kept whole (``payload``) so a
    manager can retry it after a fix; ``status`` then becomes ``applied``.
    ``feed_position`` is its place in server arrival order.
    """

    __tablename__ = "received_events"
    __table_args__ = (CheckConstraint(f"status IN {EVENT_STATUSES!r}", name="status"),)

    event_id: Mapped[Id]
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    code: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(String(1000))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # kept while rejected
    created_at: Mapped[Instant]  # the till's clock
    received_at: Mapped[Instant]  # the server's
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    feed_position: Mapped[FeedPosition]


class Settlement(Base):
    """A loyalty effect the server settled instead of refusing a real sale, for managers:

    - ``overdraft``: bonus spent beyond the balance (two offline tills); ``points`` is
      the debt it made, recovered from later accruals;
    - ``promo_overuse``: a promo code used beyond its limit; ``promo_code``;
    - ``gift_card_overdraw``: a gift card spent beyond its balance; ``amount_minor``
      is the gift-card debt;
    - ``return_twice``: a receipt returned again (another till, offline);
      ``amount_minor`` is the money refunded again, ``points`` the bonus the ledger
      did not restore or take back a second time;
    - ``customer_merged``: one phone registered twice; ``alias_id`` now resolves to
      ``customer_id``; ``points`` is the duplicate registration bonus taken back;
    - ``pricing_differs``: the server's re-pricing of a sale differs from the till's
      (other rules, tier...); the till's receipt is what happened and is kept.
    """

    __tablename__ = "settlements"
    __table_args__ = (CheckConstraint(f"kind IN {SETTLEMENT_KINDS!r}", name="kind"),)

    id: Mapped[Id]
    kind: Mapped[str] = mapped_column(String(32), index=True)
    event_id: Mapped[str] = mapped_column(IdType, ForeignKey("received_events.event_id"))
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), index=True)
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    customer_id: Mapped[str | None] = mapped_column(IdType, index=True)
    alias_id: Mapped[str | None] = mapped_column(IdType)
    sale_id: Mapped[str | None] = mapped_column(IdType)
    return_id: Mapped[str | None] = mapped_column(IdType)
    promo_code: Mapped[str | None] = mapped_column(String(64))
    gift_card_id: Mapped[str | None] = mapped_column(String(64))
    points: Mapped[Points]
    amount_minor: Mapped[Money]
    message: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[Instant]
    feed_position: Mapped[FeedPosition]


class ChangeFeedCounter(Base):
    """The single row (id 1) holding the last feed position given out.

    Every table tills pull has a ``feed_position`` column: ``WHERE feed_position >
    :cursor`` is the delta. The trap: a PostgreSQL sequence hands out numbers at
    insert time, but transactions commit in any order. If 7 commits before 6, a
    till that pulled up to 7 moves its cursor past 6 and never sees it. So
    positions are not a sequence. A writing transaction leaves the rows it wrote
    at NULL and, as its last step before commit, takes ``n`` positions with
    ``UPDATE change_feed_counter SET last_position = last_position + :n WHERE id = 1
    RETURNING last_position`` and stamps them on its rows. The row lock is held
    until commit, so the next writer gets higher positions only after this one has
    committed: positions become visible in commit order and a reader never passes
    one that is still to come. The lock is held only from that statement to the
    commit, which keeps 50 tills pushing at once from queueing on it. A reader
    reads every table in one snapshot (REPEATABLE READ on PostgreSQL, a read
    transaction on SQLite), so its pages never mix two moments. An updated row
    gets a new position: a till that pulls it again sees its newest state.
    The first migration inserts the row with ``last_position = 0``."""

    __tablename__ = "change_feed_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_position: Mapped[int] = mapped_column(BigInteger)
