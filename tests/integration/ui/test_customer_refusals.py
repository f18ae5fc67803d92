"""A phone or card that finds nobody is told right under the customer field, not on the
message line at the other end of the screen; it goes when the cashier types again or a
customer is found."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from loyalty_core.cards import damm_digit, mask_card
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.message_bar import Kind
from tests.integration.ui.conftest import MILK, press, scan, type_enter, wait_quote

NOBODY_PHONE = "+7 912 000-11-22"  # valid, but no demo customer has it


def _on_screen(widget: QWidget) -> QRect:
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def _forged_card() -> str:
    """16 digits with a right check digit but a signature this program never made."""
    signed = "1234567890" + "00000"
    return signed + str(damm_digit(signed))


def _laid_out_under_the_field(checkout: CheckoutScreen) -> None:
    panel = checkout.customer_panel
    field, problem = _on_screen(panel.field), _on_screen(panel.problem)
    assert 0 <= problem.top() - field.bottom() <= 16  # just under the field, nothing between
    assert problem.left() < field.right() and field.left() < problem.right()


def _problem_shown(checkout: CheckoutScreen) -> bool:
    return checkout.customer_panel.problem.isVisible()


def assert_told_under_the_customer_field(qtbot: QtBot, checkout: CheckoutScreen, text: str) -> None:
    qtbot.waitUntil(lambda: _laid_out_under_the_field(checkout))
    panel = checkout.customer_panel
    assert panel.problem.isVisible()
    assert panel.problem.text() == text
    assert panel.field.property("problem") is True  # the field's border is red meanwhile
    assert checkout.message.text() == ""  # not also at the other end of the screen


def test_a_bad_phone_is_told_under_the_customer_field(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_F2)

    type_enter(checkout.customer_panel.field, "8 (912) 34")

    qtbot.waitUntil(lambda: _problem_shown(checkout))
    assert_told_under_the_customer_field(
        qtbot, checkout, "'8 (912) 34' is not a valid phone number."
    )
    assert checkout.session.customer is None
    assert len(checkout.session.cart) == 1 and checkout.session.receipt is not None


def test_typing_in_the_customer_field_again_clears_the_problem(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, "8 (912) 34")
    qtbot.waitUntil(lambda: _problem_shown(checkout))

    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    QTest.keyClicks(checkout.customer_panel.field, "8")

    assert not checkout.customer_panel.problem.isVisible()
    assert checkout.customer_panel.field.property("problem") is False


def test_a_forged_card_scanned_is_told_under_the_customer_field(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, _forged_card())

    qtbot.waitUntil(lambda: _problem_shown(checkout))
    assert_told_under_the_customer_field(
        qtbot, checkout, f"Card {mask_card(_forged_card())} was not issued by this loyalty program."
    )
    assert checkout.scan_bar.field.hasFocus()  # the next scan still lands in the scan field


def test_an_unknown_card_then_a_found_customer_clears_the_problem(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    codec = till.services.ctx.card_codec
    unknown = codec.number_for("9999999999")  # signed by the program, never registered

    scan(qtbot, checkout, unknown)
    qtbot.waitUntil(lambda: _problem_shown(checkout))
    assert_told_under_the_customer_field(
        qtbot, checkout, f"Card {mask_card(unknown)} is not registered."
    )

    scan(qtbot, checkout, demo_card(codec, 0))

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    assert not checkout.customer_panel.problem.isVisible()


def test_nobody_with_that_phone_offers_f3_under_the_field(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, NOBODY_PHONE)

    qtbot.waitUntil(lambda: _problem_shown(checkout))
    assert_told_under_the_customer_field(
        qtbot, checkout, "No customer with phone +7912***1122. F3 registers a new customer."
    )

    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, demo_phone(3))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    assert not checkout.customer_panel.problem.isVisible()


def test_other_refusals_stay_on_the_message_line(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    scan(qtbot, checkout, "4600000009999")

    qtbot.waitUntil(lambda: checkout.message.kind is Kind.ERROR)
    assert checkout.message.text() == "No product with barcode 4600000009999."
    assert not checkout.customer_panel.problem.isVisible()


def test_a_new_sale_starts_without_the_last_ones_problem(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, NOBODY_PHONE)
    qtbot.waitUntil(lambda: _problem_shown(checkout))

    press(checkout.scan_bar.field, Qt.Key.Key_Escape)  # the empty sale is cancelled at once

    assert not checkout.customer_panel.problem.isVisible()
