"""The receipt lookup (F7) as a cashier uses it: the newest receipts with how each was paid and
whether the server has it, a search by number, the paper of the chosen one (F8), and a search
that finds nothing or cannot be read saying so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.receipts_dialog import ReceiptsDialog
from tests.integration.ui.conftest import press

RUB = Currency()
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990)
BEANS = CartItem("4600000000091", "Кофе в зёрнах", unit_price=149_900)


def _sell(till: Till, item: CartItem, **payment: int) -> CompletedSale:
    staff = till.services.staff_list()[0]
    return till.services.checkout(CheckoutRequest((item,), staff.id, **payment))


def _open(qtbot: QtBot, checkout: CheckoutScreen) -> ReceiptsDialog:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    press(checkout.scan_bar.field, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: window.receipts is not None and window.receipts.isVisible())
    dialog = window.receipts
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _row(dialog: ReceiptsDialog, row: int) -> list[str]:
    return [dialog.table.item(row, col).text() for col in range(dialog.table.columnCount())]


def test_f7_lists_the_newest_first_with_payment_cashier_and_server_state(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    first = _sell(till, MILK, cash_tendered=10_000)
    second = _sell(till, BEANS, card_amount=149_900)
    dialog = _open(qtbot, checkout)
    qtbot.waitUntil(lambda: len(dialog.receipts) == 2)

    number, _time, kind, total, paid, cashier, server = _row(dialog, 0)
    assert (number, kind, total, paid) == (
        str(second.number),
        "sale",
        RUB.format(149_900),
        "bank card",
    )
    assert cashier == till.services.staff_list()[0].name and server == "waiting"
    assert _row(dialog, 1)[0] == str(first.number) and _row(dialog, 1)[4] == "cash"
    assert dialog.selected() == dialog.receipts[0]  # the newest is chosen
    press(dialog.search, Qt.Key.Key_Escape)
    window = checkout.window()
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.receipts is None)


def test_a_number_finds_its_receipt_and_f8_shows_its_paper(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    first = _sell(till, MILK, cash_tendered=10_000)
    _sell(till, BEANS)
    dialog = _open(qtbot, checkout)
    qtbot.waitUntil(lambda: len(dialog.receipts) == 2)
    QTest.keyClicks(dialog.search, str(first.number))
    press(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [r.number for r in dialog.receipts] == [first.number])

    press(dialog.search, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.isVisible())
    assert dialog.preview is not None
    text = dialog.preview.text.toPlainText()
    assert f"№ {first.number}" in text and "Молоко" in text and "COPY" not in text
    assert "Cash" in text and "Change" in text and RUB.format(1_010) in text
    dialog.preview.reject()
    qtbot.waitUntil(lambda: dialog.preview is None)
    dialog.reject()


def test_up_and_down_choose_the_receipt_to_show(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    sales = [_sell(till, MILK) for _ in range(3)]
    dialog = _open(qtbot, checkout)
    qtbot.waitUntil(lambda: len(dialog.receipts) == 3)
    press(dialog.search, Qt.Key.Key_Down)
    press(dialog.search, Qt.Key.Key_Down)
    press(dialog.search, Qt.Key.Key_Down)  # stays on the last line
    chosen = dialog.selected()
    assert chosen is not None and chosen.number == sales[0].number
    press(dialog.search, Qt.Key.Key_Up)
    chosen = dialog.selected()
    assert chosen is not None and chosen.number == sales[1].number
    assert not dialog.reprint_button.isVisible()  # no printer at this till
    dialog.reject()


def test_a_search_that_finds_nothing_or_is_not_a_day_says_so(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    _sell(till, MILK)
    dialog = _open(qtbot, checkout)
    qtbot.waitUntil(lambda: len(dialog.receipts) == 1)
    QTest.keyClicks(dialog.search, "999")
    press(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.text() == "No receipt matches 999.")
    assert dialog.receipts == [] and dialog.table.rowCount() == 0
    dialog.search.clear()
    QTest.keyClicks(dialog.search, "31.02.2026")
    press(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.kind is Kind.ERROR)
    assert dialog.message.text() == "31.02.2026 is not a day: type it as dd.mm.yyyy."
    dialog.reject()


def test_a_receipt_with_a_loyalty_card_shows_its_last_four_digits_not_a_row_of_stars(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    staff = till.services.staff_list()[0]
    customer = till.services.identify(demo_card(till.services.ctx.card_codec, 0))
    card = customer.card_number
    assert card is not None
    till.services.checkout(
        CheckoutRequest(
            (MILK,),
            staff.id,
            customer_id=customer.customer.id,
            card_number=card,
            cash_tendered=10_000,
        )
    )
    dialog = _open(qtbot, checkout)
    qtbot.waitUntil(lambda: len(dialog.receipts) == 1)
    paid = _row(dialog, 0)[4]
    assert paid == f"cash · •••• {card[-4:]}"
    assert "*" not in paid
    press(dialog.search, Qt.Key.Key_Escape)
