"""A shift's arithmetic, written out: the cash that should be in the drawer, what was short
or over, and the server's check of a Z report."""

from datetime import UTC, datetime

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.shifts import ShiftReport, ShiftTotals, check_cash, check_close, expected_cash

# 12 sales: 8 400,00 kept in cash, 15 600,00 by card; refunds: 300,00 cash, 200,00 to cards.
DAY = ShiftTotals(
    sales=12,
    sales_total=2_400_000,
    returns=2,
    returns_total=50_000,
    cash_in=840_000,
    card_in=1_560_000,
    cash_out=30_000,
    card_out=20_000,
)
AT = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def _report(counted: int | None) -> ShiftReport:
    return ShiftReport("s", 3, AT, "anna", 500_000, DAY, AT, counted)


def test_the_drawer_should_hold_the_float_plus_the_cash_kept_less_the_cash_given_back() -> None:
    assert expected_cash(500_000, DAY) == 500_000 + 840_000 - 30_000 == 1_310_000
    assert DAY.net_total == 2_350_000
    assert expected_cash(0, ShiftTotals()) == 0


def test_the_difference_is_counted_less_expected_short_below_zero_over_above() -> None:
    assert _report(1_310_000).difference == 0
    assert _report(1_309_950).difference == -50  # 0,50 short
    assert _report(1_310_100).difference == 100  # 1,00 over
    x = _report(None)
    assert (x.difference, x.closing, x.expected) == (None, False, 1_310_000)
    assert _report(0).closing  # counted nothing is still a count


def test_a_z_report_that_adds_up_is_taken_and_every_wrong_sum_is_named() -> None:
    check_close(500_000, DAY, 1_310_000, 1_309_950)
    cases = [
        ((500_000, DAY, 1_310_001, 0), "1310001 expected in the drawer, 1310000 by the totals"),
        (
            (500_000, ShiftTotals(sales_total=1, cash_in=0, card_in=0), 500_000, 0),
            "the sales' total is not their cash and card",
        ),
        (
            (0, ShiftTotals(returns_total=5, cash_out=2, card_out=2), -2, 0),
            "the returns' total is not their cash and card",
        ),
    ]
    for args, problem in cases:
        with pytest.raises(DomainError) as refused:
            check_close(*args)
        assert refused.value.code == "shift.mismatch"
        assert refused.value.params == {"problem": problem}


def test_negative_cash_and_negative_totals_are_refused() -> None:
    check_cash(0)
    for amount in (-1, -500_000):
        with pytest.raises(DomainError) as refused:
            check_cash(amount)
        assert refused.value.code == "shift.negative_cash"
    for args in ((-1, DAY, 0, 0), (0, ShiftTotals(), 0, -1)):
        with pytest.raises(DomainError) as refused:
            check_close(*args)
        assert refused.value.code == "shift.negative_cash"
    with pytest.raises(DomainError) as refused:
        ShiftTotals(cash_out=-1)
    assert refused.value.params == {"problem": "cash_out is below zero"}
