"""A real till (SQLite in tmp_path, demo store) under real widgets; no mocks.

Background work really runs on the TaskManager's threads, so tests wait for
results with ``qtbot.waitUntil`` and the fixtures stop every thread in teardown.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import seed_demo_store
from pos_client.services.messages import CompletedSale
from pos_client.tasks import TaskManager
from pos_client.ui.app import apply_style, delete_now
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow

CASHIER, CASHIER_PIN = "Анна Смирнова", "1111"
MILK, KEFIR, BEANS = "4600000000015", "4600000000022", "4600000000091"  # demo barcodes
MILK_PRICE, KEFIR_PRICE, BEANS_PRICE = 8990, 7490, 149900


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    settings = load_settings(data_dir=tmp_path, language="en")
    till = bootstrap(settings, logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=50)
    yield till
    till.close()


@pytest.fixture
def till_style(qapp: QApplication) -> Iterator[None]:
    """The till's own style sheet and type (what a cashier sees); undone afterwards."""
    style, sheet, font = qapp.style().name(), qapp.styleSheet(), qapp.font()
    apply_style(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setStyle(style)


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    tasks = TaskManager()
    yield tasks
    tasks.shutdown()  # no worker thread outlives the test
    delete_now(tasks)  # here, not on the thread that happens to free its wrapper


@pytest.fixture
def window(qtbot: QtBot, till: Till, tasks: TaskManager) -> Iterator[MainWindow]:
    """The till's window, shown; in teardown closed and deleted on the GUI thread.

    Not left to ``qtbot.addWidget``: pytest-qt closes its widgets before any fixture's
    teardown, so results still on their way would reach a closed or deleted window.
    """
    window = MainWindow(till.services, tasks, till_identity(till))
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.login.staff.count() == 3)
    yield window
    qtbot.waitUntil(lambda: not tasks.busy)  # every handler has run, on live widgets
    window.close()  # closeEvent stops the timers and the status bar's refreshes
    delete_now(window)


@pytest.fixture
def checkout(qtbot: QtBot, window: MainWindow) -> CheckoutScreen:
    """The checkout screen with the demo cashier logged in."""
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
    return window.checkout


def log_in(qtbot: QtBot, window: MainWindow, name: str, pin: str) -> None:
    login = window.login
    rows = [login.staff.item(i).text() for i in range(login.staff.count())]
    login.staff.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith(name)))
    QTest.keyClicks(login.pin, pin)
    QTest.keyClick(login.pin, Qt.Key.Key_Return)


def type_enter(widget: QWidget, text: str) -> None:
    """What a keyboard-wedge scanner does: the characters, then Enter."""
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def press(
    widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, key, modifier)


def scan(qtbot: QtBot, screen: CheckoutScreen, payload: str) -> None:
    type_enter(screen.scan_bar.field, payload)


def wait_quote(qtbot: QtBot, screen: CheckoutScreen) -> None:
    """Until the totals on screen belong to the cart as it is now."""
    qtbot.waitUntil(lambda: screen.session.receipt is not None)


def pay_at_till(
    qtbot: QtBot, screen: CheckoutScreen, *, cash: str = "", card: str = ""
) -> CompletedSale:
    """Once the total on screen is the cart's (F12 on a total still being updated is
    refused, "press F12 again"), F12 opens the payment screen; type what the customer hands
    over (or nothing: the exact sum in cash) and the card's part; Enter confirms. Returns
    the sale once committed."""
    before = screen.session.last_sale
    wait_quote(qtbot, screen)
    press(screen.scan_bar.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.payment_dialog is not None and screen.payment_dialog.isVisible())
    dialog = screen.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    QTest.keyClicks(dialog.card, card)
    QTest.keyClicks(dialog.cash, cash)
    press(dialog.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.session.last_sale not in (None, before))
    qtbot.waitUntil(lambda: screen.payment_dialog is None)
    sale = screen.session.last_sale
    assert sale is not None
    return sale
