"""After payment the summary says where the sale is on its way to the server, and follows
it when the sync worker records the server's answer."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from pos_client.bootstrap import Till
from pos_client.records import EventResult, EventStatus
from pos_client.tasks import Changes, TaskManager
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import MILK, pay_at_till, scan, wait_quote


def _sell(qtbot: QtBot, checkout: CheckoutScreen) -> str:
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    pay_at_till(qtbot, checkout)
    sale = checkout.session.last_sale
    assert sale is not None
    return sale.sale_id


def _answer(till: Till, tasks: TaskManager, sale_id: str, result: EventStatus, **why: str) -> None:
    """What the sync worker does with the server's answer: record it, then tell the screens."""
    with till.services.uows.writing() as uow:
        (event,) = uow.outbox.for_aggregate(sale_id)
        claimed = uow.outbox.claim(10, now=datetime.now(UTC))  # after the shift's opening
        assert event.event_id in [e.event_id for e in claimed]
        uow.outbox.record([EventResult(event.event_id, result, **why)], now=datetime.now(UTC))
        uow.commit()
    tasks.broadcast(Changes(sales=True))


def test_a_sale_waits_to_be_sent_then_shows_the_server_received_it(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till, tasks: TaskManager
) -> None:
    sale_id = _sell(qtbot, checkout)
    label = checkout.summary.sync_label
    qtbot.waitUntil(lambda: label.text() == "Server: waiting to be sent")
    _answer(till, tasks, sale_id, EventStatus.APPLIED)
    qtbot.waitUntil(lambda: label.text() == "Server: received")
    assert label.property("state") == "applied"


def test_a_refused_sale_shows_the_servers_code_and_reason(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till, tasks: TaskManager
) -> None:
    sale_id = _sell(qtbot, checkout)
    _answer(
        till,
        tasks,
        sale_id,
        EventStatus.REJECTED,
        code="event.other_till",
        message="the event names another till",
    )
    label = checkout.summary.sync_label
    qtbot.waitUntil(
        lambda: label.text() == "Server: refused (event.other_till): the event names another till"
    )
    assert label.property("state") == "rejected"
