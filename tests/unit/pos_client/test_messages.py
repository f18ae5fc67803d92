"""What the cashier builds and gets back: a cart line's amount, a request's defaults, a refund."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalty_core.returns import PricedReturn, ReturnedLine
from loyalty_core.staff import LockoutPolicy
from pos_client.records import SaleRecord
from pos_client.services.context import TillContext, utc_now
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    CompletedReturn,
    RegisterCustomer,
    ReturnRequest,
)

AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def test_a_scanned_piece_costs_its_price() -> None:
    assert CartItem("a", "Молоко", unit_price=8_990).quantity_milli == 1_000
    assert CartItem("a", "Молоко", unit_price=8_990).amount == 8_990
    assert CartItem("a", "Молоко", unit_price=8_990, quantity_milli=3_000).amount == 26_970


def test_weighed_goods_round_half_a_kopeck_up() -> None:
    # 0.250 kg at 259.90 ₽/kg = 64.975 ₽: half a kopeck, rounded up to 64.98 ₽.
    assert CartItem("c", "Сыр", unit_price=25_990, quantity_milli=250).amount == 6_498
    # 0.333 kg at 100.01 ₽/kg = 33.30333 ₽: rounded down to 33.30 ₽.
    assert CartItem("c", "Сыр", unit_price=10_001, quantity_milli=333).amount == 3_330
    # 0.001 kg at 4.99 ₽/kg = 0.00499 ₽: rounds to nothing; at 5.00 ₽/kg, half a kopeck: 1.
    assert CartItem("c", "Сыр", unit_price=499, quantity_milli=1).amount == 0
    assert CartItem("c", "Сыр", unit_price=500, quantity_milli=1).amount == 1


def test_a_cart_line_has_no_category_or_flags_unless_given() -> None:
    item = CartItem("a", "Товар", 100)
    assert (item.category, item.flags) == (None, frozenset())


def test_a_checkout_asks_for_no_bonus_no_promo_and_no_expected_total_by_default() -> None:
    req = CheckoutRequest((CartItem("a", "Товар", 100),), "staff")
    assert (req.customer_id, req.card_number, req.redeem) == (None, None, 0)
    assert (req.promo_codes, req.expected_to_pay) == ((), None)


def test_a_registration_issues_a_card_and_has_no_referrer_by_default() -> None:
    cmd = RegisterCustomer("+79125554433", True, "staff")
    assert cmd.issue_card is True
    assert cmd.referrer_phone is None
    assert cmd.questionnaire.is_complete is False


def test_a_return_needs_no_approval_by_default() -> None:
    assert ReturnRequest(1, {"1": 1_000}, "staff").approved_by is None


def test_a_returns_refund_is_the_sum_of_its_lines() -> None:
    lines = (
        ReturnedLine("1", 1_000, refund=19_950, bonus_restored=8_550, accrual_reversed=0,
                     boost_reversed=0),
        ReturnedLine("2", 500, refund=2_993, bonus_restored=0, accrual_reversed=0,
                     boost_reversed=0),
    )  # fmt: skip
    priced = PricedReturn("c", "s", "r", lines, (), False, 0, (), ())
    original = SaleRecord("s", 1, "sale", AT, "t", "staff", "c", None, None, {})  # type: ignore[arg-type]
    done = CompletedReturn("r", 2, AT, original, priced, None)
    assert done.refund == 22_943  # 199.50 + 29.93 ₽


def test_the_till_clock_is_utc_and_russian_phones_are_the_default() -> None:
    before = datetime.now(UTC)
    now = utc_now()
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is UTC
    ctx = TillContext("till", card_codec=None)  # type: ignore[arg-type]
    assert ctx.phone_region == "RU"
    assert ctx.clock is utc_now
    assert ctx.lockout == LockoutPolicy()
