"""The shift (F10) as a cashier uses it: the X report of the open shift, closing it with the
cash counted (the Z report says what is short), no sale without a shift, and opening the next
one with its float — the window comes up by itself at login when no shift is open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from pos_client.bootstrap import Till
from pos_client.services.demo_store import DEMO_FLOAT
from pos_client.services.messages import CartItem, CheckoutRequest
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.shift_dialog import ShiftDialog
from tests.integration.ui.conftest import CASHIER, CASHIER_PIN, log_in, press, type_enter

RUB = Currency()
SENIOR, SENIOR_PIN = "Олег Петров", "2222"
BREAD = CartItem("4600000000022", "Хлеб", unit_price=4_990)


def _window(checkout: CheckoutScreen) -> MainWindow:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    return window


def _open(qtbot: QtBot, window: MainWindow) -> ShiftDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window.checkout.scan_bar.field, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.shift is not None and window.shift.loaded)
    dialog = window.shift
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _as_senior(qtbot: QtBot, window: MainWindow, dialog: ShiftDialog) -> ShiftDialog:
    """Esc, log out, the senior cashier logs in, F10 again."""
    press(dialog.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window.checkout.scan_bar.field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.staff is None)
    log_in(qtbot, window, SENIOR, SENIOR_PIN)
    qtbot.waitUntil(lambda: window.staff is not None and window.staff.name == SENIOR)
    again = _open(qtbot, window)
    assert again.close_button.isVisible()
    return again


def test_the_x_report_then_closing_with_cash_short_then_no_sale_until_a_new_shift(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    staff = till.services.staff_list()[0].id
    till.services.checkout(CheckoutRequest((BREAD,), staff, cash_tendered=10_000))  # 49,90 cash
    till.services.checkout(CheckoutRequest((BREAD,), staff, card_amount=4_990))
    window = _window(checkout)
    dialog = _open(qtbot, window)

    assert dialog.state.text() == "Shift No. 1 is open."
    lines = dialog.text.toPlainText().splitlines()
    assert lines[0].strip() == "X report"
    expected = DEMO_FLOAT + 4_990

    def row(label: str) -> str:
        return next(line for line in lines if line.startswith(label))

    assert row("Shift").endswith(" No. 1")  # as the heading says it, not "№ 1"
    assert row("Sales").endswith(" 2")
    assert row("Taken in cash").endswith(RUB.format(4_990))
    assert row("Taken by bank card").endswith(RUB.format(4_990))
    assert row("Cash expected").endswith(RUB.format(expected))

    # A cashier sees the X report but does not close the day: the senior cashier does.
    assert not dialog.close_button.isVisible() and not dialog.cash.isEnabled()
    press(dialog.cash, Qt.Key.Key_F12)
    assert dialog.message.text() == "Only a senior cashier or a manager closes the shift."
    assert dialog.report is not None and not dialog.report.closing
    dialog = _as_senior(qtbot, window, dialog)

    QTest.keyClicks(dialog.cash, RUB.format(expected - 1_000, symbol=False))  # 10,00 short
    press(dialog.cash, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.closing)
    assert dialog.message.kind is Kind.SUCCESS
    assert dialog.message.text() == f"Shift No. 1 closed: {RUB.format(1_000)} short."
    lines = dialog.text.toPlainText().splitlines()
    assert lines[0].strip() == "Z report: shift closed"
    assert row("Difference").endswith("-" + RUB.format(1_000))
    assert not dialog.cash.isEnabled() and not dialog.close_button.isEnabled()
    press(dialog.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)


def test_with_no_shift_a_sale_is_refused_until_f10_opens_the_next_one(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    senior = next(s.id for s in till.services.staff_list() if s.name == SENIOR)
    till.services.close_shift(senior, DEMO_FLOAT)
    window = _window(checkout)
    # No shift: the sale is refused, and says how to open one.
    checkout.take_scan("4600000000015")
    qtbot.waitUntil(lambda: checkout.session.receipt is not None)
    press(checkout.scan_bar.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: checkout.payment_dialog is not None)
    payment = checkout.payment_dialog
    assert payment is not None
    qtbot.waitUntil(payment.isActiveWindow)
    press(payment.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: checkout.message.text() == "No shift is open at this till: F10 opens one."
    )
    assert checkout.session.last_sale is None and not checkout.session.cart.is_empty

    # Cancel the sale (Esc twice), then F10 opens shift No. 2 with a float of 3 000,00.
    press(checkout.scan_bar.field, Qt.Key.Key_Escape)
    press(checkout.scan_bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: checkout.session.cart.is_empty)
    dialog = _open(qtbot, window)
    assert dialog.state.text() == "No shift is open."
    type_enter(dialog.cash, "3000")
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.state.text() == "Shift No. 2 is open."
    assert dialog.message.text() == "Shift No. 2 is open: the till can sell."
    report = till.services.shift_report()
    assert report is not None and (report.number, report.float_cash) == (2, 300_000)
    assert report.totals.sales == 0
    dialog.reject()


def test_logging_in_with_no_shift_open_brings_the_shift_window_up(
    qtbot: QtBot, window: MainWindow, till: Till
) -> None:
    senior = next(s.id for s in till.services.staff_list() if s.name == SENIOR)
    till.services.close_shift(senior, DEMO_FLOAT)
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.shift is not None and window.shift.loaded)
    dialog = window.shift
    assert dialog is not None and dialog.state.text() == "No shift is open."
    dialog.reject()
    qtbot.waitUntil(lambda: window.shift is None)


@pytest.mark.usefixtures("till_style")
def test_the_x_report_is_in_large_type_and_centred_in_its_box(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    window = _window(checkout)
    window.resize(1366, 768)
    dialog = _open(qtbot, window)
    report = dialog.text
    assert report.font().pointSize() >= 14 and QFontInfo(report.font()).fixedPitch()
    widest = max(
        report.fontMetrics().horizontalAdvance(line) for line in report.toPlainText().splitlines()
    )
    assert widest > report.width() * 0.6  # it fills its box, no small print in a corner
    start = QTextCursor(report.document())  # where the report's text begins on the screen
    left = report.viewport().mapTo(report, report.cursorRect(start).topLeft()).x()
    right = report.width() - left - widest
    assert left > 20 and abs(left - right) <= 20, (left, right)  # centred
    press(dialog.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)
