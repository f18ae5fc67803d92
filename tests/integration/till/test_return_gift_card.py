"""A return of goods paid with a gift card: the money goes back onto the card, not into the
customer's hand, as the till stores it and sends it to the server.

The sale: two packs of coffee beans at 1 299,00 (2 598,00) and a milk at 89,90, 2 687,90 in
all, paid whole with the demo gift card (3 000,00, PIN 4321), which keeps 312,10. Returning
the milk gives its 89,90 back to the card: 402,00 on it, no cash and no bank card refund.
"""

from __future__ import annotations

from typing import Any

from loyalty_core.ledger import EntryKind
from loyalty_core.returns import GiftCardRefund
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest, ReturnRequest
from resources.demo.dataset import DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN

COFFEE = CartItem("4600000000091", "Кофе в зёрнах 1 кг", unit_price=129_900, quantity_milli=2_000)
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=1_000)


def test_returning_the_milk_of_a_gift_card_check_puts_its_price_back_on_the_card(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    cashier = sv.staff_list()[0].id
    card = sv.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN)
    sale = sv.checkout(
        CheckoutRequest((COFFEE, MILK), cashier, gift_card_ids=(card.id,), cash_tendered=0)
    )
    assert [(c.amount, c.balance_after) for c in sale.receipt.gift_cards] == [(268_790, 31_210)]
    assert sale.receipt.to_pay == 0 and sale.payment.tenders == ()

    done = sv.return_items(ReturnRequest(sale.number, {MILK.line_id: 1_000}, cashier))
    assert done.priced.gift_cards == (GiftCardRefund(card.id, 8_990),)
    assert done.refund == 8_990 and done.refund_payment.tenders == ()  # no cash, no bank card
    # 312,10 left after the sale + 89,90 back = 402,00 on the card for the next check.
    assert sv.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN).balance == 40_200

    with sv.uows.reading() as uow:
        stored = uow.sales.receipt_json(done.return_id)
        record = uow.sales.return_record(done.return_id)
        (event,) = uow.outbox.for_aggregate(done.return_id)
    payload: dict[str, Any] = event.payload
    card_back = [{"gift_card_id": card.id, "amount": 8_990}]
    assert stored is not None and stored["gift_cards"] == card_back  # the return's row
    assert record is not None and record.returned.gift_cards == done.priced.gift_cards
    assert event.kind == "sale.returned" and payload["return"]["gift_cards"] == card_back
    assert payload["refunds"] == []
    refunds = [e for e in payload["entries"] if e["kind"] == EntryKind.GIFT_CARD_REFUND.value]
    assert [(e["gift_card_id"], e["amount"], e["sale_id"]) for e in refunds] == [
        (card.id, 8_990, sale.sale_id)
    ]
