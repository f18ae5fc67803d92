"""Identify customers by card and phone, spend bonus, pay; register with consent."""

from __future__ import annotations

import threading
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from loyalty_core.customers import Questionnaire
from loyalty_core.money import Currency
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.services.messages import RegisterCustomer
from pos_client.tasks import Lane, TaskManager
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from tests.integration.ui.conftest import (
    BEANS,
    KEFIR,
    MILK,
    pay_at_till,
    press,
    scan,
    type_enter,
    wait_quote,
)

RUB = Currency()
NEW_PHONE = "+7 912 000-11-22"  # no demo customer has it


def as_typed_in_russia(e164: str) -> str:
    """``+79123456789`` -> ``8 (912) 345-67-89``."""
    d = e164[2:]
    return f"8 ({d[:3]}) {d[3:6]}-{d[6:8]}-{d[8:]}"


def test_a_scanned_card_identifies_the_customer_and_shows_the_balance(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    expected = till.services.identify(demo_card(till.services.ctx.card_codec, 0))

    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, 0))

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    panel = checkout.customer_panel
    assert expected.balance.available > 0
    assert (
        panel.available.text() == f"Bonus: {RUB.format(expected.balance.available, symbol=False)}"
    )
    assert panel.tier.text() == expected.tier_name
    assert panel.name.text() == (expected.customer.name or "Name not given")
    assert "***" in panel.contact.text()  # the phone is masked on screen
    assert checkout.scan_bar.field.hasFocus()


def test_a_phone_typed_the_russian_way_identifies_the_customer(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    assert checkout.customer_panel.field.hasFocus()

    type_enter(checkout.customer_panel.field, as_typed_in_russia(demo_phone(3)))

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    customer = checkout.session.customer
    assert customer is not None and customer.customer.phone == demo_phone(3)
    assert checkout.customer_panel.field.text() == ""
    assert checkout.scan_bar.field.hasFocus()


def test_a_bad_phone_number_shows_a_clear_message_and_changes_nothing(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)
    press(checkout.scan_bar.field, Qt.Key.Key_F2)

    type_enter(checkout.customer_panel.field, "8 (912) 34")

    qtbot.waitUntil(checkout.customer_panel.problem.isVisible)  # under the customer field
    assert checkout.customer_panel.problem.text() == "'8 (912) 34' is not a valid phone number."
    assert checkout.session.customer is None
    assert len(checkout.session.cart) == 1
    assert checkout.session.receipt is not None  # the totals were not disturbed


def test_an_unknown_phone_suggests_registering(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, NEW_PHONE)

    qtbot.waitUntil(checkout.customer_panel.problem.isVisible)
    assert (
        checkout.customer_panel.problem.text()
        == "No customer with phone +7912***1122. F3 registers a new customer."
    )


def test_spend_max_bonus_and_pay(
    qtbot: QtBot, window: MainWindow, checkout: CheckoutScreen, till: Till
) -> None:
    card = demo_card(till.services.ctx.card_codec, 0)
    before = till.services.identify(card).balance.available
    scan(qtbot, checkout, card)
    scan(qtbot, checkout, BEANS)
    scan(qtbot, checkout, MILK)
    qtbot.waitUntil(
        lambda: checkout.session.customer is not None and len(checkout.session.cart) == 2
    )

    press(checkout.scan_bar.field, Qt.Key.Key_F4)
    qtbot.waitUntil(
        lambda: checkout.session.receipt is not None and checkout.session.receipt.redeemed > 0
    )
    receipt = checkout.session.receipt
    assert receipt is not None
    assert receipt.redeemed == min(before, receipt.redeem_cap)
    assert checkout.totals.bonus_paid.text() == "−" + RUB.format(receipt.redeemed, symbol=False)
    assert checkout.totals.to_pay.text() == RUB.format(receipt.to_pay)
    assert checkout.options.max_button.isChecked()

    pay_at_till(qtbot, checkout)

    sale = checkout.session.last_sale
    assert sale is not None
    assert sale.receipt.to_pay == receipt.to_pay  # charged what the screen showed
    assert checkout.session.cart.is_empty and checkout.session.customer is None
    assert checkout.table_model.rowCount() == 0
    assert checkout.totals.to_pay.text() == "—"
    assert checkout.summary.isVisible()
    assert checkout.summary.title.text() == f"Sale {sale.number} done: {RUB.format(receipt.to_pay)}"
    assert f"Spent: {RUB.format(receipt.redeemed, symbol=False)}" in checkout.summary.details.text()
    with till.services.uows.reading() as uow:
        assert uow.sales.count() == 1
        events = uow.outbox.for_aggregate(sale.sale_id)
    assert [e.kind for e in events] == ["sale.completed"]
    assert till.services.identify(card).balance.available == before - receipt.redeemed
    # The shift's opening (the demo store's) and this sale wait for the server.
    qtbot.waitUntil(lambda: window.status.queued == 2)
    assert window.status.queue_label.text() == "To server: 2"

    scan(qtbot, checkout, MILK)  # the next sale starts clean
    qtbot.waitUntil(lambda: not checkout.summary.isVisible())


def test_a_bonus_amount_and_a_promo_code(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    scan(qtbot, checkout, demo_card(till.services.ctx.card_codec, 0))
    scan(qtbot, checkout, BEANS)
    qtbot.waitUntil(
        lambda: checkout.session.customer is not None and len(checkout.session.cart) == 1
    )

    press(checkout.scan_bar.field, Qt.Key.Key_F5)
    type_enter(checkout.options.amount_field, "5")
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "welcome10")

    wait_quote(qtbot, checkout)
    receipt = checkout.session.receipt
    assert receipt is not None
    assert checkout.session.redeem == 500 and receipt.redeemed == 500
    assert receipt.promos == ("WELCOME10",)
    assert any(line.startswith("Promo WELCOME10: -") for line in checkout.totals.note_lines)
    assert checkout.options.promos.text() == "WELCOME10"
    assert checkout.scan_bar.field.hasFocus()

    # A code that does not exist is listed as not applied, not as if it were.
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "nosuchcode")
    qtbot.waitUntil(lambda: "NOSUCHCODE" in checkout.options.promos.text())
    qtbot.waitUntil(lambda: checkout.options.promos.text() == "WELCOME10, NOSUCHCODE (not applied)")


def test_the_bonus_hint_says_how_much_this_check_can_take(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    card = demo_card(till.services.ctx.card_codec, 0)
    available = till.services.identify(card).balance.available
    balance = RUB.format(available, symbol=False)
    scan(qtbot, checkout, card)
    scan(qtbot, checkout, MILK)  # 89,90: under the demo rules' 100,00 minimum check
    qtbot.waitUntil(
        lambda: checkout.session.customer is not None and len(checkout.session.cart) == 1
    )
    wait_quote(qtbot, checkout)
    assert checkout.options.bonus_info.text() == (
        f"Available {balance}; this check cannot be paid with bonus"
    )

    scan(qtbot, checkout, KEFIR)  # 164,80 less the tier discount: 30% of it is below the balance
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 2)
    wait_quote(qtbot, checkout)
    receipt = checkout.session.receipt
    assert receipt is not None and 0 < receipt.redeem_cap < available
    cap = RUB.format(receipt.redeem_cap, symbol=False)
    assert checkout.options.bonus_info.text() == (
        f"Available {balance}; this check takes at most {cap}"
    )

    scan(qtbot, checkout, BEANS)  # a big check: the whole balance fits under the cap
    qtbot.waitUntil(lambda: len(checkout.session.cart) == 3)
    wait_quote(qtbot, checkout)
    assert checkout.options.bonus_info.text() == (
        f"Available {balance}: all of it can go on this check"
    )


def test_bonus_needs_a_customer(qtbot: QtBot, checkout: CheckoutScreen) -> None:
    scan(qtbot, checkout, MILK)
    wait_quote(qtbot, checkout)

    press(checkout.scan_bar.field, Qt.Key.Key_F4)

    assert checkout.message.text() == "Identify the customer first: scan the card or press F2."
    assert checkout.session.redeem == 0


def test_registration_without_consent_is_refused_visibly(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F3)
    dialog = checkout.register_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.phone.setText(NEW_PHONE)
    dialog.name.setText("Пётр Новиков")

    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.message.kind is Kind.ERROR)
    assert dialog.message.text() == (
        "The customer must consent to personal-data processing before registration."
    )
    assert dialog.isVisible()
    assert till.services.search_customers("Новиков") == []


def test_registration_with_a_bad_phone_shows_why(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F3)
    dialog = checkout.register_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.phone.setText("12345")
    dialog.consent.setChecked(True)
    dialog.name.setText("Пётр Новиков")

    press(dialog.name, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.message.kind is Kind.ERROR)
    assert dialog.message.text() == "'12345' is not a valid phone number."
    assert till.services.search_customers("Новиков") == []


def test_registration_with_consent_makes_the_customer_current(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, NEW_PHONE)
    qtbot.waitUntil(checkout.customer_panel.problem.isVisible)  # not found: offer F3

    press(checkout.customer_panel.field, Qt.Key.Key_F3)
    dialog = checkout.register_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.phone.text() == NEW_PHONE  # carried over from the customer field
    dialog.consent.setChecked(True)
    dialog.birthday.setText("05.03.1990")
    dialog.name.setText("Пётр Новиков")  # QTest types ASCII only
    press(dialog.name, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    assert checkout.register_dialog is None
    customer = checkout.session.customer
    assert customer is not None and customer.customer.name == "Пётр Новиков"
    assert checkout.message.kind is Kind.SUCCESS
    assert till.services.identify(NEW_PHONE).customer.id == customer.customer.id
    qtbot.waitUntil(checkout.scan_bar.field.hasFocus)  # once the main window is active again


def test_a_bad_birthday_is_caught_before_anything_is_saved(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    press(checkout.scan_bar.field, Qt.Key.Key_F3)
    dialog = checkout.register_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.phone.setText(NEW_PHONE)
    dialog.consent.setChecked(True)
    dialog.birthday.setText("31.02.1990")

    press(dialog.birthday, Qt.Key.Key_Return)

    # Written right, but there is no such day: said so, not called a format error.
    assert dialog.message.text() == "Birthday: 31.02.1990 is not a day of the calendar."
    dialog.birthday.setText("1990/02/03")
    press(dialog.birthday, Qt.Key.Key_Return)
    assert dialog.message.text() == "Birthday: type it as dd.mm.yyyy, e.g. 05.03.1990."
    press(dialog.phone, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: checkout.register_dialog is None)
    assert checkout.session.customer is None


def test_esc_while_registering_does_not_lose_the_new_customer(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till, tasks: TaskManager
) -> None:
    """The registration is committed whatever the cashier presses meanwhile, so the
    dialog stays until it is, and the new customer becomes the sale's customer."""
    press(checkout.scan_bar.field, Qt.Key.Key_F3)
    dialog = checkout.register_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.phone.setText(NEW_PHONE)
    dialog.consent.setChecked(True)
    gate = threading.Event()
    tasks.submit(Lane.DB, lambda: gate.wait(10), lambda _ok: None, lambda _exc: None)

    press(dialog.phone, Qt.Key.Key_Return)  # queued behind the gate
    press(dialog.phone, Qt.Key.Key_Escape)
    assert checkout.register_dialog is dialog and dialog.isVisible()
    gate.set()

    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    customer = checkout.session.customer
    assert customer is not None
    assert customer.customer.id == till.services.identify(NEW_PHONE).customer.id
    qtbot.waitUntil(lambda: checkout.register_dialog is None)


def test_the_panel_shows_the_birthday_and_whether_the_questionnaire_is_filled_in(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    staff = till.services.staff_list()[0].id
    full = Questionnaire("Вера", date(1990, 5, 7), "vera@example.com")
    till.services.register_customer(RegisterCustomer("+7 912 555-44-33", True, staff, full))
    till.services.register_customer(RegisterCustomer("+7 912 555-44-34", True, staff))
    panel = checkout.customer_panel
    type_enter(panel.field, "+7 912 555-44-33")
    qtbot.waitUntil(lambda: panel.profile.text() == "Birthday 07.05 · Questionnaire filled in")
    type_enter(panel.field, "+7 912 555-44-34")
    qtbot.waitUntil(lambda: panel.profile.text() == "Questionnaire not filled in")


def test_a_bonus_amount_above_what_can_be_spent_shows_what_was_applied(
    qtbot: QtBot, checkout: CheckoutScreen, till: Till
) -> None:
    card = demo_card(till.services.ctx.card_codec, 0)
    available = till.services.identify(card).balance.available
    scan(qtbot, checkout, card)
    scan(qtbot, checkout, BEANS)  # 1 499,00: the 30% cap is far above the balance
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    press(checkout.scan_bar.field, Qt.Key.Key_F5)
    type_enter(checkout.options.amount_field, "1000")  # 1 000,00 asked
    qtbot.waitUntil(
        lambda: checkout.session.receipt is not None and checkout.session.receipt.redeemed > 0
    )
    receipt = checkout.session.receipt
    assert receipt is not None and receipt.redeemed == available < 100_000
    qtbot.waitUntil(
        lambda: checkout.options.amount_field.text() == RUB.format(available, symbol=False)
    )
