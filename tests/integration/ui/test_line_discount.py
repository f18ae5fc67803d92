"""A manual discount on a line at the till: Ctrl+D, "10%" or an amount, then a manager's
PIN with the reason; the line and the total drop, and the sale's audit log keeps who allowed
it. A wrong PIN or no manager leaves the line as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.ui.checkout.line_discount_dialog import LineDiscountDialog
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.manager_pin import ManagerPinDialog
from tests.integration.ui.conftest import pay_at_till, press, scan, type_enter, wait_quote

RUB = Currency()
COFFEE = "4600000000091"  # 1 499,00
MANAGER_PIN = "9999"


def _visible(qtbot: QtBot, kind: type) -> object:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    dialog = QApplication.activeModalWidget()
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _ask_ten_percent(qtbot: QtBot, checkout: CheckoutScreen) -> ManagerPinDialog:
    scan(qtbot, checkout, COFFEE)
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    discount = _visible(qtbot, LineDiscountDialog)
    assert isinstance(discount, LineDiscountDialog)
    type_enter(discount.field, "10%")
    approval = _visible(qtbot, ManagerPinDialog)
    assert isinstance(approval, ManagerPinDialog)
    qtbot.waitUntil(lambda: approval.manager.count() == 1)
    return approval


def test_ten_percent_off_with_the_managers_pin_lowers_the_total_and_is_logged(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    approval = _ask_ten_percent(qtbot, checkout)
    why = approval.findChild(QLabel, "approvalReason")
    assert why is not None and "149,90" in why.text()
    type_enter(approval.reason, "dented pack")
    type_enter(approval.pin, MANAGER_PIN)
    # 1 499,00 less 149,90: 1 349,10 to pay (an anonymous sale: no tier discount on top).
    qtbot.waitUntil(
        lambda: checkout.session.receipt is not None and checkout.session.receipt.to_pay == 134_910
    )
    assert checkout.table_model.index(0, 4).data() == "−" + RUB.format(14_990)
    window = checkout.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sale = pay_at_till(qtbot, checkout)
    manager = next(s for s in till.services.staff_list() if s.role is Role.MANAGER)
    with till.services.uows.reading() as uow:
        (override,) = uow.outbox.of_kind("override.recorded")
    assert (override.payload["manager_id"], override.payload["amount"]) == (manager.id, 14_990)
    assert override.payload["subject_id"] == sale.sale_id
    assert override.payload["reason"].endswith("dented pack")


def test_a_wrong_manager_pin_leaves_the_line_at_its_price(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    approval = _ask_ten_percent(qtbot, checkout)
    type_enter(approval.reason, "dented pack")
    type_enter(approval.pin, "0000")
    qtbot.waitUntil(lambda: "PIN" in approval.problem.text())
    press(approval.pin, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not approval.isVisible())
    assert checkout.session.cart.entries[0].discount == 0
    wait_quote(qtbot, checkout)
    assert checkout.session.receipt is not None and checkout.session.receipt.to_pay == 149_900


def test_a_discount_above_the_lines_price_is_not_offered(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, COFFEE)
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    discount = _visible(qtbot, LineDiscountDialog)
    assert isinstance(discount, LineDiscountDialog)
    type_enter(discount.field, "1500")
    assert discount.isVisible()
    assert RUB.format(149_900) in discount.result_label.text()
    press(discount.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not discount.isVisible())
    assert not isinstance(QApplication.activeModalWidget(), ManagerPinDialog)


def test_an_empty_cart_has_no_line_to_discount(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "Scan a product first" in checkout.message.text()
