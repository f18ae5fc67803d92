"""The managers' reports over SQL: scorecards read the daily roll-ups (``staff_days``);
low votes, registrations and overrides are read from their own tables, each store's days
bounded in its own zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, true
from sqlalchemy.orm import Session

from loyalty_core.scorecards import LOW_SCORE, StaffActivity
from loyalty_core.survey import Reason
from sync_server.adapters.models import Customer, Override, Sale, Staff, StaffDay, Store, Vote
from sync_server.services.report_ports import (
    DaySpan,
    DayVotes,
    LowVoteRecord,
    ReportStaff,
    ReportStore,
    StaffDayTotals,
)

_D = StaffDay
_VOTES = _D.score_1 + _D.score_2 + _D.score_3 + _D.score_4 + _D.score_5
_SCORE_SUM = _D.score_1 + 2 * _D.score_2 + 3 * _D.score_3 + 4 * _D.score_4 + 5 * _D.score_5
_TALLIES = {
    "sales": _D.sales,
    "revenue": _D.revenue_minor,
    "with_card": _D.with_card,
    "redeemed": _D.redeemed_points,
    "returns": _D.returns,
    "refunded": _D.refunded_minor,
    **{f"score_{n}": getattr(_D, f"score_{n}") for n in range(1, 6)},
    **{f"reason_{r.value}": getattr(_D, f"reason_{r.value}") for r in Reason},
}


def _sum_within(span: DaySpan, value: Any) -> Any:
    return func.coalesce(func.sum(case((_D.day.between(span.first, span.last), value), else_=0)), 0)


def _bounds(span: DaySpan, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(span.first, time(), zone).astimezone(UTC)
    end = datetime.combine(span.last + timedelta(days=1), time(), zone).astimezone(UTC)
    return start, end


class SqlReportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def stores(self, store_ids: Sequence[str] | None) -> list[ReportStore]:
        query = select(Store.id, Store.name, Store.timezone).order_by(Store.name)
        if store_ids is not None:
            query = query.where(Store.id.in_(store_ids))
        return [ReportStore(*row) for row in self._session.execute(query)]

    def staff(self, store_ids: Sequence[str] | None) -> list[ReportStaff]:
        query = select(Staff.id, Staff.store_id, Staff.name, Staff.role).order_by(Staff.name)
        if store_ids is not None:
            query = query.where(Staff.store_id.in_(store_ids))
        return [ReportStaff(*row) for row in self._session.execute(query)]

    def _where_stores(self, column: Any, store_ids: Sequence[str] | None) -> ColumnElement[bool]:
        if store_ids is None:
            return true()
        return column.in_(store_ids) if store_ids else false()

    def _within(
        self, store_column: Any, at_column: Any, store_ids: Sequence[str] | None, span: DaySpan
    ) -> ColumnElement[bool]:
        """``at`` within the span's days, each store's days in its own zone."""
        terms = []
        for store in self.stores(store_ids):
            start, end = _bounds(span, ZoneInfo(store.timezone))
            terms.append(and_(store_column == store.id, at_column >= start, at_column < end))
        return or_(*terms) if terms else false()

    def staff_totals(
        self,
        store_ids: Sequence[str] | None,
        period: DaySpan,
        recent: DaySpan,
        earlier: DaySpan,
    ) -> dict[str, StaffDayTotals]:
        columns = [_sum_within(period, value).label(name) for name, value in _TALLIES.items()]
        query = (
            select(
                _D.staff_id,
                *columns,
                _sum_within(recent, _SCORE_SUM).label("recent_sum"),
                _sum_within(recent, _VOTES).label("recent_votes"),
                _sum_within(earlier, _SCORE_SUM).label("earlier_sum"),
                _sum_within(earlier, _VOTES).label("earlier_votes"),
            )
            .where(
                self._where_stores(_D.store_id, store_ids),
                _D.day >= min(period.first, earlier.first),
                _D.day <= max(period.last, recent.last),
            )
            .group_by(_D.staff_id)
        )
        out: dict[str, StaffDayTotals] = {}
        for row in self._session.execute(query).mappings():
            n = {key: int(value) for key, value in row.items() if key != "staff_id"}
            out[row["staff_id"]] = StaffDayTotals(
                staff_id=row["staff_id"],
                sales=n["sales"],
                revenue=n["revenue"],
                with_card=n["with_card"],
                redeemed=n["redeemed"],
                returns=n["returns"],
                refunded=n["refunded"],
                distribution=(
                    n["score_1"],
                    n["score_2"],
                    n["score_3"],
                    n["score_4"],
                    n["score_5"],
                ),
                reasons=tuple((r.value, n[f"reason_{r.value}"]) for r in Reason),
                recent=(n["recent_sum"], n["recent_votes"]),
                earlier=(n["earlier_sum"], n["earlier_votes"]),
            )
        return out

    def vote_days(
        self, store_ids: Sequence[str] | None, staff_id: str | None, period: DaySpan
    ) -> list[DayVotes]:
        query = (
            select(_D.day, func.sum(_VOTES), func.sum(_SCORE_SUM))
            .where(
                self._where_stores(_D.store_id, store_ids),
                _D.day.between(period.first, period.last),
                _VOTES > 0,
            )
            .group_by(_D.day)
            .order_by(_D.day)
        )
        if staff_id is not None:
            query = query.where(_D.staff_id == staff_id)
        return [
            DayVotes(day, int(votes), int(total))
            for day, votes, total in self._session.execute(query)
        ]

    def low_votes(
        self,
        store_ids: Sequence[str] | None,
        staff_id: str | None,
        period: DaySpan,
        limit: int,
    ) -> list[LowVoteRecord]:
        query = (
            select(
                Vote.staff_id,
                Vote.store_id,
                Vote.sale_id,
                Sale.number,
                Vote.score,
                Vote.at,
                Vote.comment,
            )
            .join(Sale, Sale.id == Vote.sale_id)
            .where(Vote.score <= LOW_SCORE, self._within(Vote.store_id, Vote.at, store_ids, period))
            .order_by(Vote.at.desc(), Vote.sale_id)
            .limit(limit)
        )
        if staff_id is not None:
            query = query.where(Vote.staff_id == staff_id)
        return [LowVoteRecord(*row) for row in self._session.execute(query)]

    def activity(
        self, store_ids: Sequence[str] | None, period: DaySpan
    ) -> dict[str, StaffActivity]:
        completed = case(
            (and_(Customer.name.is_not(None), Customer.birthday.is_not(None)), 1), else_=0
        )
        registered = (
            select(Customer.registered_by_staff_id, func.count(), func.sum(completed))
            .join(Staff, Staff.id == Customer.registered_by_staff_id)
            .where(self._within(Staff.store_id, Customer.created_at, store_ids, period))
            .group_by(Customer.registered_by_staff_id)
        )
        counts: dict[str, list[int]] = {}
        for staff_id, registrations, questionnaires in self._session.execute(registered):
            counts[staff_id] = [int(registrations), int(questionnaires or 0), 0]
        overrides = (
            select(Override.staff_id, func.count())
            .where(self._within(Override.store_id, Override.at, store_ids, period))
            .group_by(Override.staff_id)
        )
        for staff_id, asked in self._session.execute(overrides):
            counts.setdefault(staff_id, [0, 0, 0])[2] = int(asked)
        return {
            staff_id: StaffActivity(registrations=r, questionnaires=q, overrides=o)
            for staff_id, (r, q, o) in counts.items()
        }
