"""Typing a product's name in the scan field lists the matches; Up/Down choose, Enter adds
the chosen one as if its barcode had been scanned, and digits still go as a barcode."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_client.ui.checkout.scan_bar import worth_searching_products
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import pay_at_till, press


def _type(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest's key clicks take ASCII only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _shown(checkout: CheckoutScreen) -> list[str]:
    matches = checkout.scan_bar.matches
    return [matches.item(i).text() for i in range(matches.count())] if matches.isVisible() else []


def test_two_letters_of_a_name_search_and_a_barcode_or_a_quantity_do_not() -> None:
    assert worth_searching_products("ко") and worth_searching_products("Кофе мол")
    assert not worth_searching_products("к")
    assert not worth_searching_products("4600000000015")
    assert not worth_searching_products("3*")


def test_a_name_typed_lists_products_and_enter_adds_the_chosen_one(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    field = checkout.scan_bar.field
    _type(field, "кофе")
    qtbot.waitUntil(lambda: len(_shown(checkout)) == 2)
    assert _shown(checkout) == ["Кофе в зёрнах 1 кг · 1 499,00 ₽", "Кофе молотый 250 г · 459,00 ₽"]
    press(field, Qt.Key.Key_Down)
    press(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not checkout.session.cart.is_empty)
    assert [line.name for line in checkout.session.cart.items()] == ["Кофе молотый 250 г"]
    assert field.text() == "" and _shown(checkout) == []

    _type(field, "хлеб")
    qtbot.waitUntil(lambda: _shown(checkout) == ["Хлеб Бородинский 400 г · 54,90 ₽"])
    press(field, Qt.Key.Key_Escape)  # clears the field and the list
    assert field.text() == "" and _shown(checkout) == []
    assert len(checkout.session.cart) == 1


def test_a_name_that_matches_nothing_shows_no_list(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    field = checkout.scan_bar.field
    _type(field, "кофе")
    qtbot.waitUntil(lambda: len(_shown(checkout)) == 2)
    _type(field, "ззз")
    qtbot.waitUntil(lambda: _shown(checkout) == [])


def test_a_quick_button_adds_one_piece_and_the_best_seller_moves_first(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    quick = checkout.quick_items
    qtbot.waitUntil(lambda: len(quick.buttons) == 8)
    assert all(
        b.minimumHeight() >= 48 and b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in quick.buttons
    )
    last = quick.buttons[-1]  # nothing sold yet: the eighth product by name
    name = last.toolTip()
    assert quick.buttons[0].toolTip() != name
    QTest.mouseClick(last, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    QTest.mouseClick(last, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checkout.session.cart.entries[0].pieces == 2)
    entry = checkout.session.cart.entries[0]
    assert entry.name == name and checkout.session.formats.money(entry.unit_price) in last.text()
    assert checkout.scan_bar.field.hasFocus()  # the next scan still lands in the scan field
    pay_at_till(qtbot, checkout)
    qtbot.waitUntil(lambda: quick.buttons[0].toolTip() == name)  # sold: the first button now
