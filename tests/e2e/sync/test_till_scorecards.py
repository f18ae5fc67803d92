"""Scores at the till, read through the server's API: a cashier sees their own card (and
the comments on their low ratings), a manager every cashier of the store, and a staff id
the store does not have gets nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loyalty_core.ids import new_id
from loyalty_core.staff import hash_pin
from pos_client.adapters.server_client import ServerRefusedError
from pos_client.services.messages import CartItem, CheckoutRequest
from sync_server.services.clock import utc_now
from sync_server.services.setup import add_staff
from tests.e2e.sync.conftest import MILK, Store
from tests.e2e.sync_server.sync_support import operator


def test_a_cashier_sees_their_own_score_and_a_manager_the_whole_store(store: Store) -> None:
    till = store.till("till-1")
    till.sync.sync_now()
    assert store.store_id is not None
    manager_id, other_id = new_id(), new_id()
    for staff_id, name, role in ((manager_id, "Мария", "manager"), (other_id, "Олег", "cashier")):
        with operator(store.settings) as uow:
            add_staff(staff_id, store.store_id, name, role, hash_pin("9999"), uow, now=utc_now())
    sale = till.services.checkout(
        CheckoutRequest((CartItem(MILK[0], MILK[1], MILK[2]),), store.cashier_id)
    )
    till.services.record_vote(sale.sale_id, 2, ["slow"])
    pushed = till.sync.sync_now().pushed
    assert pushed.rejected == 0

    own = till.sync.scorecards(store.cashier_id)
    assert own.whole_store is False
    assert [card.name for card in own.cards] == ["Анна"]
    card = own.cards[0]
    assert (card.votes, card.sales, card.revenue, card.distribution) == (
        1,
        1,
        MILK[2],
        [0, 1, 0, 0, 0],
    )
    assert [(r.reason, r.votes) for r in card.top_reasons] == [("slow", 1)]

    whole = till.sync.scorecards(manager_id)
    assert whole.whole_store is True
    assert sorted(card.name for card in whole.cards) == ["Анна", "Мария", "Олег"]
    # The store's only vote is the prior (2.00), so every score is 2.00; the tie goes to the
    # card with more evidence.
    assert whole.prior_mean == Decimal("2.00")
    assert [c.score for c in whole.cards] == [Decimal("2.00")] * 3
    assert whole.cards[0].name == "Анна"

    with pytest.raises(ServerRefusedError) as refused:
        till.sync.scorecards(new_id())
    assert refused.value.status == 404
