"""Pricing at its limits: the value exactly at a limit, one below, one above."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import MAX, current_tier, price_checkout, tier_spend
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.rules import LoyaltyRules, Tier, TierPolicy
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, entry, line, lot, plain_rules, uid

YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")  # +05:00 all year


def _customer(*entries: object) -> CustomerState:
    return CustomerState(CUSTOMER, project(CUSTOMER, list(entries)))  # type: ignore[arg-type]


def _note(receipt: PricedReceipt, code: str) -> dict[str, int | str]:
    return next(n.params for n in receipt.notes if n.code == code)


def _codes(receipt: PricedReceipt) -> list[str]:
    return [n.code for n in receipt.notes]


# --- the minimum check for paying with bonus -------------------------------------------------


def test_a_check_of_exactly_the_minimum_can_be_paid_with_bonus() -> None:
    # Minimum 100,00; a 100,00 check: cap 30% = 30,00; the 5,00 asked for is spent.
    rules = plain_rules(redemption={"min_check": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    receipt = price_checkout(rules, [line(10_000)], now=T0, customer=customer, redeem=500)
    assert (receipt.redeem_cap, receipt.redeem_most, receipt.redeemed) == (3_000, 3_000, 500)
    assert receipt.due == 9_500
    assert "redeem.min_check" not in _codes(receipt)


def test_a_check_one_kopeck_below_the_minimum_cannot_be_paid_with_bonus() -> None:
    # 99,99 < 100,00: no cap at all, and the cashier is told the minimum.
    rules = plain_rules(redemption={"min_check": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    receipt = price_checkout(rules, [line(9_999)], now=T0, customer=customer, redeem=500)
    assert (receipt.redeem_cap, receipt.redeem_most, receipt.redeemed) == (0, 0, 0)
    assert receipt.due == 9_999
    assert _note(receipt, "redeem.min_check") == {"min_check": 10_000}


def test_asking_one_kopeck_of_bonus_below_the_minimum_is_told_the_minimum() -> None:
    rules = plain_rules(redemption={"min_check": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    receipt = price_checkout(rules, [line(9_999)], now=T0, customer=customer, redeem=1)
    assert receipt.redeemed == 0
    assert _note(receipt, "redeem.min_check") == {"min_check": 10_000}
    # Asking for nothing explains nothing.
    quiet = price_checkout(rules, [line(9_999)], now=T0, customer=customer, redeem=0)
    assert [c for c in _codes(quiet) if c.startswith("redeem.")] == []


def test_the_minimum_is_measured_after_discounts_and_counts_lines_bonus_cannot_pay() -> None:
    # 90,00 of goods + 10,00 of tobacco = 100,00 of check: at the minimum, although bonus
    # may pay only the goods (cap 30% of 90,00 = 27,00).
    rules = plain_rules(redemption={"min_check": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    cart = [line(9_000), line(1_000, category="tobacco")]
    receipt = price_checkout(rules, cart, now=T0, customer=customer, redeem=MAX)
    assert (receipt.redeem_cap, receipt.redeemed) == (2_700, 2_700)
    # A 1% promo on the goods (tobacco takes no discount) takes 0,90 off: 99,10 net, which is
    # below the minimum.
    promo = {"code": "ONE", "kind": "percent", "value": 100}
    discounted = price_checkout(
        plain_rules(redemption={"min_check": 10_000}, promos=(promo,)),
        cart,
        now=T0,
        customer=customer,
        redeem=MAX,
        promo_codes=["ONE"],
    )
    assert discounted.discount_total == 90  # 1% of the 90,00 the promo may touch
    assert (discounted.redeem_cap, discounted.redeemed) == (0, 0)
    assert _note(discounted, "redeem.min_check") == {"min_check": 10_000}


# --- the tier window's last day ---------------------------------------------------------------

SILVER_AT_1000 = TierPolicy(
    tiers=(
        Tier(code="base", name="Base", min_spend=0, accrual_bp=500),
        Tier(code="silver", name="Silver", min_spend=100_000, discount_bp=1000, accrual_bp=500),
    ),
    window_days=30,
)


def _windowed(timezone: str = "UTC") -> LoyaltyRules:
    return plain_rules(timezone=timezone, tiers=SILVER_AT_1000)


def _bought(amount: int, when: datetime) -> CustomerState:
    return _customer(entry(EntryKind.PURCHASE, when=when, amount=amount, sale_id=uid()))


def test_spend_on_the_first_day_of_a_30_day_window_still_counts_for_the_tier() -> None:
    # On 30 March the 30-day window is 1..30 March: 1 000,00 bought at 00:00 on 1 March
    # keeps Silver, and its 10% discount takes 10,00 off a 100,00 check.
    rules = _windowed()
    now = datetime(2024, 3, 30, 23, 59, tzinfo=UTC)
    customer = _bought(100_000, datetime(2024, 3, 1, 0, 0, tzinfo=UTC))
    assert tier_spend(rules, customer.wallet, now) == 100_000
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=customer)
    assert (receipt.tier_code, receipt.discount_total, receipt.due) == ("silver", 1_000, 9_000)


def test_spend_on_the_day_before_the_window_does_not_count() -> None:
    # The same 1 000,00 bought one second earlier, 23:59:59 on 29 February, has left it.
    rules = _windowed()
    now = datetime(2024, 3, 30, 0, 0, tzinfo=UTC)
    customer = _bought(100_000, datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC))
    assert tier_spend(rules, customer.wallet, now) == 0
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=customer)
    assert (receipt.tier_code, receipt.discount_total, receipt.due) == ("base", 0, 10_000)
    assert _note(receipt, "tier.next") == {"missing": 90_000, "tier": "Silver"}
    # One second earlier, on 29 March, the window was 29 February..29 March: it still counted.
    assert current_tier(rules, customer.wallet, now - timedelta(seconds=1)).code == "silver"


def test_the_tier_window_counts_utc_days_also_in_a_store_east_of_utc_near_midnight() -> None:
    # Yekaterinburg is UTC+05:00. 00:30 on 31 March there is 19:30 UTC on 30 March, so the
    # window is still 1..30 March (UTC days), as on a till west of it at that instant.
    rules = _windowed("Asia/Yekaterinburg")
    now = datetime(2024, 3, 31, 0, 30, tzinfo=YEKATERINBURG)
    first_day = _bought(100_000, datetime(2024, 3, 1, 0, 0, tzinfo=UTC))  # 05:00 local
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=first_day)
    assert (receipt.tier_code, receipt.discount_total) == ("silver", 1_000)
    # 04:59 on 1 March in Yekaterinburg is 23:59 UTC on 29 February: the day before the window.
    day_before = _bought(100_000, datetime(2024, 3, 1, 4, 59, tzinfo=YEKATERINBURG))
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=day_before)
    assert (receipt.tier_code, receipt.discount_total) == ("base", 0)
    # The same instant written in UTC prices the same tier.
    assert current_tier(rules, first_day.wallet, now.astimezone(UTC)).code == "silver"
    assert current_tier(rules, day_before.wallet, now.astimezone(UTC)).code == "base"


@pytest.fixture
def till_clock_in_yekaterinburg(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The till computer's own time zone (TZ) set to Yekaterinburg for one test."""
    monkeypatch.setenv("TZ", "Asia/Yekaterinburg")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("till_clock_in_yekaterinburg")
def test_the_tier_does_not_depend_on_the_time_zone_of_the_till_computer() -> None:
    # 19:30 UTC on 30 March is already 31 March on the till's own clock; the window is
    # still 1..30 March, so 1 000,00 bought at 00:00 UTC on 1 March keeps Silver.
    rules = _windowed("Asia/Yekaterinburg")
    now = datetime(2024, 3, 30, 19, 30, tzinfo=UTC)
    assert now.astimezone().date().isoformat() == "2024-03-31"  # the fixture took effect
    customer = _bought(100_000, datetime(2024, 3, 1, 0, 0, tzinfo=UTC))
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=customer)
    assert (receipt.tier_code, receipt.discount_total) == ("silver", 1_000)
