"""Login by PIN: the right PIN opens checkout, a wrong one is refused and counted."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from pos_client.bootstrap import Till
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from tests.integration.ui.conftest import CASHIER, CASHIER_PIN, MILK, log_in, press, scan


def test_the_right_pin_opens_checkout_and_names_the_cashier(
    qtbot: QtBot, window: MainWindow
) -> None:
    log_in(qtbot, window, CASHIER, CASHIER_PIN)

    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    assert CASHIER in window.status.staff_label.text()
    assert window.checkout.scan_bar.field.hasFocus()


def test_login_runs_in_the_background(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, CASHIER, CASHIER_PIN)

    # Enter returned at once: the PIN check (argon2) is still on the database lane.
    assert window.screens.currentWidget() is window.login
    assert window.login.message.text() == "Checking the PIN…"
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)


def test_a_wrong_pin_shows_an_error_and_stays_on_login(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, CASHIER, "0000")

    qtbot.waitUntil(lambda: window.login.message.kind is Kind.ERROR)
    assert window.login.message.text() == "Wrong PIN. 4 attempts left."
    assert window.screens.currentWidget() is window.login
    assert window.login.pin.text() == ""
    assert window.login.pin.hasFocus()


def test_repeated_wrong_pins_lock_the_cashier_out(qtbot: QtBot, window: MainWindow) -> None:
    for attempt in range(5):
        log_in(qtbot, window, CASHIER, "0000")
        qtbot.waitUntil(lambda: window.login.message.kind is Kind.ERROR)
        if attempt < 4:
            window.login.message.clear_message()

    assert window.login.message.text().startswith("Too many wrong PINs: locked until ")
    log_in(qtbot, window, CASHIER, CASHIER_PIN)  # even the right PIN waits for the lockout
    qtbot.waitUntil(lambda: "locked" in window.login.message.text())
    assert window.screens.currentWidget() is window.login


def test_the_keypad_types_the_pin(qtbot: QtBot, window: MainWindow) -> None:
    login = window.login
    login.select_staff(_staff_id(window, "Олег Петров"))
    keys = {b.text(): b for b in login.keypad.findChildren(QPushButton)}
    for digit in "2222":
        qtbot.mouseClick(keys[digit], Qt.MouseButton.LeftButton)
    assert login.pin.text() == "2222"
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    assert "Олег Петров" in window.status.staff_label.text()


def test_up_and_down_in_the_pin_field_choose_the_staff_member(
    qtbot: QtBot, window: MainWindow
) -> None:
    login = window.login
    login.staff.setCurrentRow(0)
    press(login.pin, Qt.Key.Key_Down)
    assert login.staff.currentRow() == 1
    press(login.pin, Qt.Key.Key_Up)
    press(login.pin, Qt.Key.Key_Up)
    assert login.staff.currentRow() == 0


def test_demo_mode_shows_the_pins_and_the_store(window: MainWindow) -> None:
    hint = window.login.demo_hint
    assert hint.isVisible()
    assert "1111" in hint.text() and "2222" in hint.text() and "9999" in hint.text()
    assert "Кофейня «Зерно»" in window.windowTitle()


def test_log_out_returns_to_login(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)

    press(window.checkout.scan_bar.field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.screens.currentWidget() is window.login
    assert window.status.staff_label.text() == "Nobody is logged in"
    assert window.login.selected_staff_id() == _staff_id(window, CASHIER)


def test_log_out_waits_for_the_sale_to_be_finished(qtbot: QtBot, window: MainWindow) -> None:
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    checkout = window.checkout
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)

    qtbot.mouseClick(window.status.logout_button, Qt.MouseButton.LeftButton)

    assert window.screens.currentWidget() is checkout
    assert checkout.message.kind is Kind.ERROR


def _staff_id(window: MainWindow, name: str) -> str:
    staff = window.login.staff
    for row in range(staff.count()):
        item = staff.item(row)
        if item.text().startswith(name):
            return str(item.data(Qt.ItemDataRole.UserRole))
    raise AssertionError(name)


def test_the_receipt_button_is_shown_only_with_someone_logged_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    status = window.status
    assert not status.preview_button.isVisible()  # nobody's last receipt at the PIN screen
    press(window.login.pin, Qt.Key.Key_F8)
    assert status.preview is None
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    assert status.preview_button.isVisible() and status.preview_button.text() == "Receipt (F8)"
    press(window.checkout.scan_bar.field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not status.preview_button.isVisible()


def test_the_status_bar_clock_keeps_the_store_time_zone_not_the_machine_one(
    qtbot: QtBot, window: MainWindow, till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ZoneInfo(till.services.rules().timezone)
    machine = "Pacific/Kiritimati"  # UTC+14: never the store's day and hour
    monkeypatch.setenv("TZ", machine)
    time.tzset()
    try:
        assert datetime.now().utcoffset() != datetime.now(store).utcoffset()

        def store_time() -> bool:
            shown = window.status.clock_label.text()
            return shown == datetime.now(store).strftime("%d.%m.%Y  %H:%M")

        window.status._tick()  # the next second's tick, now
        qtbot.waitUntil(store_time)
        assert window.status.clock_label.text() != datetime.now().strftime("%d.%m.%Y  %H:%M")
    finally:
        monkeypatch.undo()
        time.tzset()
