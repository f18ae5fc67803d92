"""Spending bonus at checkout: what is asked, what is there, the cap, the offline limit.

Plain rules: cap 30% of what bonus may pay, no minimum check, kopecks (no whole units).
"""

from datetime import datetime

import pytest

from loyalty_core.pricing import MAX, price_checkout
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, line, lot, plain_rules


def _customer(points: int) -> CustomerState:
    return CustomerState(CUSTOMER, project(CUSTOMER, [lot(points, when=at(-1))]))


def _redeem_notes(receipt: PricedReceipt) -> list[tuple[str, dict[str, int | str]]]:
    return [(n.code, n.params) for n in receipt.notes if n.code.startswith("redeem.")]


def test_no_bonus_is_spent_unless_asked() -> None:
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=_customer(5_000))
    assert (receipt.redeemed, receipt.due) == (0, 10_000)
    # The cashier still sees what could be spent: 30% of 100,00 = 30,00 of the 50,00 held.
    assert (receipt.available_before, receipt.redeem_cap, receipt.redeem_most) == (
        5_000,
        3_000,
        3_000,
    )
    assert _redeem_notes(receipt) == []


def test_one_kopeck_of_bonus_can_be_spent() -> None:
    receipt = price_checkout(
        plain_rules(), [line(10_000)], now=T0, customer=_customer(5_000), redeem=1
    )
    assert (receipt.redeemed, receipt.due) == (1, 9_999)
    assert _redeem_notes(receipt) == [("redeem.applied", {"points": 1})]


def test_asking_exactly_the_balance_spends_it_all_one_kopeck_more_is_short() -> None:
    customer = _customer(2_000)
    exact = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=2_000)
    assert exact.redeemed == 2_000
    assert _redeem_notes(exact) == [("redeem.applied", {"points": 2_000})]
    more = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=2_001)
    assert more.redeemed == 2_000
    assert _redeem_notes(more) == [
        ("redeem.insufficient", {"available": 2_000, "requested": 2_001}),
        ("redeem.applied", {"points": 2_000}),
    ]


def test_asking_exactly_the_cap_spends_it_one_kopeck_more_is_capped() -> None:
    # Cap: 30% of 100,00 = 30,00.
    customer = _customer(5_000)
    exact = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=3_000)
    assert _redeem_notes(exact) == [("redeem.applied", {"points": 3_000})]
    more = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=3_001)
    assert more.redeemed == 3_000
    assert _redeem_notes(more) == [
        ("redeem.cap_reached", {"cap_bp": 3000, "cap": 3_000}),
        ("redeem.applied", {"points": 3_000}),
    ]


def test_without_whole_units_the_cap_is_exact_to_the_kopeck() -> None:
    # 30% of 10,10 = 3,03: an odd number of kopecks, spent as it is.
    receipt = price_checkout(
        plain_rules(), [line(1_010)], now=T0, customer=_customer(5_000), redeem=MAX
    )
    assert (receipt.redeem_cap, receipt.redeem_most, receipt.redeemed) == (303, 303, 303)
    assert receipt.due == 707


def test_a_line_bonus_cannot_pay_adds_nothing_to_the_cap() -> None:
    # 30% of 33,33 = 9,999 -> 9,99; the tobacco line beside it must not make it 30% of 33,34.
    cart = [line(3_333), line(5_000, category="tobacco")]
    receipt = price_checkout(plain_rules(), cart, now=T0, customer=_customer(5_000), redeem=MAX)
    assert receipt.redeem_cap == 999
    assert [ln.redeemed for ln in receipt.lines] == [999, 0]


def test_a_check_bonus_cannot_pay_at_all_says_so() -> None:
    cart = [line(5_000, category="tobacco")]
    receipt = price_checkout(plain_rules(), cart, now=T0, customer=_customer(5_000), redeem=500)
    assert (receipt.redeem_cap, receipt.redeem_most, receipt.redeemed) == (0, 0, 0)
    assert _redeem_notes(receipt) == [("redeem.nothing_eligible", {})]


def test_an_offline_limit_of_exactly_the_balance_limits_nothing() -> None:
    receipt = price_checkout(
        plain_rules(),
        [line(100_000)],
        now=T0,
        customer=_customer(5_000),
        redeem=MAX,
        redeem_limit=5_000,
    )
    assert receipt.redeemed == 5_000
    assert _redeem_notes(receipt) == [("redeem.applied", {"points": 5_000})]


@pytest.mark.parametrize("limit", [0, -500])
def test_an_offline_limit_of_nothing_or_less_spends_nothing(limit: int) -> None:
    receipt = price_checkout(
        plain_rules(),
        [line(100_000)],
        now=T0,
        customer=_customer(5_000),
        redeem=MAX,
        redeem_limit=limit,
    )
    assert (receipt.redeemed, receipt.redeem_most, receipt.available_before) == (0, 0, 5_000)
    assert _redeem_notes(receipt) == [("redeem.offline_limit", {"limit": 0})]


@pytest.mark.parametrize("reason", ["redeem.server_balance", "redeem.online_only"])
def test_a_limit_below_the_balance_is_told_by_the_reason_given(reason: str) -> None:
    receipt = price_checkout(
        plain_rules(),
        [line(100_000)],
        now=T0,
        customer=_customer(5_000),
        redeem=MAX,
        redeem_limit=1_200,
        redeem_limit_reason=reason,
    )
    assert receipt.redeemed == 1_200
    assert (reason, {"limit": 1_200}) in _redeem_notes(receipt)
    assert "redeem.offline_limit" not in [code for code, _ in _redeem_notes(receipt)]


def test_a_naive_time_a_negative_request_and_repeated_line_ids_are_programming_errors() -> None:
    with pytest.raises(ValueError) as naive:
        price_checkout(plain_rules(), [line(100)], now=datetime(2024, 3, 1, 9))
    assert str(naive.value) == "now must be an aware datetime"
    with pytest.raises(ValueError) as negative:
        price_checkout(plain_rules(), [line(100)], now=T0, customer=_customer(100), redeem=-1)
    assert str(negative.value) == "redeem must be >= 0 or 'max'"
    with pytest.raises(ValueError) as repeated:
        price_checkout(plain_rules(), [line(100, line_id="a"), line(200, line_id="a")], now=T0)
    assert str(repeated.value) == (
        "cart lines must have distinct line_id: returns address lines by it"
    )
