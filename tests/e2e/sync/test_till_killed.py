"""The till SIGKILLed in the middle of a push, at both bad moments, then started again:

1. before its batch reached the server (the batch is ``sending`` at the till, nothing
   of it on the server): after a restart the batch is queued again and applied;
2. after the server applied its batch, before the answer came back (``sending`` at the
   till, applied on the server): after a restart it is sent again and answered
   ``duplicate``.

Either way every event ends on the server exactly once, and the till shows the
server's balances. The till is a real process (``till_process``) on its own data folder.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from pos_client.bootstrap import bootstrap
from pos_client.config import load_settings
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer
from tests.e2e.sync.conftest import BREAD, MILK, Store
from tests.e2e.sync.fault_support import (
    assert_balances_agree,
    assert_exactly_once,
    outbox,
    point_at,
    quick_sync,
    server_view,
    try_sync,
)
from tests.e2e.sync.faulty_proxy import PUSH, Fault, Request, faulty_proxy

BATCH = 20
SALES = 40
CUSTOMERS = 2
WAIT_S = 60.0
REPO = Path(__file__).resolve().parents[3]


def _start(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.sync.till_process", str(data_dir), "--batch", str(BATCH)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _kill(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=WAIT_S)
    assert process.returncode == -signal.SIGKILL, output
    return output


def _statuses(database: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, status in outbox(database).values():
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_a_till_killed_mid_push_and_restarted_sends_each_event_once(
    store: Store, tmp_path: Path
) -> None:
    till = store.till("till-1")
    quick_sync(till)
    assert try_sync(till) is not None
    sv, staff = till.services, store.cashier_id
    customers = [
        sv.register_customer(RegisterCustomer(f"+7916777000{i}", True, staff)).customer.id
        for i in range(CUSTOMERS)
    ]
    for n in range(SALES):
        items = (CartItem(MILK[0], MILK[1], MILK[2]), CartItem(BREAD[0], BREAD[1], BREAD[2]))
        sv.checkout(CheckoutRequest(items, staff, customers[n % CUSTOMERS], redeem="max"))
    events = CUSTOMERS + SALES
    data_dir, database = till.settings.data_dir, till.settings.resolved_database_path

    with faulty_proxy(store.url) as proxy:
        point_at(till, proxy.url)
        till.close()
        store.tills.remove(till)

        # 1. Killed while its first batch is on the way: the server never sees it.
        on_the_way, let_go = threading.Event(), threading.Event()

        def stuck_on_the_way(request: Request) -> Fault:
            if request.route != PUSH:
                return Fault.PASS
            on_the_way.set()
            let_go.wait(WAIT_S)
            return Fault.DROP  # the dead till's request is lost with it

        proxy.plan(stuck_on_the_way)
        first = _start(data_dir)
        assert on_the_way.wait(WAIT_S), first.stdout
        _kill(first)
        let_go.set()
        assert _statuses(database) == {"applied": 1, "sending": BATCH, "queued": events - BATCH}
        assert len(server_view(store.settings).received) == 1  # only the shift's opening

        # 2. Killed after the server applied its batch, before the answer arrived.
        proxy.plan(lambda request: Fault.HOLD if request.route == PUSH else Fault.PASS)
        second = _start(data_dir)
        proxy.wait_until(lambda log: any(r.fault is Fault.HOLD and r.answered for r in log))
        output = _kill(second)
        recovered = f"{BATCH} outbox events were being sent when the till stopped: queued again"
        assert output.splitlines()[:2] == [recovered, f"started pending={events}"], output
        assert _statuses(database) == {"applied": 1, "sending": BATCH, "queued": events - BATCH}
        assert len(server_view(store.settings).received) == 1 + BATCH

        # Healed: a third start sends the rest, and the batch the server holds again.
        proxy.heal()
        third = _start(data_dir)
        output, _ = third.communicate(timeout=WAIT_S)
        assert third.returncode == 0, output

    assert f"duplicate={BATCH}" in output, output
    assert _statuses(database) == {"duplicate": BATCH, "applied": 1 + events - BATCH}
    view = assert_exactly_once(store.settings, [database])
    assert view.sales == SALES
    again = bootstrap(load_settings(data_dir=data_dir), logs=False)
    store.tills.append(again)
    point_at(again, store.url)
    quick_sync(again)
    assert try_sync(again) is not None  # pulls what the server settled
    assert assert_balances_agree(store.url, store.settings, [again]) == CUSTOMERS
