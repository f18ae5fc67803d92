"""What a priced receipt says about the sale as a whole, with and without a customer."""

from datetime import UTC, datetime

from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState
from loyalty_core.rules import default_rules
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, line, lot, plain_rules


def test_an_anonymous_receipt_names_no_customer_tier_spend_or_bonus_dates() -> None:
    rules = plain_rules(version=7)
    receipt = price_checkout(rules, [line(10_000), line(2_500)], now=T0)
    assert (receipt.rules_version, receipt.currency, receipt.priced_at) == (7, "RUB", T0)
    assert (receipt.customer_id, receipt.tier_code, receipt.tier_after_code) == (None, None, None)
    # Money is due, but none of it is anyone's tier spend, and there is no bonus to speak of.
    assert (receipt.subtotal, receipt.due, receipt.spend) == (12_500, 12_500, 0)
    assert (receipt.available_before, receipt.redeem_most, receipt.earned) == (0, 0, 0)
    assert receipt.accrual_activates_at is None
    assert receipt.accrual_expires_at is None
    assert receipt.boost_expires_at is None
    assert (receipt.bonuses, receipt.gift_cards, receipt.expiring_soon) == ((), (), ())


def test_a_customers_receipt_names_the_customer_the_tier_and_the_spend() -> None:
    rules = default_rules()  # Bronze 3%, 14 days pending, a year to spend (Moscow days)
    customer = CustomerState(CUSTOMER, project(CUSTOMER, [lot(1_000, when=at(-1))]))
    now = datetime(2024, 3, 1, 9, tzinfo=UTC)
    receipt = price_checkout(rules, [line(10_000)], now=now, customer=customer)
    assert (receipt.customer_id, receipt.tier_code, receipt.tier_after_code) == (
        CUSTOMER,
        "bronze",
        "bronze",
    )
    assert (receipt.spend, receipt.available_before, receipt.accrual) == (10_000, 1_000, 300)
    # Moscow midnight starting 15 March 2024, and 1 March 2025: 21:00 UTC the day before.
    assert receipt.accrual_activates_at == datetime(2024, 3, 14, 21, tzinfo=UTC)
    assert receipt.accrual_expires_at == datetime(2025, 2, 28, 21, tzinfo=UTC)
    assert receipt.priced_at == now


def test_each_priced_line_carries_what_the_cashier_rang_up() -> None:
    coffee = CartLine(
        line_id="l-1",
        sku="4600000000017",
        name="Coffee beans 1 kg",
        quantity_milli=2_000,
        amount=259_800,
        category="coffee",
        flags=frozenset({"no_discount"}),
    )
    [priced] = price_checkout(plain_rules(), [coffee], now=T0).lines
    assert (priced.line_id, priced.sku, priced.name, priced.quantity_milli) == (
        "l-1",
        "4600000000017",
        "Coffee beans 1 kg",
        2_000,
    )
    assert (priced.category, priced.flags, priced.amount) == (
        "coffee",
        frozenset({"no_discount"}),
        259_800,
    )
    assert (priced.net, priced.due, priced.accrual) == (259_800, 259_800, 0)
