"""Scorecards over the server's roll-ups, with the figures worked out by hand, and who may
see them (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from loyalty_core.scorecards import AlertKind
from loyalty_core.survey import Reason
from sync_server.adapters.models import StaffDay
from sync_server.services.manager_auth import NotYoursError, Viewer, sign_in
from sync_server.services.report_ports import DaySpan
from sync_server.services.scorecards import (
    BadPeriodError,
    alerts,
    cashier_detail,
    scorecard_page,
    scorecards_csv,
)
from tests.integration.sync_server.report_support import NOW, PASSWORD, Chain, seed_chain


@pytest.fixture
def chain(migrated_engine: Engine) -> Chain:
    return seed_chain(migrated_engine)


def _viewer(chain: Chain, login: str) -> Viewer:
    return sign_in(login, PASSWORD, chain.uow(), now=NOW).viewer


def _page(chain: Chain, login: str = "owner", **kw: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {"store_id": None, "first": None, "last": None, "sort": "score"}
    args.update(kw)
    return scorecard_page(_viewer(chain, login), chain.uow(), now=NOW, **args)  # type: ignore[arg-type]


def test_the_owners_page_worked_by_hand(chain: Chain) -> None:
    page = _page(chain)
    # The last 28 days to today (30 November in Moscow, the first store by name).
    assert page.period == DaySpan(date(2026, 11, 3), date(2026, 11, 30))
    # Votes in the period: Anna 5, 4, 1; Boris 5. The prior is their mean: 15 / 4 = 3.75.
    assert page.prior_mean == Decimal("3.75")
    by_name = {row.staff.name: row.card for row in page.rows}
    anna, boris, vera = by_name["Анна"], by_name["Борис"], by_name["Вера"]
    # Anna: (10 × 3.75 + 10) / 13 = 3.6538 -> 3.65; Boris: (37.5 + 5) / 11 = 3.8636 -> 3.86;
    # Vera, no votes: the prior.
    assert (anna.score, boris.score, vera.score) == (
        Decimal("3.65"),
        Decimal("3.86"),
        Decimal("3.75"),
    )
    assert [row.staff.name for row in page.rows] == ["Борис", "Вера", "Анна"]
    assert anna.votes == 3 and anna.average == Decimal("3.33")
    assert anna.distribution == (1, 0, 0, 1, 1)
    assert anna.top_reasons == ((Reason.POLITE, 2), (Reason.FAST, 1), (Reason.IMPOLITE, 1))
    # Three sales in the period (the one of 20 October is not): 100 + 200 + 50 = 350.00,
    # two with a card: 6,666 bp; the average check 116.666... -> 116.67 half up.
    assert (anna.sales, anna.revenue, anna.card_share_bp, anna.average_check) == (
        3,
        350_00,
        6_666,
        116_67,
    )
    assert (anna.returns, anna.redeemed) == (1, 10)
    # Two registrations by Anna, one with the questionnaire filled; Boris asked one override.
    assert (anna.registrations, anna.questionnaires, anna.overrides) == (2, 1, 0)
    assert boris.overrides == 1
    assert anna.low_comments == ("Нагрубила",)
    # Vera's sale at 01:30 on 3 November in Vladivostok is inside the period (in Moscow it
    # was still the 2nd).
    assert (vera.sales, vera.revenue) == (1, 80_00)


def test_the_stores_days_follow_their_own_zone_in_the_roll_ups(chain: Chain) -> None:
    with chain.uow() as uow:
        days = uow.session.execute(
            select(StaffDay.day, StaffDay.sales).where(StaffDay.staff_id == chain.vera)
        ).all()
    assert days == [(date(2026, 11, 3), 1)]


def test_a_store_manager_sees_only_their_store(chain: Chain) -> None:
    page = _page(chain, "arbat")
    assert [s.name for s in page.stores] == ["Арбат"]
    assert sorted(row.staff.name for row in page.rows) == ["Анна", "Борис"]
    # Within one store the prior is that store's own mean: the same four votes here.
    assert page.prior_mean == Decimal("3.75")
    with pytest.raises(NotYoursError):
        _page(chain, "arbat", store_id=chain.vladivostok)
    with pytest.raises(NotYoursError):
        cashier_detail(
            _viewer(chain, "arbat"), chain.uow(), chain.vera, first=None, last=None, now=NOW
        )
    east = _page(chain, "east")
    assert [row.staff.name for row in east.rows] == ["Вера"]
    assert east.prior_mean == Decimal(4)  # no votes there: a neutral good


def test_a_period_filters_sales_and_votes_and_sorting_by_revenue(chain: Chain) -> None:
    page = _page(chain, first=date(2026, 11, 20), last=date(2026, 11, 30), sort="revenue")
    assert [row.staff.name for row in page.rows] == ["Борис", "Анна", "Вера"]
    anna = next(row.card for row in page.rows if row.staff.name == "Анна")
    assert (anna.sales, anna.revenue, anna.votes) == (2, 250_00, 2)
    by_name = _page(chain, sort="name")
    assert [row.staff.name for row in by_name.rows] == ["Анна", "Борис", "Вера"]
    with pytest.raises(BadPeriodError):
        _page(chain, first=date(2026, 11, 30), last=date(2026, 11, 1))


def test_the_low_vote_is_an_alert_with_its_receipt_and_comment(chain: Chain) -> None:
    found = alerts(
        _viewer(chain, "owner"), chain.uow(), store_id=None, first=None, last=None, now=NOW
    )
    low = [a for a in found.rows if a.alert.kind is AlertKind.LOW_VOTE]
    assert len(low) == 1
    assert low[0].staff.name == "Анна" and low[0].low_vote is not None
    assert (low[0].low_vote.sale_id, low[0].low_vote.score, low[0].low_vote.comment) == (
        chain.anna_low_vote_sale,
        1,
        "Нагрубила",
    )
    assert (
        alerts(
            _viewer(chain, "east"), chain.uow(), store_id=None, first=None, last=None, now=NOW
        ).rows
        == ()
    )


def test_a_cashiers_detail_has_the_weekly_trend(chain: Chain) -> None:
    detail = cashier_detail(
        _viewer(chain, "arbat"), chain.uow(), chain.anna, first=None, last=None, now=NOW
    )
    trend = [(p.week, p.votes, p.average) for p in detail.row.card.trend]
    # Weeks from Monday: 9 Nov (a 5), 16 Nov (a 4), 23 Nov (a 1).
    assert trend == [
        (date(2026, 11, 9), 1, Decimal("5.00")),
        (date(2026, 11, 16), 1, Decimal("4.00")),
        (date(2026, 11, 23), 1, Decimal("1.00")),
    ]
    assert [v.comment for v in detail.low_votes] == ["Нагрубила"]


def test_the_csv_has_a_row_per_cashier_with_money_in_roubles(chain: Chain) -> None:
    text = scorecards_csv(_page(chain, sort="name"))
    lines = text.splitlines()
    assert lines[0].startswith("store,cashier,score,votes,average,votes_1")
    assert lines[1] == "Арбат,Анна,3.65,3,3.33,1,0,0,1,1,3,350.00,116.67,1,66.66,2,1,0.10,0"
    assert len(lines) == 4
