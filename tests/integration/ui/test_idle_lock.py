"""The till locks itself when nobody is at it: back to the PIN screen after the idle time, but
never while a sale is being rung up, and not while the cashier keeps typing or scanning."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till
from pos_client.tasks import TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.main_window import MainWindow
from tests.integration.ui.conftest import CASHIER, CASHIER_PIN, MILK, log_in, press, scan

IDLE_S = 1.0


@pytest.fixture
def locking(qtbot: QtBot, till: Till, tasks: TaskManager) -> Iterator[MainWindow]:
    window = MainWindow(till.services, tasks, till_identity(till), idle_lock_s=IDLE_S)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.login.staff.count() == 3)
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    yield window
    qtbot.waitUntil(lambda: not tasks.busy)
    window.close()
    delete_now(window)


def test_nobody_at_the_till_locks_it_back_to_the_pin_screen(
    qtbot: QtBot, locking: MainWindow
) -> None:
    qtbot.waitUntil(lambda: locking.screens.currentWidget() is locking.login, timeout=5000)
    assert locking.staff is None
    assert locking.status.currentMessage() == "Locked after 1 min with nobody at the till."
    assert locking.idle is not None and not locking.idle.waiting  # nothing to lock any more


def test_typing_keeps_the_till_unlocked(qtbot: QtBot, locking: MainWindow) -> None:
    field = locking.checkout.scan_bar.field
    for _ in range(16):  # a key every 0.15 s for 2.4 s: more than twice the idle time
        press(field, Qt.Key.Key_Shift)
        qtbot.wait(150)
    assert locking.screens.currentWidget() is locking.checkout and locking.staff is not None


def test_a_sale_being_rung_up_is_never_locked_away(qtbot: QtBot, locking: MainWindow) -> None:
    checkout = locking.checkout
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    qtbot.wait(int(IDLE_S * 2500))
    assert locking.screens.currentWidget() is checkout and locking.staff is not None
    assert len(checkout.session.cart) == 1
