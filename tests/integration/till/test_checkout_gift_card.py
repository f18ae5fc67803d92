"""A gift card as a tender at the till: the demo card (3 000,00, PIN 4321) found by number,
its PIN checked and counted, and what the sale takes from it, as the till stores and sends it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.giftcards import GiftCard, hash_pin
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale
from resources.demo.dataset import DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN

# Coffee beans at 1 299,00 (two packs: 2 598,00) and milk at 89,90.
COFFEE = CartItem("4600000000091", "Кофе в зёрнах 1 кг", unit_price=129_900, quantity_milli=2_000)
MORE_COFFEE = replace(COFFEE, line_id="second-coffee-line")
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=1_000)


def _sell(till: Till, *items: CartItem, **payment: Any) -> CompletedSale:
    staff = till.services.staff_list()[0]
    return till.services.checkout(CheckoutRequest(items, staff.id, **payment))


def _card_id(till: Till) -> str:
    return till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN).id


def test_the_card_pays_what_it_holds_and_the_rest_is_cash(seeded_till: Till) -> None:
    offer = seeded_till.services.present_gift_card("7700 0000 0000 0017", DEMO_GIFT_CARD_PIN)
    assert (offer.masked, offer.balance) == ("************0017", 300_000)
    # 2 598,00 + 2 598,00 = 5 196,00: the card pays 3 000,00, cash the other 2 196,00.
    sale = _sell(seeded_till, COFFEE, MORE_COFFEE, gift_card_ids=(offer.id,), cash_tendered=220_000)
    assert [(c.amount, c.balance_after) for c in sale.receipt.gift_cards] == [(300_000, 0)]
    assert sale.receipt.to_pay == 219_600 and sale.payment.change == 400
    # The card is empty now: shown again, it is refused and the next sale cannot use it.
    with pytest.raises(DomainError) as refused:
        seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN)
    assert refused.value.code == "gift_card.empty"
    again = _sell(seeded_till, MILK, gift_card_ids=(offer.id,))
    assert again.receipt.gift_cards == () and again.receipt.to_pay == 8_990


def test_a_small_check_takes_only_its_total_and_the_rest_stays_on_the_card(
    seeded_till: Till,
) -> None:
    sale = _sell(seeded_till, MILK, gift_card_ids=(_card_id(seeded_till),))
    assert [(c.amount, c.balance_after) for c in sale.receipt.gift_cards] == [(8_990, 291_010)]
    assert sale.receipt.to_pay == 0 and sale.payment.tenders == ()
    assert (
        seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN).balance
        == 291_010
    )


def test_the_sale_event_carries_the_card_and_its_spend_entry(seeded_till: Till) -> None:
    card_id = _card_id(seeded_till)
    sale = _sell(seeded_till, MILK, gift_card_ids=(card_id,))
    with seeded_till.services.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(sale.sale_id)
    payload = event.payload
    assert [g[0] for g in payload["receipt"]["gift_cards"]] == [card_id]
    spends = [e for e in payload["entries"] if e["kind"] == "gift_card_spend"]
    assert [(e["gift_card_id"], e["amount"]) for e in spends] == [(card_id, 8_990)]


def test_the_same_card_twice_in_one_sale_is_charged_once(seeded_till: Till) -> None:
    card_id = _card_id(seeded_till)
    sale = _sell(seeded_till, COFFEE, gift_card_ids=(card_id, card_id), cash_tendered=0)
    assert [c.amount for c in sale.receipt.gift_cards] == [259_800]


def test_wrong_pins_are_counted_and_lock_the_card_even_for_the_right_pin(
    seeded_till: Till,
) -> None:
    limit = seeded_till.services.rules().gift_cards.max_pin_attempts
    for _ in range(limit):
        with pytest.raises(DomainError) as wrong:
            seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, "0000")
        assert wrong.value.code == "gift_card.wrong_pin"
    with pytest.raises(DomainError) as locked:
        seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN)
    assert locked.value.code == "gift_card.locked"


def test_a_right_pin_clears_the_count_of_wrong_ones(seeded_till: Till) -> None:
    limit = seeded_till.services.rules().gift_cards.max_pin_attempts
    for _ in range(limit - 1):
        with pytest.raises(DomainError):
            seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, "0000")
    _card_id(seeded_till)
    with pytest.raises(DomainError) as wrong:
        seeded_till.services.present_gift_card(DEMO_GIFT_CARD_NUMBER, "0000")
    assert wrong.value.code == "gift_card.wrong_pin"  # counted from zero again, not locked
    assert _card_id(seeded_till)


def test_an_unknown_number_is_refused_with_it_masked(seeded_till: Till) -> None:
    with pytest.raises(DomainError) as refused:
        seeded_till.services.present_gift_card("7700000000009999", "1234")
    assert refused.value.code == "gift_card.not_found"
    assert refused.value.params == {"card": "************9999"}


@pytest.mark.parametrize(
    ("blocked", "days", "code"), [(True, 30, "gift_card.blocked"), (False, -1, "gift_card.expired")]
)
def test_a_blocked_or_expired_card_is_refused(
    seeded_till: Till, blocked: bool, days: int, code: str
) -> None:
    now = seeded_till.services.ctx.clock()
    card = GiftCard(
        "gc-2", "7700000000000025", hash_pin("1111"), now + timedelta(days=days), blocked
    )
    with seeded_till.services.uows.writing() as uow:
        uow.gift_cards.put(card)
        uow.commit()
    with pytest.raises(DomainError) as refused:
        seeded_till.services.present_gift_card(card.number, "1111")
    assert refused.value.code == code
