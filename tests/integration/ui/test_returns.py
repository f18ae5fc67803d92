"""A return as the cashier does it: from the receipt lookup (F6), choose lines and how many,
see the refund, how it goes back and the bonus effect before confirming (F12); a large
refund asks for the manager's PIN first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale, ReturnRequest
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.returns_dialog import ReturnsDialog, parse_quantity, quantity_text
from tests.integration.ui.conftest import press, type_enter

RUB = Currency()
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=3_000)
BEANS = CartItem("4600000000091", "Кофе в зёрнах", unit_price=149_900)
MANAGER_PIN = "9999"


def _sell(till: Till, *items: CartItem, **payment: int) -> CompletedSale:
    staff = till.services.staff_list()[0]
    return till.services.checkout(CheckoutRequest(items, staff.id, **payment))


def _window(checkout: CheckoutScreen) -> MainWindow:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    return window


def _open_from_lookup(qtbot: QtBot, checkout: CheckoutScreen, down: int = 0) -> ReturnsDialog:
    """F7, then Down ``down`` times to the sale (the newest receipt is chosen), then F6."""
    window = _window(checkout)
    qtbot.waitUntil(window.isActiveWindow)  # F7 is the window's key
    press(checkout.scan_bar.field, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.receipts is not None and window.receipts.isVisible())
    lookup = window.receipts
    assert lookup is not None
    qtbot.waitUntil(lambda: len(lookup.receipts) >= 1)
    qtbot.waitUntil(lookup.isActiveWindow)
    for _ in range(down):
        press(lookup.search, Qt.Key.Key_Down)
    press(lookup.search, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.returns is not None and window.receipts is None)
    dialog = window.returns
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.sale is not None and dialog.isActiveWindow())
    return dialog


def _cells(dialog: ReturnsDialog, row: int) -> list[str]:
    return [dialog.table.item(row, col).text() for col in range(dialog.table.columnCount())]


def test_quantities_are_typed_in_units_with_up_to_three_decimals() -> None:
    assert [parse_quantity(t) for t in ("2", "0,35", "1.5", " 3 ", "0,350")] == [
        2_000,
        350,
        1_500,
        3_000,
        350,
    ]
    assert [parse_quantity(t) for t in ("", "-1", "1,2345", "два", "1e3")] == [None] * 5
    assert [quantity_text(m) for m in (2_000, 350, 1_500, 1)] == ["2", "0,35", "1,5", "0,001"]


def test_two_of_three_milks_back_from_a_split_sale_go_to_the_card_and_are_recorded(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    # 3 milks (269,70) and beans (1 499,00): 1 768,70, of which 1 000,00 by card.
    sale = _sell(till, MILK, BEANS, card_amount=100_000)
    dialog = _open_from_lookup(qtbot, checkout)
    assert dialog.title.text().startswith(f"Return from receipt No. {sale.number} of ")
    assert _cells(dialog, 0)[:2] == ["Молоко 3,2% 1 л", "3"]

    type_enter(dialog.quantity, "2")  # the first line is chosen
    qtbot.waitUntil(lambda: dialog.quote is not None)
    assert _cells(dialog, 0)[3:] == ["2", RUB.format(17_980)]
    assert dialog.refund.text() == f"Refund: {RUB.format(17_980)}"
    assert dialog.tenders.text() == f"to the bank card {RUB.format(17_980)}"
    assert dialog.confirm.isEnabled()

    press(dialog.quantity, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: dialog.completed is not None)
    done = dialog.completed
    assert done is not None and done.refund == 17_980
    assert dialog.message.kind is Kind.SUCCESS
    assert dialog.message.text() == f"Return No. {done.number} done."
    assert till.services.returned_quantities(sale.sale_id) == {MILK.line_id: 2_000}
    press(dialog.quantity, Qt.Key.Key_F12)  # done: F12 closes
    qtbot.waitUntil(lambda: _window(checkout).returns is None)


def test_more_than_is_left_is_refused_and_f4_takes_everything_left(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    sale = _sell(till, MILK, BEANS)  # all in cash
    staff = till.services.staff_list()[0]
    till.services.return_items(ReturnRequest(sale.number, {MILK.line_id: 1_000}, staff.id))
    window = _window(checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.receipts is not None and len(window.receipts.receipts) == 2)
    lookup = window.receipts
    assert lookup is not None
    qtbot.waitUntil(lookup.isActiveWindow)
    press(lookup.search, Qt.Key.Key_F6)  # the newest is the return: not something to return
    assert lookup.message.text() == "Choose the sale to return from, not a return."
    assert window.returns is None
    lookup.reject()
    qtbot.waitUntil(lambda: window.receipts is None)
    dialog = _open_from_lookup(qtbot, checkout, down=1)
    qtbot.waitUntil(lambda: _cells(dialog, 0)[2] == "1")  # one returned before

    type_enter(dialog.quantity, "3")
    assert dialog.message.kind is Kind.WARNING
    assert dialog.message.text() == "Only 2 of this line is left to return."
    assert dialog.asked == {}

    press(dialog.quantity, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: dialog.quote is not None)
    assert dialog.asked == {MILK.line_id: 2_000, BEANS.line_id: 1_000}
    total = 2 * 8_990 + 149_900
    assert dialog.refund.text() == f"Refund: {RUB.format(total)}"
    assert dialog.tenders.text() == f"in cash {RUB.format(total)}"
    dialog.reject()


def test_a_refund_above_the_limit_asks_the_managers_pin_and_a_wrong_one_changes_nothing(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    # The default limit is 5 000,00: four bags of beans (5 996,00) are above it.
    sale = _sell(till, CartItem(BEANS.sku, BEANS.name, 149_900, quantity_milli=4_000))
    dialog = _open_from_lookup(qtbot, checkout)
    press(dialog.quantity, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: dialog.quote is not None)
    assert dialog.quote is not None and dialog.quote.needs_manager
    assert "a manager's PIN is needed" in dialog.bonus.text()

    press(dialog.quantity, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: dialog.approval is not None and dialog.approval.isActiveWindow())
    approval = dialog.approval
    assert approval is not None
    qtbot.waitUntil(lambda: approval.manager.count() == 1)
    manager = next(s for s in till.services.staff_list() if s.role is Role.MANAGER)
    assert approval.manager.currentData() == manager.id
    type_enter(approval.pin, MANAGER_PIN)  # no reason given: refused before the PIN is tried
    assert approval.problem.text() == "Say why: the audit log keeps the reason."
    assert approval.reason.hasFocus()
    type_enter(approval.reason, "damaged box, checked")
    assert approval.pin.hasFocus()
    approval.pin.clear()
    approval.problem.clear()
    type_enter(approval.pin, "0000")
    qtbot.waitUntil(lambda: approval.problem.text() != "")  # the wrong PIN, named
    assert "PIN" in approval.problem.text() and approval.pin.text() == ""
    assert till.services.returned_quantities(sale.sale_id) == {}

    QTest.keyClicks(approval.pin, MANAGER_PIN)
    press(approval.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.completed is not None)
    assert dialog.approval is None or not dialog.approval.isVisible()
    done = dialog.completed
    assert done is not None and done.refund == 599_600
    assert dialog.message.text() == (
        f"Return No. {done.number} done: give back {RUB.format(599_600)} in cash."
    )
    with till.services.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(done.return_id)
        (override,) = uow.outbox.of_kind("override.recorded")
    assert event.payload["approved_by"] == manager.id
    assert (override.payload["manager_id"], override.payload["reason"]) == (
        manager.id,
        "damaged box, checked",
    )
    dialog.reject()
