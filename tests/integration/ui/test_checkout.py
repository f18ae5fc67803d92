"""Ringing up a sale: scans, quantities, free prices, totals, stale quotes, Esc."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.receipt import PricedReceipt
from pos_client.tasks import Lane, Op, TaskManager
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.message_bar import Kind
from tests.integration.ui.conftest import (
    BEANS,
    KEFIR,
    KEFIR_PRICE,
    MILK,
    MILK_PRICE,
    press,
    scan,
    type_enter,
    wait_quote,
)

RUB = Currency()


def test_scanned_products_appear_with_their_totals(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    scan(qtbot, checkout, MILK)
    scan(qtbot, checkout, KEFIR)

    qtbot.waitUntil(lambda: len(checkout.session.cart) == 2)
    wait_quote(qtbot, checkout)
    model = checkout.table_model
    assert model.index(0, 0).data() == "Молоко 3,2% 1 л"
    assert model.index(1, 3).data() == RUB.format(KEFIR_PRICE)
    assert checkout.totals.subtotal.text() == RUB.format(MILK_PRICE + KEFIR_PRICE)
    assert checkout.totals.to_pay.text() == "164,80 ₽"
    assert checkout.totals.note_lines[0].startswith("No card on this check: ask for")
    assert checkout.totals.pay_button.isEnabled()
    assert checkout.scan_bar.field.hasFocus()


def test_scanning_the_same_barcode_again_adds_a_piece(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    for _ in range(3):
        scan(qtbot, checkout, MILK)

    qtbot.waitUntil(
        lambda: bool(checkout.session.cart.entries) and checkout.session.cart.entries[0].pieces == 3
    )
    wait_quote(qtbot, checkout)
    assert len(checkout.session.cart) == 1
    assert checkout.table_model.index(0, 1).data() == "3"
    assert checkout.totals.to_pay.text() == RUB.format(3 * MILK_PRICE)


def test_an_unknown_barcode_is_refused_and_changes_nothing(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)

    scan(qtbot, checkout, "4600000009999")

    qtbot.waitUntil(lambda: checkout.message.kind is Kind.ERROR)
    assert checkout.message.text() == "No product with barcode 4600000009999."
    assert len(checkout.session.cart) == 1
    assert checkout.scan_bar.field.hasFocus()


def test_plus_minus_and_delete_work_on_the_selected_line(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, MILK)
    scan(qtbot, checkout, KEFIR)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 2)
    field = checkout.scan_bar.field

    press(field, Qt.Key.Key_Up)  # from kefir (last scanned) to milk
    press(field, Qt.Key.Key_Plus)
    press(field, Qt.Key.Key_Plus)
    assert [e.pieces for e in checkout.session.cart.entries] == [3, 1]
    press(field, Qt.Key.Key_Minus)
    assert [e.pieces for e in checkout.session.cart.entries] == [2, 1]

    press(field, Qt.Key.Key_Down)
    press(field, Qt.Key.Key_Minus)  # one piece stays: Delete removes a line
    assert checkout.session.cart.entries[1].pieces == 1
    press(field, Qt.Key.Key_Delete)
    assert [e.name for e in checkout.session.cart.entries] == ["Молоко 3,2% 1 л"]
    wait_quote(qtbot, checkout)
    assert checkout.totals.to_pay.text() == RUB.format(2 * MILK_PRICE)


def test_a_free_price_line_is_typed_after_ctrl_m(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert checkout.free_price.field.hasFocus()

    type_enter(checkout.free_price.field, "1 250,5")

    wait_quote(qtbot, checkout)
    assert checkout.session.cart.entries[0].unit_price == 125050
    assert checkout.session.cart.entries[0].name == "Free-price item"
    assert checkout.totals.to_pay.text() == "1 250,50 ₽"
    assert checkout.scan_bar.field.hasFocus()


def test_a_bad_free_price_is_refused(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    type_enter(checkout.free_price.field, "12.345")

    assert checkout.message.text() == "'12.345' is not an amount of money."
    assert checkout.session.cart.is_empty
    type_enter(checkout.free_price.field, "\b" * 6 + "0")
    assert checkout.message.text() == "Type an amount above zero."
    assert checkout.session.cart.is_empty


def test_a_quote_for_an_older_cart_is_ignored(
    qtbot: QtBot, checkout: CheckoutScreen, tasks: TaskManager
) -> None:
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    wait_quote(qtbot, checkout)
    shown: list[PricedReceipt] = []
    checkout.session.quote_shown.connect(shown.append)
    gate = threading.Event()
    tasks.submit(Lane.DB, lambda: gate.wait(10), lambda _ok: None, lambda _exc: None)

    press(checkout.scan_bar.field, Qt.Key.Key_Plus)  # quote for 2 pieces waits behind the gate
    press(checkout.scan_bar.field, Qt.Key.Key_Plus)  # the cart is at 3 before that quote runs
    assert not checkout.totals.pay_button.isEnabled()
    press(checkout.scan_bar.field, Qt.Key.Key_F12)  # no paying on totals that are not current
    gate.set()

    qtbot.waitUntil(lambda: checkout.session.receipt is not None)
    assert [r.subtotal for r in shown] == [3 * MILK_PRICE]
    assert checkout.totals.to_pay.text() == RUB.format(3 * MILK_PRICE)
    assert checkout.session.last_sale is None


def test_esc_cancels_a_sale_only_when_pressed_twice(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    scan(qtbot, checkout, BEANS)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    field = checkout.scan_bar.field

    press(field, Qt.Key.Key_Escape)
    assert checkout.message.kind is Kind.WARNING
    assert len(checkout.session.cart) == 1
    press(field, Qt.Key.Key_Escape)

    assert checkout.session.cart.is_empty
    assert checkout.totals.to_pay.text() == "—"
    assert checkout.message.text() == "Sale cancelled."


def test_esc_first_clears_what_is_typed(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    field = checkout.scan_bar.field

    QTest.keyClicks(field, "46000")
    press(field, Qt.Key.Key_Escape)

    assert field.text() == ""
    assert len(checkout.session.cart) == 1
    assert checkout.message.kind is None


def test_pay_on_an_empty_cart_says_so(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F12)

    assert checkout.message.text() == "The cart is empty: scan a product first."
    assert checkout.session.last_sale is None


def test_a_scan_still_in_flight_when_the_sale_is_cancelled_stays_out_of_the_next_sale(
    qtbot: QtBot, checkout: CheckoutScreen, tasks: TaskManager
) -> None:
    gate = threading.Event()
    tasks.submit(Lane.DB, lambda: gate.wait(10), lambda _ok: None, lambda _exc: None)
    scan(qtbot, checkout, MILK)  # its lookup waits behind the gate
    scan(qtbot, checkout, "4600000009999")  # and so does this unknown one
    press(checkout.scan_bar.field, Qt.Key.Key_Escape)  # empty cart: cancelled at once
    delivered: list[bool] = []
    Op(tasks, lambda: True).success(delivered.append).run()  # runs after both lookups

    gate.set()

    qtbot.waitUntil(lambda: delivered == [True])
    assert checkout.session.cart.is_empty
    assert checkout.message.kind is None


def test_a_quantity_typed_before_the_barcode_or_alone_sets_the_pieces(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    field = checkout.scan_bar.field
    type_enter(field, f"3*{MILK}")  # three of them at once
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 1)
    assert checkout.session.cart.entries[0].pieces == 3
    type_enter(field, f"2*{MILK}")  # the same product again: two more on its line
    qtbot.waitUntil(lambda: checkout.session.cart.entries[0].pieces == 5)
    type_enter(field, f"{KEFIR}")
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 2)
    press(field, Qt.Key.Key_Up)  # back to the milk
    type_enter(field, "12x")  # the selected line gets twelve
    assert [e.pieces for e in checkout.session.cart.entries] == [12, 1]
    wait_quote(qtbot, checkout)
    assert checkout.totals.subtotal.text() == RUB.format(12 * MILK_PRICE + KEFIR_PRICE)
    type_enter(field, "0*")
    assert checkout.message.kind is Kind.ERROR
    assert checkout.message.text() == "A line holds 1 to 9999 pieces."
    assert [e.pieces for e in checkout.session.cart.entries] == [12, 1]
