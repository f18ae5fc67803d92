"""Finding a customer as the cashier types: the start of a name or a phone's first or last
digits lists the matches at once; Up/Down choose, Enter identifies the one chosen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from loyalty_core.customers import Questionnaire
from pos_client.bootstrap import Till
from pos_client.services.messages import RegisterCustomer
from pos_client.ui.checkout.customer_matches import worth_searching
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import press


def _type(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest's key clicks take ASCII only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _register(till: Till, phone: str, name: str) -> str:
    staff = till.services.staff_list()[0]
    snapshot = till.services.register_customer(
        RegisterCustomer(phone, True, staff.id, questionnaire=Questionnaire(name=name))
    )
    return snapshot.customer.id


def _labels(checkout: CheckoutScreen) -> list[str]:
    matches = checkout.customer_panel.matches
    return [matches.item(i).text() for i in range(matches.count())]


def test_the_start_of_a_name_lists_the_matches_and_enter_takes_the_chosen_one(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    _register(till, "+7 999 000-11-22", "Евгения Тестова")
    second = _register(till, "+7 999 000-33-44", "Евгений Тестов")
    panel = checkout.customer_panel
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    _type(panel.field, "евген")  # any letter case

    qtbot.waitUntil(panel.matches.isVisible)
    assert sorted(_labels(checkout)) == [
        "Евгений Тестов · +7999***3344",
        "Евгения Тестова · +7999***1122",
    ]
    while panel.matches.chosen() is None or panel.matches.chosen().id != second:  # type: ignore[union-attr]
        press(panel.field, Qt.Key.Key_Down)
    press(panel.field, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    assert checkout.session.customer is not None and checkout.session.customer.customer.id == second
    assert not panel.matches.isVisible() and panel.field.text() == ""


def test_the_last_digits_of_a_phone_find_the_customer(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    customer = _register(till, "+7 999 000-56-78", "Пётр Цифров")
    panel = checkout.customer_panel
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    QTest.keyClicks(panel.field, "5678")
    qtbot.waitUntil(lambda: "Пётр Цифров · +7999***5678" in _labels(checkout))
    chosen = [c.id for c in panel.matches.customers]
    assert customer in chosen


def test_too_little_typed_lists_nothing_and_esc_closes_the_list(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    _register(till, "+7 999 000-11-22", "Евгения Тестова")
    panel = checkout.customer_panel
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    _type(panel.field, "Е")
    qtbot.wait(200)
    assert not panel.matches.isVisible()
    _type(panel.field, "вг")
    qtbot.waitUntil(panel.matches.isVisible)
    press(panel.field, Qt.Key.Key_Escape)  # leaves the field and clears it
    qtbot.waitUntil(lambda: not panel.matches.isVisible())


def test_what_is_worth_searching() -> None:
    assert not worth_searching("Е") and worth_searching("Ев")
    assert not worth_searching("12") and worth_searching("123")
    assert not worth_searching("0000000001224466")  # a card's 16 digits: Enter identifies it
