"""How pricing splits each share: the store's rounding mode, and lines a share must skip.

Every share is rounded once, by the mode the rules name, and lines excluded from a share
take no part in it: not even a kopeck of weight.
"""

from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import current_tier, price_checkout
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wallet import project

from .builders import CUSTOMER, T0, at, entry, line, plain_rules, uid

NO_DISCOUNT = frozenset({"no_discount"})


def _tiered(**overrides: object) -> LoyaltyRules:
    """The default Bronze / Silver / Gold tiers over the plain rules (5% accrual, no delay)."""
    return plain_rules(tiers=default_rules().tiers, **overrides)


def _gold() -> CustomerState:
    # 50 000,00 spent yesterday: Gold (5% discount).
    spent = entry(EntryKind.PURCHASE, amount=5_000_000, sale_id=uid(), when=at(-1))
    return CustomerState(CUSTOMER, project(CUSTOMER, [spent]))


def _note(receipt: PricedReceipt, code: str) -> dict[str, int | str]:
    return next(n.params for n in receipt.notes if n.code == code)


def test_the_tier_discount_rounds_by_the_stores_mode() -> None:
    # Gold 5% of 100,10 = 5,005: 5,00 rounded down (the default), 5,01 rounded half up.
    down = price_checkout(_tiered(), [line(10_010)], now=T0, customer=_gold())
    assert down.discount_total == 500
    half_up = _tiered(discount={"rounding": "half_up"})
    up = price_checkout(half_up, [line(10_010)], now=T0, customer=_gold())
    assert up.discount_total == 501
    assert _note(up, "tier.discount") == {"tier": "Gold", "discount_bp": 500, "amount": 501}


def test_a_line_without_discount_adds_nothing_to_the_tier_discount() -> None:
    # Gold 5% of 199,99 = 9,9995 -> 9,99; the no-discount line beside it must not push the
    # base to 200,00 (which would make it 10,00).
    cart = [line(19_999), line(5_000, flags=NO_DISCOUNT)]
    receipt = price_checkout(_tiered(), cart, now=T0, customer=_gold())
    assert [ln.tier_discount for ln in receipt.lines] == [999, 0]
    assert _note(receipt, "tier.discount") == {"tier": "Gold", "discount_bp": 500, "amount": 999}


def test_a_pending_purchase_counts_toward_the_tier_it_would_reach() -> None:
    # Silver from 15 000,00: 14 999,99 already spent is Bronze; 0,01 more on the way is Silver.
    rules = default_rules()
    spent = entry(EntryKind.PURCHASE, amount=1_499_999, sale_id=uid(), when=at(-1))
    wallet = project(CUSTOMER, [spent])
    assert current_tier(rules, wallet, T0).code == "bronze"
    assert current_tier(rules, wallet, T0, extra=1).code == "silver"
    assert current_tier(rules, wallet, T0, extra=0).code == "bronze"


PERCENT_10 = {"code": "TEN", "kind": "percent", "value": 1000}
MINUS_50 = {"code": "MINUS50", "kind": "fixed", "value": 5_000}


def test_a_percent_promo_rounds_by_the_stores_mode() -> None:
    # 10% of 123,45 = 12,345: 12,34 rounded down (the default), 12,35 rounded up.
    down = price_checkout(
        plain_rules(promos=(PERCENT_10,)), [line(12_345)], now=T0, promo_codes=["TEN"]
    )
    assert down.discount_total == 1_234
    up = price_checkout(
        plain_rules(promos=(PERCENT_10,), discount={"rounding": "up"}),
        [line(12_345)],
        now=T0,
        promo_codes=["TEN"],
    )
    assert up.discount_total == 1_235


def test_a_line_without_discount_adds_nothing_to_a_promo() -> None:
    # 10% of 99,99 = 9,999 -> 9,99: the tobacco line beside it must not make it 10% of 100,00.
    rules = plain_rules(promos=(PERCENT_10, MINUS_50))
    cart = [line(9_999), line(5_000, category="tobacco")]
    percent = price_checkout(rules, cart, now=T0, promo_codes=["TEN"])
    assert [ln.promo_discount for ln in percent.lines] == [999, 0]
    # 50,00 off 30,00 of discountable goods takes the whole 30,00 and no kopeck of tobacco.
    fixed = price_checkout(
        rules, [line(3_000), line(5_000, category="tobacco")], now=T0, promo_codes=["MINUS50"]
    )
    assert [ln.promo_discount for ln in fixed.lines] == [3_000, 0]
    assert fixed.due == 5_000


def test_two_promos_on_one_line_add_up() -> None:
    # 100,00: 10% off = 10,00, then 50,00 off the 90,00 left: 60,00 of promo discount in all.
    rules = plain_rules(promos=(PERCENT_10, MINUS_50))
    receipt = price_checkout(rules, [line(10_000)], now=T0, promo_codes=["TEN", "MINUS50"])
    assert receipt.promos == ("TEN", "MINUS50")
    assert [ln.promo_discount for ln in receipt.lines] == [6_000]
    assert (receipt.discount_total, receipt.due) == (6_000, 4_000)
    # In the other order: 50,00 off first, then 10% of the 50,00 left = 5,00: 55,00 in all.
    other = price_checkout(rules, [line(10_000)], now=T0, promo_codes=["MINUS50", "TEN"])
    assert [ln.promo_discount for ln in other.lines] == [5_500]


def _new_customer() -> CustomerState:
    return CustomerState(CUSTOMER, project(CUSTOMER, []))


def test_accrual_and_the_first_purchase_boost_round_by_the_stores_mode() -> None:
    # 100,10: 5% = 5,005 -> 5,01 half up; 50% in all = 50,05 exactly: 50,05 - 5,01 = 45,04 extra.
    # 10,01: 5% = 0,5005 -> 0,50; 50% in all = 5,005 -> 5,01 half up: 5,01 - 0,50 = 4,51 extra
    # (rounded down it would be 5,00 - 0,50 = 4,50).
    half_up = plain_rules(
        accrual={"activation_days": 0, "expiry_days": 365, "rounding": "half_up"},
        first_purchase={"accrual_bp": 5000, "expiry_days": 14},
    )
    big = price_checkout(half_up, [line(10_010)], now=T0, customer=_new_customer())
    assert (big.accrual, big.boost) == (501, 4_504)
    small = price_checkout(half_up, [line(1_001)], now=T0, customer=_new_customer())
    assert (small.accrual, small.boost) == (50, 451)
    down = plain_rules(first_purchase={"accrual_bp": 5000, "expiry_days": 14})
    small_down = price_checkout(down, [line(1_001)], now=T0, customer=_new_customer())
    assert (small_down.accrual, small_down.boost) == (50, 450)


def test_a_boost_of_one_kopeck_is_granted_and_a_boost_no_higher_than_the_tier_is_none() -> None:
    # 1,00 at 5% = 0,05; a 6% first purchase = 0,06: 0,01 extra, with its own expiry.
    one = plain_rules(first_purchase={"accrual_bp": 600, "expiry_days": 14})
    receipt = price_checkout(one, [line(100)], now=T0, customer=_new_customer())
    assert (receipt.accrual, receipt.boost) == (5, 1)
    assert receipt.boost_expires_at is not None
    assert _note(receipt, "accrual.first_purchase") == {"points": 1, "expires": "2024-03-15"}
    # A first-purchase rate equal to the tier's 5% adds nothing: no boost, no expiry, no note.
    same = plain_rules(first_purchase={"accrual_bp": 500, "expiry_days": 14})
    receipt = price_checkout(same, [line(10_000)], now=T0, customer=_new_customer())
    assert (receipt.accrual, receipt.boost, receipt.boost_expires_at) == (500, 0, None)
    assert "accrual.first_purchase" not in [n.code for n in receipt.notes]


def test_a_line_that_earns_nothing_adds_nothing_to_the_accrual() -> None:
    # 5% of 99,99 = 4,9995 -> 4,99; the tobacco line beside it must not make it 5% of 100,00.
    cart = [line(9_999), line(5_000, category="tobacco", name="Cigarettes")]
    receipt = price_checkout(plain_rules(), cart, now=T0, customer=_new_customer())
    assert [ln.accrual for ln in receipt.lines] == [499, 0]
    assert _note(receipt, "accrual.excluded") == {"name": "Cigarettes"}
