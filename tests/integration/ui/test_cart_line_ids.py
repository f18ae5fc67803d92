"""On the checkout screen a line keeps its id: deleting another line renumbers nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_client.bootstrap import Till
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import BEANS, KEFIR, MILK, pay_at_till, press, scan, wait_quote


def test_a_line_deleted_from_the_middle_leaves_the_others_ids_to_the_sale(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    for barcode in (MILK, KEFIR, BEANS):
        scan(qtbot, checkout, barcode)
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 3)
    milk, kefir, beans = (e.line_id for e in checkout.session.cart.entries)
    field = checkout.scan_bar.field
    press(field, Qt.Key.Key_Up)  # from the beans (last scanned) to the kefir
    press(field, Qt.Key.Key_Delete)
    assert [e.line_id for e in checkout.session.cart.entries] == [milk, beans]
    wait_quote(qtbot, checkout)
    receipt = checkout.session.receipt
    assert receipt is not None and [ln.line_id for ln in receipt.lines] == [milk, beans]
    assert checkout.table_model.rowCount() == 2

    pay_at_till(qtbot, checkout)
    sale = checkout.session.last_sale
    assert sale is not None
    stored = till.services.find_sale(sale.number)
    assert [line.line_id for line in stored.receipt.lines] == [milk, beans]
    assert kefir not in stored.unit_prices
