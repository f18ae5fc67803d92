"""The store's redemption policy, pulled by its tills: online-only spends only what the
server confirms (and nothing when it cannot be reached, saying why); an offline limit caps
what a till spends per customer until the server has confirmed those sales."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta

import pytest

from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import default_rules
from pos_client.bootstrap import Till
from pos_client.services.enrollment import SERVER_URL_KEY
from pos_client.services.messages import CartItem, CheckoutRequest
from sync_server.services.clock import utc_now
from sync_server.services.setup import set_redemption_policy
from sync_server.services.sync_ports import NewCustomer
from tests.e2e.sync.conftest import Store
from tests.e2e.sync_server.sync_support import operator

PHONE = "+79161234567"
COFFEE = CartItem("4600000000099", "Кофе в зёрнах", 100_000)  # 1 000,00: bonus pays up to 30%


def _customer_with_300_00(store: Store) -> str:
    customer_id, now = new_id(), utc_now()
    with operator(store.settings) as uow, uow:
        uow.sync.add_customer(
            NewCustomer(customer_id, PHONE, "Вера", None, None, None, None, now, "test", None, now)
        )
        uow.sync.add_entries(
            [
                LedgerEntry(
                    id=new_id(),
                    kind=EntryKind.ADJUSTMENT,
                    occurred_at=now - timedelta(days=1),
                    till_id="server",
                    rules_version=default_rules().version,
                    customer_id=customer_id,
                    points=30_000,
                    activates_at=now - timedelta(days=1),
                    expires_at=now + timedelta(days=300),
                    reason="opening balance",
                    author="test",
                )
            ],
            None,
            now,
        )
        uow.commit()
    return customer_id


def _policy(store: Store, policy: str, limit: int | None = None) -> None:
    assert store.store_id is not None
    with operator(store.settings) as uow:
        set_redemption_policy(store.store_id, policy, uow, offline_limit_points=limit)


def _quote(till: Till, store: Store, customer_id: str, confirmed: int | None) -> PricedReceipt:
    return till.services.quote(
        CheckoutRequest(
            (COFFEE,), store.cashier_id, customer_id, redeem="max", confirmed_balance=confirmed
        )
    )


def _codes(receipt: PricedReceipt) -> list[str]:
    return [n.code for n in receipt.notes]


def test_online_only_spends_what_the_server_confirms_and_nothing_without_it(
    store: Store,
) -> None:
    till = store.till("till-1")
    customer = _customer_with_300_00(store)
    _policy(store, "online_only")
    till.sync.sync_now()
    assert till.services.identify(PHONE).balance.available == 30_000

    unconfirmed = _quote(till, store, customer, None)
    assert unconfirmed.redeemed == 0
    assert "redeem.online_only" in _codes(unconfirmed)

    confirmed = till.services.confirm_balance(customer)
    assert confirmed == 30_000
    receipt = _quote(till, store, customer, confirmed)
    assert receipt.redeemed == 30_000  # 30% of 1 000,00, all the balance
    assert "redeem.online_only" not in _codes(receipt)

    # The server says less (spent at another till a moment ago): only that.
    fewer = _quote(till, store, customer, 12_000)
    assert fewer.redeemed == 12_000
    assert ("redeem.server_balance", {"limit": 12_000}) in [
        (n.code, dict(n.params)) for n in fewer.notes
    ]

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with till.services.uows.writing() as uow:
        uow.state.set(SERVER_URL_KEY, nowhere)
        uow.commit()
    till.sync.close()
    assert till.services.confirm_balance(customer) is None


def test_a_till_that_has_not_pulled_its_store_asks_the_server_nothing(store: Store) -> None:
    # The store's policy is not known yet (never pulled): no balance is asked, even for a
    # customer the server knows.
    till = store.till("till-1")
    customer = _customer_with_300_00(store)
    _policy(store, "online_only")
    assert till.sync.confirm_balance(customer) is None
    till.sync.sync_now()
    assert till.sync.confirm_balance(customer) == 30_000


def test_a_balance_the_server_refuses_is_no_answer_and_the_log_says_why(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    till = store.till("till-1")
    _customer_with_300_00(store)
    _policy(store, "online_only")
    till.sync.sync_now()
    stranger = new_id()
    with caplog.at_level(logging.INFO, logger="pos_client.services.sync"):
        assert till.sync.confirm_balance(stranger) is None
    refused = [m for m in caplog.messages if "did not confirm" in m]
    assert len(refused) == 1
    assert refused[0].startswith("sync: the server did not confirm a balance: ")
    assert stranger in refused[0]  # the server's own message names the customer


def test_an_offline_limit_caps_spending_until_the_server_confirms_the_sales(
    store: Store,
) -> None:
    till = store.till("till-1")
    customer = _customer_with_300_00(store)
    _policy(store, "offline_limit", 10_000)
    till.sync.sync_now()

    first = till.services.checkout(
        CheckoutRequest((COFFEE,), store.cashier_id, customer, redeem="max")
    )
    assert first.receipt.redeemed == 10_000
    assert ("redeem.offline_limit", {"limit": 10_000}) in [
        (n.code, dict(n.params)) for n in first.receipt.notes
    ]
    # Not confirmed yet: the 100,00 already spent here counts against the limit.
    second = _quote(till, store, customer, None)
    assert second.redeemed == 0
    assert ("redeem.offline_limit", {"limit": 0}) in [
        (n.code, dict(n.params)) for n in second.notes
    ]
    till.sync.sync_now()  # the server confirms the first sale
    third = _quote(till, store, customer, None)
    assert third.redeemed == 10_000
