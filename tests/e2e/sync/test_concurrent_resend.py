"""One push reaching the server twice at the same time (a till that re-sent after a read
timeout while the server was still applying the first copy, or a network that
duplicated it): one copy is applied, the other is answered ``duplicate``, both with 200.

Found by the fault proxy: on PostgreSQL the second copy read "not received yet" before
the first committed, then hit the first's unique keys (``pk_customers``,
``received_events``) and was answered 500. A push now first locks its till's row, so
pushes of one till are applied one after the other and the second sees the first.
"""

from __future__ import annotations

import threading
import time

from loyalty_core.wire.sync import EventV1, PushResponseV1
from pos_client.services.enrollment import stored_enrollment
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer
from tests.e2e.sync.conftest import MILK, Store
from tests.e2e.sync.fault_support import (
    assert_exactly_once,
    feed_held,
    quick_client,
    server_view,
    wait_for,
)

WAIT_S = 20.0


def test_the_same_push_twice_at_once_is_applied_once_and_answered_duplicate(
    store: Store,
) -> None:
    till = store.till("till-1")
    till.sync.sync_now()
    sv = till.services
    vera = sv.register_customer(RegisterCustomer("+7 912 555-44-33", True, store.cashier_id))
    for _ in range(3):
        milk = CartItem(MILK[0], MILK[1], MILK[2])
        sv.checkout(CheckoutRequest((milk,), store.cashier_id, vera.customer.id, redeem="max"))
    batch = till.sync.claim()
    assert batch is not None and len(batch) == 4
    events = [
        EventV1(
            event_id=e.event_id,
            kind=e.kind,
            aggregate_id=e.aggregate_id,
            created_at=e.created_at,
            payload=e.payload,
        )
        for e in batch
    ]
    enrollment = stored_enrollment(sv.uows.reading())
    assert enrollment is not None
    answers: list[PushResponseV1 | BaseException] = []

    def push() -> None:
        client = quick_client(store.url, enrollment.credential)
        try:
            answers.append(client.push(events))
        except BaseException as error:  # kept and asserted on below
            answers.append(error)
        finally:
            client.close()

    copies = [threading.Thread(target=push) for _ in range(2)]
    with feed_held(store.settings.database_url) as waiting:
        for copy in copies:
            copy.start()
        if waiting() >= 0:  # PostgreSQL: both copies are inside their transactions
            wait_for(lambda: waiting() >= 2, "both copies waiting", WAIT_S)
        else:  # SQLite: both wait for the write lock; BEGIN IMMEDIATE queues them
            time.sleep(0.3)
    for copy in copies:
        copy.join(WAIT_S)

    assert all(isinstance(a, PushResponseV1) for a in answers), answers
    statuses = sorted(
        tuple({r.status for r in a.results}) for a in answers if isinstance(a, PushResponseV1)
    )
    assert statuses == [("applied",), ("duplicate",)]
    till.sync.record(batch, answers[0])  # type: ignore[arg-type]
    assert_exactly_once(store.settings, [till.settings.resolved_database_path])
    assert server_view(store.settings).sales == 3
