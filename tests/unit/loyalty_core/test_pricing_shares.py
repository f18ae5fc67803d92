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
