"""The customer's window follows the sale the cashier rings up: the lines, the total, an
invitation to join with no card, the customer's bonus with one, then thanks and the change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.survey import Reason
from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.tasks import TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.customer_display import CustomerDisplay
from pos_client.ui.main_window import MainWindow
from tests.integration.ui.conftest import (
    CASHIER,
    CASHIER_PIN,
    MILK,
    MILK_PRICE,
    log_in,
    pay_at_till,
    scan,
    type_enter,
    wait_quote,
)

RUB = Currency()


@pytest.fixture
def shown(qtbot: QtBot, till: Till, tasks: TaskManager) -> Iterator[MainWindow]:
    window = MainWindow(till.services, tasks, till_identity(till), customer_display=True)
    window.resize(1280, 800)
    window.show()
    assert window.display is not None
    window.display.place()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.login.staff.count() == 3)  # the staff list has come
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    yield window
    qtbot.waitUntil(lambda: not tasks.busy)
    window.close()
    delete_now(window)


def _display(window: MainWindow) -> CustomerDisplay:
    assert window.display is not None
    return window.display


def test_the_customer_sees_the_sale_an_invitation_then_thanks_and_the_change(
    qtbot: QtBot, shown: MainWindow
) -> None:
    display, checkout = _display(shown), shown.checkout
    assert display.isVisible() and display.total.text() == "Welcome!"
    assert display.bonus.text().startswith("Join our loyalty program")
    assert shown.isActiveWindow()  # the cashier's window keeps the keyboard

    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    qtbot.waitUntil(lambda: display.total.text() == f"To pay: {RUB.format(MILK_PRICE)}")
    assert [display.lines.item(i).text() for i in range(display.lines.count())] == [
        f"Молоко 3,2% 1 л   1 × {RUB.format(MILK_PRICE)}"
    ]

    pay_at_till(qtbot, checkout, cash="100")
    change = 10_000 - MILK_PRICE
    assert display.total.text() == (
        f"Thank you for your purchase!\nYour change: {RUB.format(change)}"
    )
    assert display.lines.count() == 0


def test_with_a_card_the_customer_sees_their_bonus_and_what_they_will_earn(
    qtbot: QtBot, shown: MainWindow, till: Till
) -> None:
    display, checkout = _display(shown), shown.checkout
    expected = till.services.identify(demo_phone(0))
    type_enter(checkout.customer_panel.field, demo_phone(0))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    receipt = checkout.session.receipt
    assert receipt is not None and receipt.earned > 0
    qtbot.waitUntil(lambda: "you will earn" in display.bonus.text())
    name = expected.customer.name or "dear customer"
    points = RUB.format(expected.balance.available, symbol=False)
    earned = RUB.format(receipt.earned, symbol=False)
    assert display.bonus.text() == (
        f"Hello, {name}! Your bonus: {points} · you will earn: {earned}"
    )


def test_after_paying_the_customer_rates_the_cashier_once_and_the_next_sale_hides_it(
    qtbot: QtBot, shown: MainWindow, till: Till
) -> None:
    display, checkout = _display(shown), shown.checkout
    survey = display.survey
    assert not survey.isVisible()
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    sale = pay_at_till(qtbot, checkout)
    assert survey.isVisible() and survey.sale_id == sale.sale_id

    qtbot.mouseClick(survey.send, Qt.MouseButton.LeftButton)  # no score yet
    assert survey.answer.text() == "Tap a number from 1 to 5 first."
    button = survey.scores.button(4)
    assert button is not None and button.minimumHeight() >= 64  # a finger's target
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(survey.reasons[Reason.POLITE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(survey.reasons[Reason.OFFERED_CARD], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(survey.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: survey.answer.text() == "Thank you for your rating!")
    with till.services.uows.reading() as uow:
        (event,) = uow.outbox.of_kind("vote.recorded")
    assert (event.payload["sale_id"], event.payload["score"]) == (sale.sale_id, 4)
    assert event.payload["reasons"] == ["polite", "offered_card"]
    assert event.payload["staff_id"] == till.services.staff_list()[0].id  # who sold it
    assert not survey.send.isEnabled()  # one vote per receipt

    scan(qtbot, checkout, MILK)  # the next customer
    qtbot.waitUntil(lambda: not survey.isVisible())


def _fill(button: QWidget) -> QColor:
    """The colour a customer sees on the button, away from its text and border."""
    return button.grab().toImage().pixelColor(8, button.height() // 2)


@pytest.mark.usefixtures("till_style")
def test_a_chosen_score_and_reason_stand_out_from_the_others(
    qtbot: QtBot, shown: MainWindow
) -> None:
    display, checkout = _display(shown), shown.checkout
    survey = display.survey
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    pay_at_till(qtbot, checkout)
    chosen, other = survey.scores.button(5), survey.scores.button(4)
    assert chosen is not None and other is not None
    polite, fast = survey.reasons[Reason.POLITE], survey.reasons[Reason.FAST]
    unchosen = _fill(other)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(polite, Qt.MouseButton.LeftButton)
    for button in (chosen, polite):
        fill = _fill(button)
        assert fill.lightness() < unchosen.lightness() - 60, (fill.name(), unchosen.name())
        assert fill.blue() > fill.red() + 100  # the till's blue, as F4's chosen button
    assert _fill(fast).name() == unchosen.name()  # an unchosen reason stays plain
    qtbot.mouseClick(polite, Qt.MouseButton.LeftButton)  # changed their mind
    assert _fill(polite).name() == unchosen.name()


@pytest.mark.usefixtures("till_style")
def test_the_total_and_the_thanks_are_large_and_no_empty_list_is_left_after_the_sale(
    qtbot: QtBot, shown: MainWindow
) -> None:
    display, checkout = _display(shown), shown.checkout
    assert not display.lines.isVisible()  # nothing sold yet: the welcome, no empty box
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    qtbot.waitUntil(lambda: display.total.text().startswith("To pay"))
    assert display.lines.isVisible()
    assert display.total.font().pointSize() >= 28  # read from a metre away
    assert display.lines.font().pointSize() >= 16

    pay_at_till(qtbot, checkout, cash="100")
    assert "Your change" in display.total.text()
    assert display.total.font().pointSize() >= 28
    assert display.bonus.font().pointSize() >= 16
    assert not display.lines.isVisible()
    qtbot.waitUntil(lambda: display.total.geometry().top() < display.height() // 4)
    # the thanks and the change sit at the top, where the lines were


def test_after_the_sale_the_customer_is_told_the_bonus_still_on_its_way(
    qtbot: QtBot, shown: MainWindow
) -> None:
    display, checkout = _display(shown), shown.checkout
    type_enter(checkout.customer_panel.field, demo_phone(0))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    sale = pay_at_till(qtbot, checkout)
    balance = sale.balance_after
    assert balance is not None and sale.receipt.earned > 0 and balance.pending
    fmt = checkout.session.formats
    first = balance.pending[0].activates_at
    assert display.bonus.text() == (
        f"Your bonus now: {fmt.points(balance.available)}, "
        f"+{fmt.points(balance.pending_total)} on its way, from {fmt.day(first)}"
    )
    assert balance.pending_total >= sale.receipt.earned  # this sale's bonus is among it
