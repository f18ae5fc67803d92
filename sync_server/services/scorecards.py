"""The managers' scorecards: per cashier, per store, per period, from the daily roll-ups.

A viewer sees only their stores (an owner sees all). Periods are whole days in each
store's zone. The prior of the volume-aware score is the mean of every vote in the
stores and period shown (4 without any), so cashiers are ranked against their own shop.
The two windows of the score-drop alert are the 28 days to today and the 28 before.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from loyalty_core.errors import DomainError
from loyalty_core.scorecards import (
    WINDOW_DAYS,
    Alert,
    AlertKind,
    LowVote,
    Scorecard,
    StaffActivity,
    StaffTotals,
    WeekPoint,
    mean_of,
    scorecard_of,
)
from loyalty_core.survey import SCORES, Reason
from loyalty_core.wire.scorecards import ReasonCountV1, ScorecardsV1, ScorecardV1
from sync_server.services.manager_auth import NotYoursError, Viewer
from sync_server.services.report_ports import (
    DaySpan,
    DayVotes,
    LowVoteRecord,
    ReportStaff,
    ReportStore,
    StaffDayTotals,
)
from sync_server.services.tills import TillRecord, canonical_id
from sync_server.services.unit_of_work import UnitOfWork

DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366
LOW_VOTES_SHOWN = 200
DEFAULT_ZONE = "Europe/Moscow"
SORTS = ("score", "votes", "average", "card_share", "sales", "revenue", "average_check", "name")


class BadPeriodError(DomainError):
    code = "report.bad_period"
    template = "A period runs from a day to a later one, at most {most} days."


class StaffUnknownError(DomainError):
    code = "report.staff_unknown"
    template = "There is no such cashier."


@dataclass(frozen=True, slots=True)
class ScorecardRow:
    staff: ReportStaff
    store: ReportStore
    card: Scorecard


@dataclass(frozen=True, slots=True)
class ScorecardPage:
    stores: tuple[ReportStore, ...]  # the ones the viewer may pick
    store_id: str | None  # the one picked (None: all of the viewer's)
    period: DaySpan
    sort: str
    rows: tuple[ScorecardRow, ...]
    prior_mean: Decimal
    trend: tuple[WeekPoint, ...]  # every vote of the stores shown, by week


@dataclass(frozen=True, slots=True)
class AlertRow:
    alert: Alert
    staff: ReportStaff
    store: ReportStore
    low_vote: LowVoteRecord | None = None  # for a low-vote alert: the receipt and comment


@dataclass(frozen=True, slots=True)
class AlertsPage:
    stores: tuple[ReportStore, ...]  # the ones the viewer may pick
    store_id: str | None
    period: DaySpan
    rows: tuple[AlertRow, ...]


@dataclass(frozen=True, slots=True)
class CashierDetail:
    row: ScorecardRow
    period: DaySpan
    prior_mean: Decimal
    low_votes: tuple[LowVoteRecord, ...]
    alerts: tuple[AlertRow, ...]


def today_of(stores: Sequence[ReportStore], now: datetime) -> date:
    zone = ZoneInfo(stores[0].timezone if stores else DEFAULT_ZONE)
    return now.astimezone(zone).date()


def period_of(first: date | None, last: date | None, today: date) -> DaySpan:
    """The days asked for; by default the ``DEFAULT_DAYS`` to today."""
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise BadPeriodError(most=MAX_DAYS)
    return DaySpan(first, last)


def _visible(viewer: Viewer, uow: UnitOfWork, store_id: str | None) -> list[ReportStore]:
    """The viewer's stores, or the one asked for; another's store is refused."""
    if store_id is not None and (
        canonical_id(store_id) != store_id or not viewer.may_see(store_id)
    ):
        raise NotYoursError()  # no such store is none of theirs either
    stores = uow.reports.stores(viewer.store_ids)
    if store_id is not None:
        stores = [s for s in stores if s.id == store_id]
    return stores


def _weeks(days: Sequence[DayVotes]) -> tuple[WeekPoint, ...]:
    weeks: dict[date, list[int]] = {}
    for day in days:
        week = day.day - timedelta(days=day.day.weekday())
        votes, total = weeks.setdefault(week, [0, 0])
        weeks[week] = [votes + day.votes, total + day.total]
    points = []
    for week, (votes, total) in sorted(weeks.items()):
        average = mean_of(total, votes)
        assert average is not None  # a day is listed only with votes
        points.append(WeekPoint(week, votes, average))
    return tuple(points)


def _prior(totals: Sequence[StaffDayTotals]) -> Decimal:
    votes = sum(sum(t.distribution) for t in totals)
    total = sum(n * c for t in totals for n, c in zip(SCORES, t.distribution, strict=True))
    found = mean_of(total, votes)
    return found if found is not None else Decimal(4)


def _staff_totals(
    found: StaffDayTotals | None,
    staff_id: str,
    activity: StaffActivity,
    low: Sequence[LowVoteRecord],
) -> StaffTotals:
    found = found or StaffDayTotals(staff_id)
    return StaffTotals(
        staff_id=staff_id,
        sales=found.sales,
        revenue=found.revenue,
        with_card=found.with_card,
        returns=found.returns,
        redeemed=found.redeemed,
        distribution=found.distribution,
        reasons=tuple((Reason(r), n) for r, n in found.reasons),
        low_votes=tuple(LowVote(v.sale_id, v.at, v.comment) for v in low),
        recent=found.recent,
        earlier=found.earlier,
        activity=activity,
    )


def _cards(
    uow: UnitOfWork, stores: list[ReportStore], period: DaySpan, today: date, staff_id: str | None
) -> tuple[list[ScorecardRow], Decimal, list[LowVoteRecord]]:
    store_ids = [s.id for s in stores]
    recent = DaySpan(today - timedelta(days=WINDOW_DAYS - 1), today)
    earlier = DaySpan(recent.first - timedelta(days=WINDOW_DAYS), recent.first - timedelta(days=1))
    totals = uow.reports.staff_totals(store_ids, period, recent, earlier)
    prior = _prior(list(totals.values()))
    activity = uow.reports.activity(store_ids, period)
    low = uow.reports.low_votes(store_ids, staff_id, period, LOW_VOTES_SHOWN)
    by_store = {s.id: s for s in stores}
    rows = []
    for staff in uow.reports.staff(store_ids):
        if staff_id is not None and staff.id != staff_id:
            continue
        mine = [v for v in low if v.staff_id == staff.id]
        card = scorecard_of(
            _staff_totals(
                totals.get(staff.id), staff.id, activity.get(staff.id, StaffActivity()), mine
            ),
            prior_mean=prior,
        )
        rows.append(ScorecardRow(staff, by_store[staff.store_id], card))
    return rows, prior, low


def _sort_key(sort: str, row: ScorecardRow) -> tuple[object, ...]:
    card = row.card
    figures: dict[str, object] = {
        "score": card.score,
        "votes": card.votes,
        "average": card.average if card.average is not None else Decimal(-1),
        "card_share": card.card_share_bp,
        "sales": card.sales,
        "revenue": card.revenue,
        "average_check": card.average_check,
    }
    if sort == "name":
        return (row.staff.name.casefold(), row.staff.id)
    return (figures[sort], card.votes, row.staff.id)


def scorecard_page(
    viewer: Viewer,
    uow: UnitOfWork,
    *,
    store_id: str | None,
    first: date | None,
    last: date | None,
    sort: str,
    now: datetime,
) -> ScorecardPage:
    """Every cashier of the stores shown, best served first unless sorted otherwise."""
    sort = sort if sort in SORTS else "score"
    with uow:
        stores = _visible(viewer, uow, store_id)
        today = today_of(stores, now)
        period = period_of(first, last, today)
        rows, prior, _ = _cards(uow, stores, period, today, None)
        days = uow.reports.vote_days([s.id for s in stores], None, period)
        choices = tuple(uow.reports.stores(viewer.store_ids))
    rows.sort(key=lambda row: _sort_key(sort, row), reverse=sort != "name")
    return ScorecardPage(choices, store_id, period, sort, tuple(rows), prior, _weeks(days))


def _alert_rows(rows: Sequence[ScorecardRow], low: Sequence[LowVoteRecord]) -> list[AlertRow]:
    by_sale = {v.sale_id: v for v in low}
    found = []
    for row in rows:
        for alert in row.card.alerts:
            vote = by_sale.get(alert.detail) if alert.kind is AlertKind.LOW_VOTE else None
            found.append(AlertRow(alert, row.staff, row.store, vote))
    # The few that say most first (a falling score, cards not offered), then low votes.
    order = {AlertKind.SCORE_DROP: 0, AlertKind.FEW_CARDS: 1, AlertKind.LOW_VOTE: 2}
    return sorted(
        found,
        key=lambda a: (
            order[a.alert.kind],
            -(a.low_vote.at.timestamp() if a.low_vote else 0),
            a.staff.name,
        ),
    )


def alerts(
    viewer: Viewer,
    uow: UnitOfWork,
    *,
    store_id: str | None,
    first: date | None,
    last: date | None,
    now: datetime,
) -> AlertsPage:
    """What managers should look at: score drops, few cards, then low votes (newest first)."""
    with uow:
        stores = _visible(viewer, uow, store_id)
        today = today_of(stores, now)
        period = period_of(first, last, today)
        rows, _, low = _cards(uow, stores, period, today, None)
        choices = tuple(uow.reports.stores(viewer.store_ids))
    return AlertsPage(choices, store_id, period, tuple(_alert_rows(rows, low)))


def cashier_detail(
    viewer: Viewer,
    uow: UnitOfWork,
    staff_id: str,
    *,
    first: date | None,
    last: date | None,
    now: datetime,
) -> CashierDetail:
    with uow:
        staff = next((s for s in uow.reports.staff(None) if s.id == staff_id), None)
        if staff is None:
            raise StaffUnknownError()
        stores = _visible(viewer, uow, staff.store_id)
        today = today_of(stores, now)
        period = period_of(first, last, today)
        rows, prior, low = _cards(uow, stores, period, today, staff_id)
        days = uow.reports.vote_days([staff.store_id], staff_id, period)
    row = rows[0]
    row = replace(row, card=replace(row.card, trend=_weeks(days)))
    return CashierDetail(row, period, prior, tuple(low), tuple(_alert_rows([row], low)))


CSV_COLUMNS = (
    "store",
    "cashier",
    "score",
    "votes",
    "average",
    "votes_1",
    "votes_2",
    "votes_3",
    "votes_4",
    "votes_5",
    "sales",
    "revenue",
    "average_check",
    "returns",
    "card_share_percent",
    "registrations",
    "questionnaires",
    "bonus_redeemed",
    "overrides",
)


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}" if minor >= 0 else "-" + _money(-minor)


def _text(value: str) -> str:
    """A name a spreadsheet would run as a formula is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def scorecards_csv(page: ScorecardPage) -> str:
    """The page as CSV (comma-separated, dot decimals, money in major units)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in page.rows:
        card = row.card
        writer.writerow(
            (
                _text(row.store.name),
                _text(row.staff.name),
                card.score,
                card.votes,
                "" if card.average is None else card.average,
                *card.distribution,
                card.sales,
                _money(card.revenue),
                _money(card.average_check),
                card.returns,
                f"{card.card_share_bp // 100}.{card.card_share_bp % 100:02d}",
                card.registrations,
                card.questionnaires,
                _money(card.redeemed),  # bonus points are minor units of the currency
                card.overrides,
            )
        )
    return out.getvalue()


TILL_COMMENTS = 20
MANAGER_ROLE = "manager"  # a staff role that sees the whole store's cards at the till


def _wire(row: ScorecardRow) -> ScorecardV1:
    card = row.card
    return ScorecardV1(
        staff_id=row.staff.id,
        name=row.staff.name,
        score=card.score,
        votes=card.votes,
        average=card.average,
        distribution=list(card.distribution),
        top_reasons=[ReasonCountV1(reason=r.value, votes=n) for r, n in card.top_reasons],
        low_comments=list(card.low_comments[:TILL_COMMENTS]),
        sales=card.sales,
        revenue=card.revenue,
        average_check=card.average_check,
        returns=card.returns,
        card_share_bp=card.card_share_bp,
        registrations=card.registrations,
        questionnaires=card.questionnaires,
        redeemed=card.redeemed,
        overrides=card.overrides,
    )


def till_scorecards(
    till: TillRecord, staff_id: str, uow: UnitOfWork, *, now: datetime
) -> ScorecardsV1:
    """What the till shows the staff member signed in: a manager every cashier of the
    till's store, anyone else only their own card (the last ``DEFAULT_DAYS`` days)."""
    store_id = till.store.id
    with uow:
        staff = next((s for s in uow.reports.staff([store_id]) if s.id == staff_id), None)
        if staff is None:
            raise StaffUnknownError()
        stores = uow.reports.stores([store_id])
        today = today_of(stores, now)
        period = period_of(None, None, today)
        whole = staff.role == MANAGER_ROLE
        rows, prior, _ = _cards(uow, stores, period, today, None if whole else staff_id)
    rows.sort(key=lambda row: _sort_key("score", row), reverse=True)
    return ScorecardsV1(
        store_id=store_id,
        first=period.first,
        last=period.last,
        prior_mean=prior,
        cards=[_wire(row) for row in rows],
        whole_store=whole,
    )
