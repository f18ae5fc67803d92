"""A gift card as a tender on the payment screen: F7, the card's number and PIN; taken, what
is left to pay drops by what the card pays (and the banknotes follow); refused, the dialog
says why and the sale is as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from loyalty_core.money import Currency
from pos_client.bootstrap import Till
from pos_client.ui.checkout.gift_card_dialog import GiftCardDialog
from pos_client.ui.checkout.payment_dialog import PaymentDialog
from pos_client.ui.checkout.screen import CheckoutScreen
from resources.demo.dataset import DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN
from tests.integration.ui.conftest import press, scan, type_enter, wait_quote

RUB = Currency()
COFFEE = "4600000000091"  # 1 499,00


def _payment(qtbot: QtBot, checkout: CheckoutScreen, *codes: str) -> PaymentDialog:
    for code in codes:
        scan(qtbot, checkout, code)
    qtbot.waitUntil(lambda: len(checkout.session.cart) >= 1)
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: checkout.payment_dialog is not None)
    dialog = checkout.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _gift_card_dialog(qtbot: QtBot, payment: PaymentDialog) -> GiftCardDialog:
    press(payment.cash, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in payment.findChildren(GiftCardDialog)))
    dialog = payment.findChildren(GiftCardDialog)[0]
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_card_pays_part_and_the_rest_is_paid_in_cash_with_change(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    # Three packs of coffee: 4 497,00; the card holds 3 000,00, so 1 497,00 is left to pay.
    payment = _payment(qtbot, checkout, "3*" + COFFEE)
    assert payment.due == 449_700
    gift = _gift_card_dialog(qtbot, payment)
    type_enter(gift.number, DEMO_GIFT_CARD_NUMBER)
    type_enter(gift.pin, DEMO_GIFT_CARD_PIN)
    qtbot.waitUntil(lambda: payment.due == 149_700)
    assert payment.due_label.text() == RUB.format(149_700)
    assert payment.gift_cards.isVisible()
    assert RUB.format(300_000) in payment.gift_cards.text()
    assert [b.text() for b in payment.note_buttons] == [
        RUB.format(150_000),
        RUB.format(200_000),
        RUB.format(500_000),
    ]
    QTest.keyClicks(payment.cash, "1500")
    assert payment.change.text() == RUB.format(300)
    press(payment.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.session.last_sale is not None)
    sale = checkout.session.last_sale
    assert sale is not None
    assert [(c.amount, c.balance_after) for c in sale.receipt.gift_cards] == [(300_000, 0)]
    assert sale.payment.change == 300
    stored = till.services.find_sale(sale.number)
    assert stored.receipt.gift_cards == sale.receipt.gift_cards


def test_a_card_that_covers_the_check_leaves_nothing_to_pay(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    payment = _payment(qtbot, checkout, COFFEE)
    gift = _gift_card_dialog(qtbot, payment)
    type_enter(gift.number, DEMO_GIFT_CARD_NUMBER)
    type_enter(gift.pin, DEMO_GIFT_CARD_PIN)
    qtbot.waitUntil(lambda: payment.due == 0)
    assert payment.change.text() == RUB.format(0) and payment.confirm.isEnabled()
    press(payment.cash, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: checkout.session.last_sale is not None)
    sale = checkout.session.last_sale
    assert sale is not None and sale.payment.tenders == ()
    assert [c.balance_after for c in sale.receipt.gift_cards] == [150_100]


def test_a_wrong_pin_is_said_in_the_dialog_and_the_total_stays(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    payment = _payment(qtbot, checkout, COFFEE)
    gift = _gift_card_dialog(qtbot, payment)
    type_enter(gift.number, DEMO_GIFT_CARD_NUMBER)
    type_enter(gift.pin, "0000")
    qtbot.waitUntil(lambda: "Wrong PIN" in gift.problem.text())
    assert gift.isVisible() and gift.pin.text() == ""
    assert payment.due == 149_900 and not payment.gift_cards.isVisible()
    assert checkout.session.gift_cards == ()
    press(gift.pin, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not gift.isVisible())
    assert payment.isVisible() and payment.due == 149_900


def test_an_unknown_card_number_is_refused(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    payment = _payment(qtbot, checkout, COFFEE)
    gift = _gift_card_dialog(qtbot, payment)
    type_enter(gift.number, "7700000000009999")
    type_enter(gift.pin, "1234")
    qtbot.waitUntil(lambda: "************9999" in gift.problem.text())
    assert payment.due == 149_900


def test_a_scanned_gift_card_fills_the_number_and_the_pin_is_next(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    payment = _payment(qtbot, checkout, COFFEE)
    gift = _gift_card_dialog(qtbot, payment)
    checkout.take_scan(DEMO_GIFT_CARD_NUMBER)  # as the scanner hub delivers it
    assert gift.number.text() == DEMO_GIFT_CARD_NUMBER and gift.pin.hasFocus()
    assert len(checkout.session.cart) == 1  # not taken as a product or a customer card
    type_enter(gift.pin, DEMO_GIFT_CARD_PIN)
    qtbot.waitUntil(lambda: payment.due == 0)
