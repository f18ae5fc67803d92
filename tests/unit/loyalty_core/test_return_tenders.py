"""A return gives the money back by the tenders that paid it: gift cards their share, the
rest in cash; never cash the customer did not pay, never a negative cash refund."""

from datetime import timedelta

from loyalty_core.giftcards import GiftCard, GiftCardPayment, load_entry, project_gift_card
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import PricedReceipt
from loyalty_core.returns import PricedReturn, price_return

from .builders import T0, at, line, plain_rules, uid


def _card(number: str, amount: int) -> GiftCardPayment:
    card = GiftCard(id=uid(), number=number, pin_hash="-", expires_at=T0 + timedelta(days=365))
    loaded = load_entry(
        card, entry_id=uid(), amount=amount, now=at(-1), till_id="t", rules_version=1
    )
    return GiftCardPayment(project_gift_card(card, [loaded]))


def _line_by_line(receipt: PricedReceipt) -> list[PricedReturn]:
    sale, done, out = uid(), dict[str, int](), list[PricedReturn]()
    for day, ln in enumerate(receipt.lines, start=1):
        out.append(
            price_return(
                plain_rules(),
                receipt,
                {ln.line_id: ln.quantity_milli},
                sale_id=sale,
                return_id=uid(),
                till_id="t",
                now=at(day),
                already_returned=dict(done),
            )
        )
        done[ln.line_id] = ln.quantity_milli
    return out


def test_a_check_paid_by_one_card_and_cash_is_refunded_in_the_same_proportion() -> None:
    # 3 x 1 000,00 = 3 000,00; the card pays 1 000,00, cash 2 000,00. Each line returned
    # alone gives the card a third of 1 000,00 (333,33, 333,33, then the 333,34 left) and
    # the rest in cash.
    cart = [line(100_000, line_id=name) for name in "abc"]
    receipt = price_checkout(
        plain_rules(), cart, now=T0, gift_cards=[_card("7000000000000001", 100_000)]
    )
    assert (receipt.gift_card_total, receipt.to_pay) == (100_000, 200_000)
    returns = _line_by_line(receipt)
    assert [r.gift_card_total for r in returns] == [33_333, 33_333, 33_334]
    assert [r.cash_refund for r in returns] == [66_667, 66_667, 66_666]


def test_a_check_paid_by_two_gift_cards_alone_never_refunds_cash() -> None:
    # 3 x 1 000,00 paid by two cards, 1 000,00 and 2 000,00: nothing was paid in cash.
    # Returned line by line, each return is 1 000,00 back onto the cards, 0 in cash (each
    # card's share rounded down on its own once gave 999,99 back and 0,01 in cash).
    cart = [line(100_000, line_id=name) for name in "abc"]
    cards = [_card("7000000000000001", 100_000), _card("7000000000000002", 200_000)]
    receipt = price_checkout(plain_rules(), cart, now=T0, gift_cards=cards)
    assert (receipt.gift_card_total, receipt.to_pay) == (300_000, 0)
    returns = _line_by_line(receipt)
    assert [r.refund for r in returns] == [100_000] * 3
    assert [r.cash_refund for r in returns] == [0, 0, 0]
    back = [
        sum(g.amount for r in returns for g in r.gift_cards if g.gift_card_id == c.gift_card_id)
        for c in receipt.gift_cards
    ]
    assert back == [100_000, 200_000]
