"""Roll-ups the managers' scorecards read: one row per store, cashier and day.

Kept up to date in the transaction that stores each fact (a sale, a return, a vote; see
``SqlSyncRepository``), so a scorecard over a year of a chain reads days, not every sale.
``day`` is the date in the store's own time zone (``stores.timezone``). Money in minor
units, points whole. A new survey reason needs a column here (and a migration), on purpose.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from sqlalchemy import BigInteger, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, IdType

Tally = Annotated[int, mapped_column(BigInteger, default=0, server_default="0")]

# The columns a fact adds to (all but the key).
STAFF_DAY_TALLIES = (
    "sales",
    "revenue_minor",
    "with_card",
    "redeemed_points",
    "returns",
    "refunded_minor",
    "score_1",
    "score_2",
    "score_3",
    "score_4",
    "score_5",
    "reason_polite",
    "reason_fast",
    "reason_helpful",
    "reason_offered_card",
    "reason_slow",
    "reason_impolite",
    "reason_mistake",
)


class StaffDay(Base):
    __tablename__ = "staff_days"

    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), primary_key=True)
    staff_id: Mapped[str] = mapped_column(IdType, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    sales: Mapped[Tally]  # sales rung up (returns apart)
    revenue_minor: Mapped[Tally]  # money paid on them
    with_card: Mapped[Tally]  # of them, with a customer attached (card or phone)
    redeemed_points: Mapped[Tally]  # bonus spent on them
    returns: Mapped[Tally]  # returns the cashier took
    refunded_minor: Mapped[Tally]
    score_1: Mapped[Tally]  # votes on the cashier's receipts, by score
    score_2: Mapped[Tally]
    score_3: Mapped[Tally]
    score_4: Mapped[Tally]
    score_5: Mapped[Tally]
    reason_polite: Mapped[Tally]  # votes naming each reason (loyalty_core.survey.Reason)
    reason_fast: Mapped[Tally]
    reason_helpful: Mapped[Tally]
    reason_offered_card: Mapped[Tally]
    reason_slow: Mapped[Tally]
    reason_impolite: Mapped[Tally]
    reason_mistake: Mapped[Tally]
