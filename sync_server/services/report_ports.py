"""What the managers' reports read, as a port: the dashboard's queries over the server's
roll-ups and facts. Store ids given are the ones the viewer may see (``None``: all)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from loyalty_core.scorecards import StaffActivity


@dataclass(frozen=True, slots=True)
class ReportStore:
    id: str
    name: str
    timezone: str


@dataclass(frozen=True, slots=True)
class ReportStaff:
    id: str
    store_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class DaySpan:
    """Days counted in each store's own zone, both ends included."""

    first: date
    last: date


@dataclass(frozen=True, slots=True)
class StaffDayTotals:
    """A cashier's roll-ups added up over a period, and the two score windows for alerts."""

    staff_id: str
    sales: int = 0
    revenue: int = 0
    with_card: int = 0
    redeemed: int = 0
    returns: int = 0
    refunded: int = 0
    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    reasons: tuple[tuple[str, int], ...] = ()
    recent: tuple[int, int] = (0, 0)  # (sum of scores, votes)
    earlier: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class DayVotes:
    day: date
    votes: int
    total: int  # sum of the scores


@dataclass(frozen=True, slots=True)
class LowVoteRecord:
    staff_id: str
    store_id: str
    sale_id: str
    number: int | None  # the receipt's number on its till
    score: int
    at: datetime
    comment: str


class ReportRepository(Protocol):
    def stores(self, store_ids: Sequence[str] | None) -> list[ReportStore]: ...

    def staff(self, store_ids: Sequence[str] | None) -> list[ReportStaff]: ...

    def staff_totals(
        self,
        store_ids: Sequence[str] | None,
        period: DaySpan,
        recent: DaySpan,
        earlier: DaySpan,
    ) -> dict[str, StaffDayTotals]: ...

    def vote_days(
        self, store_ids: Sequence[str] | None, staff_id: str | None, period: DaySpan
    ) -> list[DayVotes]: ...

    def low_votes(
        self,
        store_ids: Sequence[str] | None,
        staff_id: str | None,
        period: DaySpan,
        limit: int,
    ) -> list[LowVoteRecord]: ...

    def activity(
        self, store_ids: Sequence[str] | None, period: DaySpan
    ) -> dict[str, StaffActivity]: ...
