"""The server SIGKILLed while it applies a till's batch, then started again: the batch it
was inside of is not half there, the batches before it are kept, and once the till syncs
again every event is on the server exactly once and the till shows the server's balances.

The kill lands inside the push deterministically: the test holds what the push needs
before it can commit (PostgreSQL: the change-feed counter row, which a push takes last,
after writing all its rows; SQLite: the write lock, which a push takes first) and kills
the server once the batch is waiting on it.
"""

from __future__ import annotations

import itertools
import threading
import time

from pos_client.adapters.server_client import ServerUnavailableError
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer
from tests.e2e.sync.conftest import BREAD, MILK, ServedStore
from tests.e2e.sync.fault_support import (
    assert_balances_agree,
    assert_exactly_once,
    feed_held,
    point_at,
    quick_sync,
    server_view,
    sync_until_settled,
    try_sync,
    wait_for,
)
from tests.e2e.sync.faulty_proxy import PUSH, Fault, Request, faulty_proxy

BATCH = 30
SALES = 80
CUSTOMERS = 3

OPENING = 1  # the shift.opened event each test till sends when it is set up


def test_the_server_killed_mid_batch_and_restarted_loses_and_doubles_nothing(
    served_store: ServedStore,
) -> None:
    process = served_store.process
    assert process is not None
    till = served_store.till("till-1")
    sync = quick_sync(till, batch_size=BATCH)
    assert try_sync(till) is not None
    sv, staff = till.services, served_store.cashier_id
    customers = [
        sv.register_customer(RegisterCustomer(f"+7916555000{i}", True, staff)).customer.id
        for i in range(CUSTOMERS)
    ]
    for n in range(SALES):
        items = (CartItem(MILK[0], MILK[1], MILK[2]), CartItem(BREAD[0], BREAD[1], BREAD[2]))
        customer = customers[n % CUSTOMERS] if n % 4 else None
        sv.checkout(CheckoutRequest(items, staff, customer, redeem="max" if n % 3 else 0))
    events = CUSTOMERS + SALES

    # The second batch waits at the proxy until the test holds the database.
    at_second, go = threading.Event(), threading.Event()
    pushes = itertools.count(1)

    def plan(request: Request) -> Fault:
        if request.route == PUSH and next(pushes) == 2:
            at_second.set()
            go.wait(30)
        return Fault.PASS

    failure: list[BaseException] = []

    def push_all() -> None:
        try:
            sync.sync_now()
        except BaseException as error:  # the server died under it: asserted below
            failure.append(error)

    with faulty_proxy(process.url) as proxy:
        point_at(till, proxy.url)
        proxy.plan(plan)
        pusher = threading.Thread(target=push_all)
        pusher.start()
        assert at_second.wait(30), "the second batch never left the till"
        # The first batch is in, after the shift's opening (pushed when the till was set up).
        assert len(server_view(served_store.settings).received) == OPENING + BATCH
        with feed_held(process.database_url) as waiting:
            go.set()
            if waiting() >= 0:  # PostgreSQL: the push has written its rows and waits
                wait_for(lambda: waiting() >= 1, "the second batch inside its transaction")
            else:  # SQLite: it waits for the write lock the test holds
                time.sleep(0.5)
            process.kill()
        pusher.join(30)
        assert not pusher.is_alive()
        assert [type(e) for e in failure] == [ServerUnavailableError]
        assert len(server_view(served_store.settings).received) == OPENING + BATCH  # not half
        assert sync.counts()[0] == events - BATCH  # the rest waits at the till

        process.start()
        sync_until_settled([till])

    view = assert_exactly_once(served_store.settings, [till.settings.resolved_database_path])
    assert view.sales == SALES
    assert assert_balances_agree(served_store.url, served_store.settings, [till]) == CUSTOMERS
