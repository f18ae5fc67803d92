"""A gift card set up at the office reaches the tills; a sale paid with it at one till is
accepted by the server, which re-prices it with the same engine, and the other till then sees
what is left on the card."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.giftcards import GiftCard, hash_pin
from loyalty_core.ids import new_id
from pos_client.services.messages import CartItem, CheckoutRequest
from sync_server.services.clock import utc_now
from sync_server.services.setup import add_gift_card, load_gift_card
from tests.e2e.sync.conftest import MILK, Store
from tests.e2e.sync_server.sync_support import operator

NUMBER, PIN = "7700000000000033", "2468"


def test_a_gift_card_paid_at_one_till_is_accepted_and_the_other_till_sees_the_rest(
    store: Store,
) -> None:
    first, second = store.till("till-1"), store.till("till-2")
    now = utc_now()
    card = GiftCard(new_id(), NUMBER, hash_pin(PIN), now + timedelta(days=365))
    with operator(store.settings) as uow:
        add_gift_card(card, uow, now=now)
    with operator(store.settings) as uow:
        load_gift_card(card, 10_000, new_id(), store.rules.version, uow, now=now)
    first.sync.sync_now()
    second.sync.sync_now()

    offer = first.services.present_gift_card(NUMBER, PIN)
    assert offer.balance == 10_000
    milk = CartItem(MILK[0], MILK[1], MILK[2])  # 89,90: the card pays it, 10,10 stay on it
    sale = first.services.checkout(
        CheckoutRequest((milk,), store.cashier_id, gift_card_ids=(offer.id,))
    )
    assert sale.receipt.to_pay == 0
    pushed = first.sync.sync_now().pushed
    assert (pushed.applied, pushed.rejected) == (1, 0)

    second.sync.sync_now()
    assert second.services.present_gift_card(NUMBER, PIN).balance == 1_010
    # Nor can the second till take more than that for a bigger check.
    big = CartItem(MILK[0], MILK[1], MILK[2], quantity_milli=3_000)
    rest = second.services.checkout(
        CheckoutRequest((big,), store.cashier_id, gift_card_ids=(offer.id,))
    )
    assert [c.amount for c in rest.receipt.gift_cards] == [1_010]
    assert rest.receipt.to_pay == 3 * 8_990 - 1_010
    assert second.sync.sync_now().pushed.applied == 1
    with pytest.raises(DomainError) as empty:
        first.sync.sync_now()
        first.services.present_gift_card(NUMBER, PIN)
    assert empty.value.code == "gift_card.empty"
