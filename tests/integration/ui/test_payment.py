"""Taking the money at the till: F12, what the customer hands over, the change shown big, the
bank card, a split, banknote buttons; a payment that does not cover the check is held back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from loyalty_core.payment import Tender, TenderKind
from pos_client.bootstrap import Till
from pos_client.ui.checkout.payment_dialog import PaymentDialog, quick_cash
from pos_client.ui.checkout.screen import CheckoutScreen
from tests.integration.ui.conftest import MILK, MILK_PRICE, pay_at_till, press, scan, wait_quote

RUB = Currency()
CASH, CARD = TenderKind.CASH, TenderKind.CARD


def _open_payment(qtbot: QtBot, checkout: CheckoutScreen) -> PaymentDialog:
    scan(qtbot, checkout, MILK)  # 89,90
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: checkout.payment_dialog is not None)
    dialog = checkout.payment_dialog
    assert dialog is not None and dialog.isVisible() and dialog.due == MILK_PRICE
    qtbot.waitUntil(dialog.isActiveWindow)  # the keys go to it, not to the sale behind
    assert QApplication.focusWidget() is dialog.cash
    return dialog


def _stored_tenders(till: Till, number: int) -> tuple[Tender, ...]:
    stored = till.services.find_sale(number)
    assert stored.payment is not None
    return stored.payment.tenders


def test_cash_handed_over_shows_the_change_as_it_is_typed_and_after_the_sale(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    dialog = _open_payment(qtbot, checkout)
    QTest.keyClicks(dialog.cash, "100")
    assert dialog.change.text() == RUB.format(1_010)  # 100,00 - 89,90
    press(dialog.cash, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: checkout.session.last_sale is not None)
    sale = checkout.session.last_sale
    assert sale is not None and sale.payment.change == 1_010
    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
    assert checkout.summary.change.text() == "Change: " + RUB.format(1_010)
    assert checkout.summary.change.isVisible()
    assert _stored_tenders(till, sale.number) == (Tender(CASH, MILK_PRICE, 10_000),)


def test_f12_twice_takes_the_exact_sum_in_cash(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    dialog = _open_payment(qtbot, checkout)
    assert dialog.change.text() == RUB.format(0)
    press(dialog.cash, Qt.Key.Key_F12)

    qtbot.waitUntil(lambda: checkout.session.last_sale is not None)
    sale = checkout.session.last_sale
    assert sale is not None
    assert _stored_tenders(till, sale.number) == (Tender(CASH, MILK_PRICE, MILK_PRICE),)
    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
    assert not checkout.summary.change.isVisible()  # no change to hand back


def test_too_little_cash_says_how_much_is_missing_and_sells_nothing(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    dialog = _open_payment(qtbot, checkout)
    QTest.keyClicks(dialog.cash, "50")
    assert not dialog.confirm.isEnabled()
    assert dialog.problem.text() == (
        f"{RUB.format(3_990)} more is needed: {RUB.format(MILK_PRICE)} is due in cash, "
        f"{RUB.format(5_000)} was given."
    )
    press(dialog.cash, Qt.Key.Key_Return)
    press(dialog.cash, Qt.Key.Key_F12)
    assert dialog.isVisible() and not checkout.session.paying
    press(dialog.cash, Qt.Key.Key_Escape)  # back to the sale, the cart as it was

    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
    assert checkout.session.last_sale is None and len(checkout.session.cart) == 1


def test_f5_puts_it_all_on_the_bank_card(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    dialog = _open_payment(qtbot, checkout)
    QTest.keyClicks(dialog.cash, "500")
    press(dialog.cash, Qt.Key.Key_F5)
    assert dialog.cash.text() == "" and dialog.card.text() == "89,90"
    press(dialog.card, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: checkout.session.last_sale is not None)
    sale = checkout.session.last_sale
    assert sale is not None
    assert _stored_tenders(till, sale.number) == (Tender(CARD, MILK_PRICE, MILK_PRICE),)
    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
    assert checkout.summary.details.text().startswith("Paid: card " + RUB.format(MILK_PRICE))


def test_a_split_pays_part_by_card_and_takes_change_on_the_cash_part(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    # 50,00 by card, 39,90 due in cash, 50,00 handed over: change 10,10.
    sale = pay_at_till(qtbot, checkout, card="50", cash="50")
    assert sale.payment.change == 1_010
    assert _stored_tenders(till, sale.number) == (
        Tender(CARD, 5_000, 5_000),
        Tender(CASH, 3_990, 5_000),
    )


def test_a_banknote_button_fills_what_was_handed_over(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    dialog = _open_payment(qtbot, checkout)
    assert [b.text() for b in dialog.note_buttons] == [
        RUB.format(10_000),
        RUB.format(50_000),
        RUB.format(100_000),
    ]
    dialog.note_buttons[1].click()
    assert dialog.change.text() == RUB.format(41_010)  # 500,00 - 89,90


def test_banknotes_offered_are_the_round_sums_just_above_the_check() -> None:
    assert quick_cash(8_990) == [10_000, 50_000, 100_000]
    assert quick_cash(10_000) == [50_000, 100_000, 200_000]  # 100,00 exactly: no 100 button
    assert quick_cash(123_450) == [130_000, 150_000, 200_000]
    assert quick_cash(0) == []


def test_a_scan_while_paying_does_not_change_the_cart(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    dialog = _open_payment(qtbot, checkout)
    checkout.take_scan(MILK)
    assert (
        len(checkout.session.cart) == 1 and checkout.session.cart.items()[0].quantity_milli == 1000
    )
    dialog.reject()
    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
