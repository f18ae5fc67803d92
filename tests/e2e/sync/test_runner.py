"""The till's sync worker under Qt against a real server: a sale leaves the till by itself,
the status bar says online or offline and how many events wait, and a till that lost the
server keeps selling and catches up when it is back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot

from pos_client.adapters.sync_client import SyncClient, sync_retry
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.enrollment import SERVER_URL_KEY
from pos_client.services.messages import CartItem, CheckoutRequest
from pos_client.services.sync import SyncService
from pos_client.sync_runner import SyncRunner
from pos_client.tasks import Changes, TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.status_bar import TillStatusBar
from tests.e2e.sync.conftest import MILK, Store

WAIT_MS = 20_000


@dataclass
class Running:
    till: Till
    sync: SyncService
    runner: SyncRunner
    bar: TillStatusBar
    tasks: TaskManager


def _quick_client(url: str, credential: str) -> SyncClient:
    return SyncClient(url, credential, retry=sync_retry(0), timeout=(1.0, 5.0))


@pytest.fixture
def running(qtbot: QtBot, store: Store) -> Iterator[Running]:
    till = store.till("till-1")
    sync = SyncService(till.services.uows, till.services.ctx, till.services.wallets, _quick_client)
    tasks = TaskManager()
    runner = SyncRunner(sync, tasks, interval_s=0.5, max_backoff_s=1.0)
    bar = TillStatusBar(till.services, tasks, sync=runner)
    runner.start()
    yield Running(till, sync, runner, bar, tasks)
    runner.stop()
    bar.stop()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
    tasks.shutdown()
    delete_now(bar, runner, tasks)
    sync.close()


def _sell(running: Running, store: Store) -> str:
    sv = running.till.services
    sale = sv.checkout(CheckoutRequest((CartItem(MILK[0], MILK[1], MILK[2]),), store.cashier_id))
    running.tasks.broadcast(Changes(outbox=True, sales=True))  # as the checkout screen does
    return sale.sale_id


def _state(running: Running, sale_id: str) -> EventStatus | None:
    state = running.till.services.sync_state(sale_id)
    return state.status if state else None


def test_a_new_till_loads_its_store_and_its_sale_leaves_by_itself(
    qtbot: QtBot, running: Running, store: Store
) -> None:
    qtbot.waitUntil(lambda: running.runner.status.online is True, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(running.till.services.staff_list()) == 1, timeout=WAIT_MS)
    assert running.bar.online_label.text().startswith("Online · synced ")
    sale_id = _sell(running, store)
    qtbot.waitUntil(lambda: _state(running, sale_id) is EventStatus.APPLIED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: running.runner.status.queued == 0, timeout=WAIT_MS)
    # Once online, the runner fetched how this till signs its receipts' survey links.
    qtbot.waitUntil(
        lambda: running.till.services.receipt_to_show(sale_id).survey_url is not None,
        timeout=WAIT_MS,
    )
    # The bar's own outbox count, read when the sale was made, may land after the sync
    # worker's; its next poll shows the new count.
    qtbot.waitUntil(lambda: running.bar.queue_label.text() == "To server: 0", timeout=WAIT_MS)
    assert not running.bar.rejected_label.isVisible()


def test_without_the_server_sales_wait_and_leave_once_it_is_back(
    qtbot: QtBot, running: Running, store: Store
) -> None:
    qtbot.waitUntil(lambda: running.runner.status.online is True, timeout=WAIT_MS)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    _point_at(running, nowhere)
    sales = [_sell(running, store) for _ in range(3)]
    qtbot.waitUntil(lambda: running.runner.status.online is False, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: running.runner.status.queued == 3, timeout=WAIT_MS)
    assert running.bar.online_label.text() == "Offline: sales are kept and sent later"
    assert running.bar.queue_label.text() == "To server: 3"
    assert all(_state(running, s) is EventStatus.QUEUED for s in sales)

    _point_at(running, store.url)
    qtbot.waitUntil(lambda: running.runner.status.online is True, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: all(_state(running, s) is EventStatus.APPLIED for s in sales), timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: running.bar.queue_label.text() == "To server: 0", timeout=WAIT_MS)


def _point_at(running: Running, url: str) -> None:
    with running.till.services.uows.writing() as uow:
        uow.state.set(SERVER_URL_KEY, url)
        uow.commit()
    running.sync.close()  # the next step connects to the stored address


def test_a_bootstrap_in_pages_shows_its_progress_and_then_hides_it(
    qtbot: QtBot, store: Store
) -> None:
    till = store.till("till-1")
    sync = SyncService(
        till.services.uows, till.services.ctx, till.services.wallets, _quick_client, pull_limit=1
    )
    tasks = TaskManager()
    runner = SyncRunner(sync, tasks, interval_s=0.5, max_backoff_s=1.0)
    bar = TillStatusBar(till.services, tasks, sync=runner)
    shown: list[str] = []
    runner.status_changed.connect(
        lambda _status: (
            shown.append(bar.bootstrap_bar.format()) if bar.bootstrap_bar.isVisibleTo(bar) else None
        )
    )
    runner.start()
    try:
        qtbot.waitUntil(lambda: len(till.services.staff_list()) == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: runner.status.catching_up is None and runner.idle, timeout=WAIT_MS)
        distinct = [text for i, text in enumerate(shown) if i == 0 or shown[i - 1] != text]
        assert distinct[:3] == [
            "Loading the store: 1 rows",
            "Loading the store: 2 rows",
            "Loading the store: 3 rows",
        ]
        assert not bar.bootstrap_bar.isVisibleTo(bar)
        # Fetched ahead of each write, every page landed once: the whole store is there.
        assert till.services.product(MILK[0]).price == MILK[2]
        assert sync.sync_now().pulled_rows == 0
    finally:
        runner.stop()
        bar.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
        tasks.shutdown()
        delete_now(bar, runner, tasks)
        sync.close()
