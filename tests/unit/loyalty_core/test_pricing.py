from datetime import UTC, date, datetime

import pytest

from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import MAX, current_tier, price_checkout
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.rules import default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project, wallet_to_snapshot

from .builders import CUSTOMER, T0, at, entry, line, lot, plain_rules, uid


def _customer(*entries: object, **fields: object) -> CustomerState:
    return CustomerState(CUSTOMER, project(CUSTOMER, list(entries)), **fields)  # type: ignore[arg-type]


def _codes(receipt: PricedReceipt) -> list[str]:
    return [n.code for n in receipt.notes]


def _note(receipt: PricedReceipt, code: str) -> dict[str, int | str]:
    return next(n.params for n in receipt.notes if n.code == code)


def test_accrual_total_is_rounded_once_and_split_by_largest_remainder() -> None:
    # 5% of 100,00 + 25,50 = 6,275 -> 6,27; 627 split as 499,6 / 127,4 -> 500 + 127.
    receipt = price_checkout(
        plain_rules(), [line(10_000), line(2_550)], now=T0, customer=_customer()
    )
    assert [ln.accrual for ln in receipt.lines] == [500, 127]
    assert receipt.accrual == 627
    assert receipt.due == 12_550


def test_worked_example_of_the_engine_doc_silver_customer_spends_the_maximum() -> None:
    rules = default_rules()
    sale = uid()
    customer = _customer(
        entry(
            EntryKind.PURCHASE,
            when=datetime(2024, 6, 1, tzinfo=UTC),
            amount=2_000_000,
            sale_id=sale,
        ),
        lot(
            60_000,
            when=datetime(2024, 6, 1, tzinfo=UTC),
            activates=datetime(2024, 6, 15, tzinfo=UTC),
            expires=datetime(2025, 6, 1, tzinfo=UTC),
        ),
    )
    cart = [
        line(129_900, name="Coffee beans 1 kg"),
        line(17_980, qty=2000, name="Milk 1 l"),
        line(25_000, name="Cigarettes", category="tobacco"),
    ]
    now = datetime(2024, 12, 1, 10, 0, tzinfo=UTC)
    receipt = price_checkout(rules, cart, now=now, customer=customer, redeem=MAX)
    assert receipt.tier_code == "silver"
    assert [ln.tier_discount for ln in receipt.lines] == [2_597, 360, 0]
    assert [ln.redeemed for ln in receipt.lines] == [38_190, 5_286, 0]
    assert [ln.due for ln in receipt.lines] == [89_113, 12_334, 25_000]
    assert [ln.accrual for ln in receipt.lines] == [4_455, 617, 0]
    assert (receipt.redeem_cap, receipt.redeemed, receipt.due) == (43_476, 43_476, 126_447)
    assert _note(receipt, "redeem.cap_reached") == {"cap_bp": 3000, "cap": 43_476}
    assert _note(receipt, "accrual.pending") == {"points": 5_072, "until": "2024-12-15"}
    pending = next(n for n in receipt.notes if n.code == "accrual.pending")
    assert pending.message == "+50,72 bonus pending until 15.12"
    assert _note(receipt, "tier.next") == {"missing": 2_873_553, "tier": "Gold"}


def test_a_cap_landing_on_a_fraction_rounds_down_and_lines_still_sum() -> None:
    # 30% of 6,67 = 2,001 -> 2,00; split 0,9985 / 1,0015 -> 100 + 100 kopecks.
    customer = _customer(lot(1_000, when=at(-1)))
    receipt = price_checkout(
        plain_rules(), [line(333), line(334)], now=T0, customer=customer, redeem=MAX
    )
    assert (receipt.redeem_cap, receipt.redeem_most) == (200, 200)
    assert [ln.redeemed for ln in receipt.lines] == [100, 100]
    assert receipt.due == 467
    assert "redeem.cap_reached" in _codes(receipt)


def test_a_check_entirely_paid_by_bonus_earns_nothing_and_owes_nothing() -> None:
    rules = plain_rules(redemption={"cap_bp": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    receipt = price_checkout(rules, [line(1_000), line(500)], now=T0, customer=customer, redeem=MAX)
    assert (receipt.redeemed, receipt.due, receipt.to_pay, receipt.accrual) == (1_500, 0, 0, 0)
    entries = sale_entries(receipt, sale_id=uid(), till_id="t")
    assert [(e.kind, e.points, e.amount) for e in entries] == [
        (EntryKind.PURCHASE, 0, 0),
        (EntryKind.REDEMPTION, -1_500, 0),
    ]
    for e in entries:
        customer.wallet.apply(e)
    assert customer.wallet.available(at(1)) == 3_500


def test_asking_more_than_the_balance_spends_what_there_is() -> None:
    customer = _customer(lot(300, when=at(-1)))
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=500)
    assert receipt.redeemed == 300
    assert _note(receipt, "redeem.insufficient") == {"available": 300, "requested": 500}


def test_no_bonus_below_the_minimum_check() -> None:
    rules = plain_rules(redemption={"min_check": 10_000})
    customer = _customer(lot(5_000, when=at(-1)))
    receipt = price_checkout(rules, [line(9_999)], now=T0, customer=customer, redeem=500)
    assert receipt.redeemed == 0
    assert _note(receipt, "redeem.min_check") == {"min_check": 10_000}


def test_whole_units_only_spends_whole_roubles() -> None:
    rules = plain_rules(redemption={"whole_units": True})
    customer = _customer(lot(12_345, when=at(-1)))
    receipt = price_checkout(rules, [line(100_000)], now=T0, customer=customer, redeem=MAX)
    assert receipt.redeemed == receipt.redeem_most == 12_300
    assert _note(receipt, "redeem.whole_units") == {"points": 12_300}


def test_an_anonymous_check_earns_nothing_and_cannot_spend_bonus() -> None:
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, redeem=100)
    assert (receipt.accrual, receipt.redeemed, receipt.tier_code) == (0, 0, None)
    assert "redeem.no_customer" in _codes(receipt)
    assert sale_entries(receipt, sale_id=uid(), till_id="t") == []


def test_accrual_is_on_money_paid_and_skips_excluded_products() -> None:
    # Eligible for bonus: only the 100,00 line (tobacco excluded): cap 30,00, spend 20,00.
    # Accrual: 5% of (100,00 - 20,00) = 4,00; tobacco earns nothing.
    customer = _customer(lot(2_000, when=at(-1)))
    cart = [line(10_000), line(5_000, category="tobacco", name="Cigarettes")]
    receipt = price_checkout(plain_rules(), cart, now=T0, customer=customer, redeem=2_000)
    assert [ln.redeemed for ln in receipt.lines] == [2_000, 0]
    assert [ln.accrual for ln in receipt.lines] == [400, 0]
    assert _note(receipt, "accrual.excluded") == {"name": "Cigarettes"}


def test_accrual_is_pending_until_the_activation_day_in_the_store_time_zone() -> None:
    rules = plain_rules(accrual={"activation_days": 14, "expiry_days": 365})
    receipt = price_checkout(rules, [line(10_000)], now=T0, customer=_customer())
    assert receipt.accrual_activates_at == datetime(2024, 3, 15, tzinfo=UTC)
    assert receipt.accrual_expires_at == datetime(2025, 3, 1, tzinfo=UTC)
    assert _note(receipt, "accrual.pending") == {"points": 500, "until": "2024-03-15"}


def test_first_purchase_is_boosted_once_with_a_short_lived_extra_lot() -> None:
    rules = plain_rules(first_purchase={"accrual_bp": 5000, "expiry_days": 14})
    customer = _customer()
    first = price_checkout(rules, [line(10_000)], now=T0, customer=customer)
    # 50% of 100,00 = 50,00 in all: 5,00 regular accrual + 45,00 boost expiring in 14 days.
    assert (first.accrual, first.boost) == (500, 4_500)
    assert first.boost_expires_at == datetime(2024, 3, 15, tzinfo=UTC)
    for e in sale_entries(first, sale_id=uid(), till_id="t"):
        customer.wallet.apply(e)
    second = price_checkout(rules, [line(10_000)], now=at(1), customer=customer)
    assert (second.accrual, second.boost) == (500, 0)
    # The first purchase's 5,00 plus the 45,00 boost, until the boost lapses at 00:00 on 15.03.
    assert customer.wallet.available(at(13, 14)) == 500 + 4_500
    assert customer.wallet.available(at(13, 15)) == 500


def test_birthday_bonus_is_usable_in_the_same_check_and_given_once_a_year() -> None:
    rules = plain_rules(birthday={"points": 50_000, "days_before": 3, "days_after": 3})
    customer = _customer(birthday=date(1990, 3, 3))
    receipt = price_checkout(rules, [line(100_000)], now=T0, customer=customer, redeem=MAX)
    assert [(b.kind, b.points) for b in receipt.bonuses] == [("birthday", 50_000)]
    assert receipt.redeemed == 30_000  # capped at 30% of 1 000,00
    for e in sale_entries(receipt, sale_id=uid(), till_id="t"):
        customer.wallet.apply(e)
    # 500,00 - 300,00 spent + 5% of the 700,00 paid in money (no activation delay here).
    assert customer.wallet.available(at(1)) == 20_000 + 3_500
    again = price_checkout(rules, [line(100_000)], now=at(2), customer=customer)
    assert again.bonuses == ()
    next_year = price_checkout(rules, [line(100_000)], now=at(366), customer=customer)
    assert [b.kind for b in next_year.bonuses] == ["birthday"]


def test_no_birthday_bonus_outside_the_window() -> None:
    rules = plain_rules(birthday={"points": 50_000, "days_before": 3, "days_after": 3})
    customer = _customer(birthday=date(1990, 3, 10))  # 9 days away
    assert price_checkout(rules, [line(100)], now=T0, customer=customer).bonuses == ()


def test_referral_bonus_goes_to_both_sides_on_the_first_purchase_only() -> None:
    rules = plain_rules(referral={"referrer_points": 30_000, "referred_points": 20_000})
    referrer = "22222222-2222-7222-8222-222222222222"
    customer = _customer(referred_by=referrer)
    first = price_checkout(rules, [line(10_000)], now=T0, customer=customer)
    assert {(b.customer_id, b.points) for b in first.bonuses} == {
        (CUSTOMER, 20_000),
        (referrer, 30_000),
    }
    entries = sale_entries(first, sale_id=uid(), till_id="t")
    assert {e.customer_id for e in entries if e.kind is EntryKind.BONUS} == {CUSTOMER, referrer}
    for e in entries:
        customer.wallet.apply(e)  # the referrer's entry is not this wallet's business
    assert customer.wallet.available(at(1)) == 500 + 20_000
    second = price_checkout(rules, [line(10_000)], now=at(1), customer=customer)
    assert second.bonuses == ()


def test_spend_moves_the_customer_up_a_tier_and_back_down_after_the_window() -> None:
    rules = default_rules()  # Silver from 15 000,00 over 365 days
    customer = _customer(entry(EntryKind.PURCHASE, amount=1_490_000, sale_id=uid(), when=at(-1)))
    receipt = price_checkout(rules, [line(20_000)], now=T0, customer=customer)
    assert (receipt.tier_code, receipt.tier_after_code) == ("bronze", "silver")
    for e in sale_entries(receipt, sale_id=uid(), till_id="t"):
        customer.wallet.apply(e)
    assert current_tier(rules, customer.wallet, at(1)).code == "silver"
    assert current_tier(rules, customer.wallet, at(366)).code == "bronze"


def test_the_tier_discount_skips_excluded_lines() -> None:
    rules = default_rules()
    customer = _customer(entry(EntryKind.PURCHASE, amount=5_000_000, sale_id=uid(), when=at(-1)))
    cart = [line(10_001), line(10_000, flags=frozenset({"no_discount"}))]
    receipt = price_checkout(rules, cart, now=T0, customer=customer)
    # Gold 5% of 100,01 = 5,0005 -> 5,00.
    assert [ln.tier_discount for ln in receipt.lines] == [500, 0]
    assert receipt.lines[0].net == 9_501


def test_a_customer_in_debt_sees_why_nothing_can_be_spent() -> None:
    customer = _customer(
        lot(100, when=at(-2)), entry(EntryKind.REDEMPTION, points=-600, sale_id=uid(), when=at(-1))
    )
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=MAX)
    assert receipt.redeemed == 0
    assert _note(receipt, "redeem.debt") == {"debt": 500}


def test_pricing_does_not_change_the_wallet() -> None:
    rules = plain_rules(birthday={"points": 50_000}, first_purchase={"accrual_bp": 5000})
    customer = _customer(lot(5_000, when=at(-1)), birthday=date(1990, 3, 1))
    before = wallet_to_snapshot(customer.wallet)
    receipt = price_checkout(rules, [line(10_000)], now=T0, customer=customer, redeem=MAX)
    assert receipt.redeemed and receipt.bonuses and receipt.boost  # every step ran
    assert wallet_to_snapshot(customer.wallet) == before


def test_same_inputs_price_the_same_receipt_and_the_same_entries() -> None:
    sale = uid()
    results = []
    for _ in range(2):
        customer = CustomerState(CUSTOMER, project(CUSTOMER, [lot(5_000, entry_id=sale)]))
        receipt = price_checkout(
            default_rules(),
            [line(1_234, line_id="a"), line(5_678, line_id="b")],
            now=at(1),
            customer=customer,
            redeem=MAX,
        )
        results.append((receipt, sale_entries(receipt, sale_id=sale, till_id="t")))
    assert results[0] == results[1]


def test_the_receipt_shows_what_expires_soon_after_this_sale_spent_the_soonest_first() -> None:
    # 40,00 lapse on 11.03 and 100,00 on 21.03; spending 30,00 takes them from the 40,00.
    customer = _customer(
        lot(4_000, when=at(-300), expires=at(10, -9)),
        lot(10_000, when=at(-300), expires=at(20, -9)),
        lot(50_000, when=at(-1)),
    )
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=MAX)
    assert receipt.redeemed == 3_000
    assert [(e.points, e.expires_at.date().isoformat()) for e in receipt.expiring_soon] == [
        (1_000, "2024-03-11"),
        (10_000, "2024-03-21"),
    ]
    assert _note(receipt, "balance.expiring") == {"points": 1_000, "date": "2024-03-11"}
    assert receipt.available_after == 64_000 - 3_000


def test_what_expires_soon_keeps_a_pending_lot_whole_since_spending_cannot_touch_it() -> None:
    # A boost-like lot pending until 15.03 and lapsing 29.03 expires before the 50,00 active
    # lot lapsing 30.03, but the 30,00 spent now can only come out of the active one.
    customer = _customer(
        lot(4_000, when=at(-1), activates=at(14), expires=at(28)),
        lot(5_000, when=at(-300), expires=at(29)),
    )
    receipt = price_checkout(plain_rules(), [line(10_000)], now=T0, customer=customer, redeem=MAX)
    assert receipt.redeemed == 3_000
    assert [(e.points, e.expires_at) for e in receipt.expiring_soon] == [
        (4_000, at(28)),
        (2_000, at(29)),
    ]
    for e in sale_entries(receipt, sale_id=uid(), till_id="t"):
        customer.wallet.apply(e)
    assert [(e.points, e.expires_at) for e in customer.wallet.balance(T0).expiring] == [
        (4_000, at(28)),
        (2_000, at(29)),
    ]


def test_an_offline_limit_caps_what_can_be_spent_and_says_so() -> None:
    customer = _customer(lot(20_000, when=at(-1)))
    receipt = price_checkout(
        plain_rules(), [line(100_000)], now=T0, customer=customer, redeem=MAX, redeem_limit=5_000
    )
    assert receipt.redeemed == receipt.redeem_most == 5_000
    assert _note(receipt, "redeem.offline_limit") == {"limit": 5_000}
    assert receipt.available_before == 20_000


def test_a_cart_with_two_lines_of_the_same_id_is_refused() -> None:
    # A return addresses the sold line by its id: two lines sharing one would be ambiguous.
    with pytest.raises(ValueError, match="distinct line_id"):
        price_checkout(plain_rules(), [line(1_000, line_id="a"), line(2_000, line_id="a")], now=T0)
