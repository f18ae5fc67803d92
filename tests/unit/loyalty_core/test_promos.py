from datetime import UTC, datetime, timedelta

from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import price_checkout
from loyalty_core.promos import check_promo
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, line, plain_rules, uid


def _rules(*promos: PromoCode, timezone: str = "UTC") -> LoyaltyRules:
    return plain_rules(timezone=timezone, promos=tuple(p.model_dump() for p in promos))


def _customer() -> CustomerState:
    return CustomerState(CUSTOMER, project(CUSTOMER, []))


def _refusal(receipt: PricedReceipt) -> tuple[str, dict[str, int | str]]:
    found = [(n.code, n.params) for n in receipt.notes if n.code.startswith("promo.")]
    assert len(found) == 1
    return found[0]


TEN = PromoCode(code="TEN", kind=PromoKind.PERCENT, value=1000)


def test_a_percent_promo_takes_its_share_of_each_discountable_line() -> None:
    # 10% of 123,45 + 100,00 (tobacco excluded) = 22,345 -> 22,34: 12,34 + 10,00.
    cart = [line(12_345), line(10_000), line(5_000, category="tobacco")]
    receipt = price_checkout(_rules(TEN), cart, now=T0, promo_codes=["ten"])
    assert [ln.promo_discount for ln in receipt.lines] == [1_234, 1_000, 0]
    assert receipt.promos == ("TEN",)
    assert _refusal(receipt) == ("promo.applied", {"promo": "TEN", "amount": 2_234})


def test_a_fixed_promo_is_split_by_largest_remainder_and_never_exceeds_the_lines() -> None:
    promo = PromoCode(code="MINUS100", kind=PromoKind.FIXED, value=10_000)
    # 100,00 over 30,00 / 30,00 / 30,00 of discountable goods: the whole 90,00, not more.
    receipt = price_checkout(
        _rules(promo), [line(3_000), line(3_000), line(3_000)], now=T0, promo_codes=["MINUS100"]
    )
    assert [ln.promo_discount for ln in receipt.lines] == [3_000, 3_000, 3_000]
    assert receipt.due == 0
    small = price_checkout(
        _rules(promo.model_copy(update={"value": 100})),
        [line(3_000), line(3_000), line(3_000)],
        now=T0,
        promo_codes=["MINUS100"],
    )
    assert [ln.promo_discount for ln in small.lines] == [34, 33, 33]


def test_an_expired_promo_is_refused_with_its_end_date() -> None:
    promo = TEN.model_copy(update={"valid_until": datetime(2024, 3, 1, tzinfo=UTC)})
    receipt = price_checkout(_rules(promo), [line(10_000)], now=T0, promo_codes=["TEN"])
    assert _refusal(receipt) == ("promo.expired", {"promo": "TEN", "date": "2024-03-01"})
    assert receipt.lines[0].promo_discount == 0


def test_a_promo_not_yet_started_is_refused() -> None:
    promo = TEN.model_copy(update={"valid_from": datetime(2024, 3, 8, tzinfo=UTC)})
    receipt = price_checkout(_rules(promo), [line(10_000)], now=T0, promo_codes=["TEN"])
    assert _refusal(receipt) == ("promo.not_yet_valid", {"promo": "TEN", "date": "2024-03-08"})


def test_a_single_use_coupon_used_past_its_limit_is_refused() -> None:
    coupon = PromoCode(code="GIFT-7F3K", kind=PromoKind.FIXED, value=50_000, max_uses=1)
    rules = _rules(coupon)
    fresh = price_checkout(rules, [line(100_000)], now=T0, promo_codes=["GIFT-7F3K"])
    assert fresh.discount_total == 50_000
    used = price_checkout(
        rules, [line(100_000)], now=T0, promo_codes=["GIFT-7F3K"], promo_uses={"GIFT-7F3K": 1}
    )
    assert _refusal(used) == ("promo.used_up", {"promo": "GIFT-7F3K"})
    assert used.discount_total == 0


def test_a_per_customer_limit_counts_the_customers_own_uses_from_the_ledger() -> None:
    promo = TEN.model_copy(update={"per_customer_limit": 1})
    rules = _rules(promo)
    customer = _customer()
    first = price_checkout(rules, [line(10_000)], now=T0, customer=customer, promo_codes=["TEN"])
    entries = sale_entries(first, sale_id=uid(), till_id="t")
    assert [e.ref for e in entries if e.kind is EntryKind.PROMO_USE] == ["TEN"]
    for e in entries:
        customer.wallet.apply(e)
    again = price_checkout(rules, [line(10_000)], now=at(1), customer=customer, promo_codes=["TEN"])
    assert _refusal(again) == ("promo.customer_limit", {"promo": "TEN", "uses": 1})


def test_a_per_customer_promo_needs_an_identified_customer() -> None:
    promo = TEN.model_copy(update={"per_customer_limit": 1})
    receipt = price_checkout(_rules(promo), [line(10_000)], now=T0, promo_codes=["TEN"])
    assert _refusal(receipt) == ("promo.no_customer", {"promo": "TEN"})


def test_a_promo_below_its_minimum_check_is_refused() -> None:
    promo = TEN.model_copy(update={"min_check": 50_000})
    receipt = price_checkout(_rules(promo), [line(49_999)], now=T0, promo_codes=["TEN"])
    assert _refusal(receipt) == ("promo.min_check", {"promo": "TEN", "min_check": 50_000})


def test_an_unknown_code_and_a_repeated_code_are_explained() -> None:
    receipt = price_checkout(
        _rules(TEN), [line(10_000)], now=T0, promo_codes=["TEN", "ten ", "NOPE"]
    )
    codes = [(n.code, n.params.get("promo")) for n in receipt.notes if n.code != "promo.applied"]
    assert codes == [("promo.duplicate", "TEN"), ("promo.unknown", "NOPE")]
    assert receipt.discount_total == 1_000  # applied once


def test_a_category_promo_on_a_cart_without_that_category_applies_to_nothing() -> None:
    promo = TEN.model_copy(update={"categories": frozenset({"coffee"})})
    receipt = price_checkout(
        _rules(promo), [line(10_000, category="tea")], now=T0, promo_codes=["TEN"]
    )
    assert _refusal(receipt) == ("promo.not_applicable", {"promo": "TEN"})
    assert receipt.promos == ()


def test_check_promo_answers_as_the_cashier_types_the_code() -> None:
    rules = _rules(TEN)
    assert check_promo(rules, " ten", now=T0, customer_uses=None, total_uses=0, check_net=1) == TEN
    refusal = check_promo(rules, "X1Y", now=T0, customer_uses=None, total_uses=0, check_net=1)
    assert refusal.code == "promo.unknown"  # type: ignore[union-attr]


# Moscow midnight at the start of 8 March 2024 is 21:00 UTC on 7 March.
MOSCOW_8_MARCH = datetime(2024, 3, 7, 21, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_a_promo_starts_at_the_instant_of_its_valid_from_and_names_the_store_day() -> None:
    promo = TEN.model_copy(update={"valid_from": MOSCOW_8_MARCH})
    rules = _rules(promo, timezone="Europe/Moscow")
    early = price_checkout(rules, [line(10_000)], now=MOSCOW_8_MARCH - SECOND, promo_codes=["TEN"])
    # The cashier in Moscow reads the store's date, 8 March, not the UTC 7 March.
    assert _refusal(early) == ("promo.not_yet_valid", {"promo": "TEN", "date": "2024-03-08"})
    assert early.discount_total == 0
    on_time = price_checkout(rules, [line(10_000)], now=MOSCOW_8_MARCH, promo_codes=["TEN"])
    assert _refusal(on_time) == ("promo.applied", {"promo": "TEN", "amount": 1_000})


def test_a_promo_ends_at_the_instant_of_its_valid_until_and_names_the_store_day() -> None:
    promo = TEN.model_copy(update={"valid_until": MOSCOW_8_MARCH})
    rules = _rules(promo, timezone="Europe/Moscow")
    last = price_checkout(rules, [line(10_000)], now=MOSCOW_8_MARCH - SECOND, promo_codes=["TEN"])
    assert _refusal(last) == ("promo.applied", {"promo": "TEN", "amount": 1_000})
    over = price_checkout(rules, [line(10_000)], now=MOSCOW_8_MARCH, promo_codes=["TEN"])
    assert _refusal(over) == ("promo.expired", {"promo": "TEN", "date": "2024-03-08"})
    assert over.discount_total == 0


def test_a_check_of_exactly_the_promo_minimum_gets_the_promo() -> None:
    # Minimum 500,00; a check of 500,00 takes 10%: 50,00 (one kopeck less is refused above).
    promo = TEN.model_copy(update={"min_check": 50_000})
    receipt = price_checkout(_rules(promo), [line(50_000)], now=T0, promo_codes=["TEN"])
    assert _refusal(receipt) == ("promo.applied", {"promo": "TEN", "amount": 5_000})
    assert receipt.due == 45_000
