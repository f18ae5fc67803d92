"""What a return gives back besides the line's money: gift-card shares, tier spend, referrals."""

from datetime import timedelta

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ledger import EntryKind
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import PricedReceipt
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.sale import accrual_lot_id, sale_entries
from loyalty_core.wallet import Wallet

from .builders import T0, Shop, at, line, plain_rules, uid

REFERRER = "22222222-2222-7222-8222-222222222222"
GIFT_CARD = frozenset({"gift_card"})


def _card(number: str) -> GiftCard:
    return GiftCard(
        id=uid(),
        number=number,
        pin_hash=hash_pin("4321", salt=b"0" * 16),
        expires_at=T0 + timedelta(days=365),
    )


def _paying(card: GiftCard, balance: int) -> GiftCardPayment:
    loaded = load_entry(
        card, entry_id=uid(), amount=balance, now=at(-1), till_id="t", rules_version=1
    )
    return GiftCardPayment(project_gift_card(card, [loaded]))


def _thirds(receipt: PricedReceipt) -> list[PricedReturn]:
    """Line "a" given back one piece at a time, each return knowing the ones before."""
    sale, out = uid(), []
    for n in range(3):
        out.append(
            price_return(
                plain_rules(),
                receipt,
                {"a": 1000},
                sale_id=sale,
                return_id=uid(),
                till_id="t",
                now=at(1, n),
                already_returned={"a": 1000 * n},
            )
        )
    return out


def test_a_gift_card_that_paid_half_gets_back_its_exact_cumulative_share() -> None:
    card = _card("7000123456789012")
    cart = [line(10_000, line_id="a", qty=3000)]  # 3 pieces for 100,00
    receipt = price_checkout(plain_rules(), cart, now=T0, gift_cards=[_paying(card, 5_000)])
    assert (receipt.gift_card_total, receipt.to_pay) == (5_000, 5_000)
    # Refunds 33,33 / 33,34 / 33,33 (cumulative 33,33, 66,67, 100,00). The card paid half:
    # its share of the cumulative refund, rounded down, is 16,66, 33,33, 50,00, so it gets
    # 16,66 + 16,67 + 16,67 = 50,00 back, exactly what it paid; the rest is cash.
    returns = _thirds(receipt)
    assert [r.refund for r in returns] == [3_333, 3_334, 3_333]
    assert [r.gift_card_total for r in returns] == [1_666, 1_667, 1_667]
    assert [r.cash_refund for r in returns] == [1_667, 1_667, 1_666]
    assert all([g.gift_card_id for g in r.gift_cards] == [card.id] for r in returns)


def test_two_gift_cards_each_get_back_exactly_what_they_paid_over_partial_returns() -> None:
    first, second = _card("7000123456789012"), _card("7000123456789013")
    cart = [line(10_000, line_id="a", qty=3000)]
    receipt = price_checkout(
        plain_rules(), cart, now=T0, gift_cards=[_paying(first, 2_000), _paying(second, 1_000)]
    )
    assert (receipt.gift_card_total, receipt.to_pay) == (3_000, 7_000)
    # The cards paid 30,00 of 100,00; after each third they have had back together
    # 9,99 (of 33,33), 20,00 (of 66,67) and 30,00, split 2:1 by the largest averages:
    # 6,66 + 3,33, then 13,34 + 6,66 (the last kopeck: 20,00 / 13,34 ties 10,00 / 6,67,
    # so the first card), then 20,00 + 10,00. Back each time: the difference.
    returns = _thirds(receipt)
    assert [[(g.gift_card_id, g.amount) for g in r.gift_cards] for r in returns] == [
        [(first.id, 666), (second.id, 333)],
        [(first.id, 668), (second.id, 333)],
        [(first.id, 666), (second.id, 334)],
    ]
    refunds = [e for r in returns for e in r.entries if e.kind is EntryKind.GIFT_CARD_REFUND]
    assert {
        c: sum(e.amount for e in refunds if e.gift_card_id == c) for c in (first.id, second.id)
    } == {
        first.id: 2_000,
        second.id: 1_000,
    }


def test_returning_a_sold_gift_card_does_not_count_as_returned_spend() -> None:
    # A customer buys a 400,00 gift card and a 100,00 item: only the item is tier spend.
    shop = Shop(plain_rules())
    cart = [line(40_000, line_id="card", flags=GIFT_CARD), line(10_000, line_id="item")]
    sale, receipt = shop.sell(cart)
    assert (receipt.spend, shop.wallet.lifetime_spend) == (10_000, 10_000)
    card_back = shop.give_back(sale, receipt, {"card": 1000}, at(1))
    assert card_back.refund == 40_000
    assert [e.amount for e in card_back.entries if e.kind is EntryKind.PURCHASE_RETURN] == [0]
    assert shop.wallet.lifetime_spend == 10_000  # not 10 000 - 40 000 = -30 000
    item_back = shop.give_back(sale, receipt, {"item": 1000}, at(2))
    assert [e.amount for e in item_back.entries if e.kind is EntryKind.PURCHASE_RETURN] == [-10_000]
    assert (shop.wallet.lifetime_spend, shop.wallet.purchase_count) == (0, 0)


def test_returning_a_check_of_only_a_gift_card_leaves_the_spend_at_zero() -> None:
    shop = Shop(plain_rules())
    sale, receipt = shop.sell([line(40_000, line_id="card", flags=GIFT_CARD)])
    result = shop.give_back(sale, receipt, {"card": 1000}, at(1))
    assert (result.refund, result.complete) == (40_000, True)
    assert shop.wallet.lifetime_spend == 0  # was driven to -40 000 when the card counted


def _referred_first_purchase() -> tuple[Shop, Wallet, str, PricedReceipt]:
    rules = plain_rules(referral={"referrer_points": 30_000, "referred_points": 20_000})
    shop = Shop(rules)
    sale, receipt = shop.sell([line(10_000, line_id="a", qty=2000)], referred_by=REFERRER)
    referrer = Wallet(REFERRER)
    for e in sale_entries(receipt, sale_id=sale, till_id="t"):
        referrer.apply(e)
    return shop, referrer, sale, receipt


def test_a_partial_return_of_a_referred_first_purchase_keeps_both_referral_bonuses() -> None:
    # First purchase of 2 pieces for 100,00: 5,00 accrual, 200,00 to the new customer and
    # 300,00 to the referrer. One piece back: 50,00 refunded and 2,50 accrual taken back,
    # but the purchase still stands, and so do both referral bonuses.
    shop, referrer, sale, receipt = _referred_first_purchase()
    assert shop.wallet.available(at(1)) == 500 + 20_000
    half = shop.give_back(sale, receipt, {"a": 1000}, at(1), referrer_wallet=referrer)
    assert (half.refund, half.points_taken_back, half.complete) == (5_000, 250, False)
    assert {e.lot_id for e in half.entries if e.kind is EntryKind.REVERSAL} == {
        accrual_lot_id(sale)
    }
    for e in half.entries:
        referrer.apply(e)
    assert shop.wallet.available(at(1)) == 250 + 20_000
    assert referrer.available(at(1)) == 30_000
    # The second piece completes the return: now both referral bonuses go.
    rest = shop.give_back(sale, receipt, {"a": 1000}, at(2), referrer_wallet=referrer)
    assert rest.complete and rest.points_taken_back == 250 + 20_000
    for e in rest.entries:
        referrer.apply(e)
    assert (shop.wallet.available(at(2)), referrer.available(at(2))) == (0, 0)
