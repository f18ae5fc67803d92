"""A cashier's whole day at the till, as one story through the real window and the customer
display (offscreen, real widgets, real SQLite): log in (a wrong PIN first), open the shift
with a float, register a customer who leaves with a card, sell with bonus and a promo code
for cash with change, sell to an anonymous customer by bank card, split a payment, take a
manager-approved discount, return part of a sale seeing the bonus effect, record the
customer's vote, read the X report, and have the senior cashier close the shift with a Z
report that adds up. Each wrong step on the way is told and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from loyalty_core.cards import damm_digit
from loyalty_core.errors import DomainError
from loyalty_core.money import Currency
from loyalty_core.payment import TenderKind
from loyalty_core.survey import Reason
from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till
from pos_client.services.demo_store import DEMO_FLOAT
from pos_client.services.messages import CompletedReturn, CompletedSale
from pos_client.tasks import TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.checkout.line_discount_dialog import LineDiscountDialog
from pos_client.ui.checkout.payment_dialog import PaymentDialog
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.customer_display import CustomerDisplay
from pos_client.ui.main_window import MainWindow
from pos_client.ui.manager_pin import ManagerPinDialog
from pos_client.ui.message_bar import Kind
from pos_client.ui.shift_dialog import ShiftDialog
from resources.demo.dataset import demo_phone
from tests.integration.ui.conftest import CASHIER, CASHIER_PIN, log_in, press, scan, type_enter

RUB = Currency()
SENIOR, SENIOR_PIN, MANAGER_PIN = "Олег Петров", "2222", "9999"
MILK, BEANS, BREAD = "4600000000015", "4600000000091", "4600000000060"  # 89,90 1 499,00 54,90
NEW_PHONE = "+7 912 000-11-22"


@pytest.fixture
def day(qtbot: QtBot, till: Till, tasks: TaskManager) -> Iterator[MainWindow]:
    """The till in the morning: yesterday's shift closed, the window and the customer display up."""
    senior = next(s.id for s in till.services.staff_list() if s.name == SENIOR)
    till.services.close_shift(senior, DEMO_FLOAT)
    window = MainWindow(till.services, tasks, till_identity(till), customer_display=True)
    window.resize(1366, 768)
    window.show()
    assert window.display is not None
    window.display.place()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.login.staff.count() == 3)
    yield window
    qtbot.waitUntil(lambda: not tasks.busy)
    window.close()
    delete_now(window)


def _front(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _payment(qtbot: QtBot, checkout: CheckoutScreen) -> PaymentDialog:
    qtbot.waitUntil(lambda: checkout.session.receipt is not None)
    press(checkout.scan_bar.field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: checkout.payment_dialog is not None)
    dialog = checkout.payment_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _paid(qtbot: QtBot, checkout: CheckoutScreen, before: CompletedSale | None) -> CompletedSale:
    qtbot.waitUntil(lambda: checkout.session.last_sale not in (None, before))
    qtbot.waitUntil(lambda: checkout.payment_dialog is None)
    sale = checkout.session.last_sale
    assert sale is not None
    return sale


def _shift(qtbot: QtBot, window: MainWindow) -> ShiftDialog:
    qtbot.waitUntil(lambda: window.shift is not None and window.shift.loaded)
    dialog = window.shift
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _row(dialog: ShiftDialog, label: str) -> str:
    return next(ln for ln in dialog.text.toPlainText().splitlines() if ln.startswith(label))


@dataclass
class _Day:
    qtbot: QtBot
    window: MainWindow
    till: Till
    sales: list[CompletedSale] = field(default_factory=list)
    returned: list[CompletedReturn] = field(default_factory=list)

    @property
    def checkout(self) -> CheckoutScreen:
        return self.window.checkout

    @property
    def display(self) -> CustomerDisplay:
        assert self.window.display is not None
        return self.window.display


def _morning(d: _Day) -> None:
    """Morning: a wrong PIN is told and keeps the login; the right one opens the shift."""
    qtbot = d.qtbot
    window = d.window
    log_in(qtbot, window, CASHIER, "0000")
    qtbot.waitUntil(lambda: window.login.message.kind is Kind.ERROR)
    assert window.login.message.text() == "Wrong PIN. 4 attempts left."
    assert window.screens.currentWidget() is window.login
    log_in(qtbot, window, CASHIER, CASHIER_PIN)
    shift = _shift(qtbot, window)  # no shift open: its window comes up at login
    assert shift.state.text() == "No shift is open."
    type_enter(shift.cash, "3000")  # the float in the drawer
    qtbot.waitUntil(lambda: shift.report is not None)
    assert shift.state.text() == "Shift No. 2 is open."
    press(shift.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)
    _front(qtbot, window)


def _customer_field_refusals(d: _Day) -> None:
    """Nothing to pay yet; a wrong phone and a forged card are told at the customer field."""
    qtbot = d.qtbot
    checkout = d.checkout
    press(checkout.scan_bar.field, Qt.Key.Key_F12)
    assert checkout.message.text() == "The cart is empty: scan a product first."
    assert checkout.payment_dialog is None
    press(checkout.scan_bar.field, Qt.Key.Key_F2)
    type_enter(checkout.customer_panel.field, "8 (912) 34")
    qtbot.waitUntil(checkout.customer_panel.problem.isVisible)
    assert checkout.customer_panel.problem.text() == "'8 (912) 34' is not a valid phone number."
    assert checkout.session.customer is None
    signed = "1234567890" + "00000"  # a right check digit, a signature never issued
    forged = signed + str(damm_digit(signed))
    checkout.take_scan(forged)
    qtbot.waitUntil(
        lambda: "was not issued by this loyalty program" in checkout.customer_panel.problem.text()
    )
    assert checkout.session.customer is None and checkout.session.cart.is_empty


def _registration(d: _Day) -> None:
    """A new customer registers with consent and leaves with a card."""
    qtbot = d.qtbot
    window = d.window
    checkout = d.checkout
    display = d.display
    sv = d.till.services
    checkout.customer_panel.field.clear()
    type_enter(checkout.customer_panel.field, NEW_PHONE)
    qtbot.waitUntil(checkout.customer_panel.problem.isVisible)  # nobody: F3 registers
    press(checkout.customer_panel.field, Qt.Key.Key_F3)
    register = checkout.register_dialog
    assert register is not None
    qtbot.waitUntil(register.isActiveWindow)
    register.consent.setChecked(True)
    register.name.setText("Пётр Новиков")
    press(register.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    new_card = checkout.session.customer.card_number  # type: ignore[union-attr]
    assert new_card and checkout.message.text().endswith(f"card ends in {new_card[-4:]}.")
    assert display.card.isVisible() and not display.card.pixmap().isNull()  # its QR, for a photo
    assert new_card[-4:] in display.card_caption.text()
    assert sv.identify(new_card).customer.name == "Пётр Новиков"  # the card finds them
    checkout.session.set_customer(None)
    qtbot.waitUntil(lambda: not display.card.isVisible())
    _front(qtbot, window)


def _sale_with_bonus_and_promo(d: _Day) -> None:
    """Sale 1: a regular with bonus spends it all, with a promo code, cash with change."""
    qtbot = d.qtbot
    checkout = d.checkout
    display = d.display
    sv = d.till.services
    regular = sv.identify(demo_phone(0))
    assert regular.balance.available > 0
    scan(qtbot, checkout, "2*" + BEANS)
    type_enter(checkout.scan_bar.field, regular.card_number or demo_phone(0))
    qtbot.waitUntil(lambda: checkout.session.customer is not None)
    press(checkout.scan_bar.field, Qt.Key.Key_F4)  # the most bonus the rules allow
    press(checkout.scan_bar.field, Qt.Key.Key_F6)
    type_enter(checkout.options.promo_field, "WELCOME10")
    qtbot.waitUntil(
        lambda: (
            checkout.session.receipt is not None
            and checkout.session.receipt.promos == ("WELCOME10",)
            and checkout.session.receipt.redeemed > 0
        )
    )
    first_receipt = checkout.session.receipt
    assert first_receipt is not None
    assert f"bonus now: {RUB.format(regular.balance.available)}" not in display.bonus.text()
    pay = _payment(qtbot, checkout)
    short = RUB.format(first_receipt.to_pay - 100, symbol=False)
    QTest.keyClicks(pay.cash, short)  # one rouble short: told, and nothing is sold
    assert pay.problem.text().startswith(f"{RUB.format(100)} more is needed")
    assert not pay.confirm.isEnabled()
    pay.cash.clear()
    handed = (first_receipt.to_pay // 100_000 + 1) * 100_000  # the next round thousand
    QTest.keyClicks(pay.cash, RUB.format(handed, symbol=False))
    assert pay.change.text() == RUB.format(handed - first_receipt.to_pay)
    press(pay.cash, Qt.Key.Key_Return)
    sale1 = _paid(qtbot, checkout, None)
    d.sales.append(sale1)
    assert sale1.payment.change == handed - first_receipt.to_pay
    assert sale1.receipt.redeemed == first_receipt.redeemed and sale1.receipt.promos
    assert checkout.summary.change.isVisible()


def _vote(d: _Day) -> None:
    """The customer rates the cashier on the display; a second vote is refused."""
    qtbot = d.qtbot
    display = d.display
    sv = d.till.services
    sale1 = d.sales[0]
    survey = display.survey
    assert survey.isVisible() and survey.sale_id == sale1.sale_id
    five = survey.scores.button(5)
    assert five is not None
    QTest.mouseClick(five, Qt.MouseButton.LeftButton)
    QTest.mouseClick(survey.reasons[Reason.OFFERED_CARD], Qt.MouseButton.LeftButton)
    QTest.mouseClick(survey.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: survey.answer.text() == "Thank you for your rating!")
    assert not survey.send.isEnabled()
    with pytest.raises(DomainError) as again:
        sv.record_vote(sale1.sale_id, 1, [])
    assert again.value.code == "survey.already_voted"
    with sv.uows.reading() as uow:
        assert len(uow.outbox.of_kind("vote.recorded")) == 1


def _card_sale(d: _Day) -> None:
    """Sale 2: anonymous, all by bank card (F5)."""
    qtbot = d.qtbot
    window = d.window
    checkout = d.checkout
    sale1 = d.sales[0]
    _front(qtbot, window)
    scan(qtbot, checkout, MILK)
    pay = _payment(qtbot, checkout)
    press(pay.cash, Qt.Key.Key_F5)
    press(pay.card, Qt.Key.Key_Return)
    sale2 = _paid(qtbot, checkout, sale1)
    d.sales.append(sale2)
    assert [(t.kind.value, t.amount) for t in sale2.payment.tenders] == [("card", 8_990)]


def _split_with_discount(d: _Day) -> None:
    """Sale 3: a manager's discount on the bread, then paid part by card, the rest in cash."""
    qtbot = d.qtbot
    window = d.window
    checkout = d.checkout
    sv = d.till.services
    sale2 = d.sales[1]
    _front(qtbot, window)
    scan(qtbot, checkout, "3*" + BREAD)  # 164,70
    qtbot.waitUntil(lambda: checkout.session.receipt is not None)
    press(checkout.scan_bar.field, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), LineDiscountDialog))
    discount = QApplication.activeModalWidget()
    assert isinstance(discount, LineDiscountDialog)
    qtbot.waitUntil(discount.isActiveWindow)
    type_enter(discount.field, "10%")  # 16,47 off
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ManagerPinDialog))
    approval = QApplication.activeModalWidget()
    assert isinstance(approval, ManagerPinDialog)
    qtbot.waitUntil(lambda: approval.isActiveWindow() and approval.manager.count() == 1)
    type_enter(approval.reason, "crushed loaves")
    type_enter(approval.pin, MANAGER_PIN)
    qtbot.waitUntil(
        lambda: checkout.session.receipt is not None and checkout.session.receipt.to_pay == 14_823
    )
    _front(qtbot, window)
    pay = _payment(qtbot, checkout)
    QTest.keyClicks(pay.card, "100")
    QTest.keyClicks(pay.cash, "50")  # 48,23 due in cash: 1,77 change
    assert pay.change.text() == RUB.format(177)
    press(pay.cash, Qt.Key.Key_Return)
    sale3 = _paid(qtbot, checkout, sale2)
    d.sales.append(sale3)
    assert [(t.kind.value, t.amount) for t in sale3.payment.tenders] == [
        ("card", 10_000),
        ("cash", 4_823),
    ]
    with sv.uows.reading() as uow:
        (override,) = uow.outbox.of_kind("override.recorded")
    assert (override.payload["action"], override.payload["amount"]) == ("manual_discount", 1_647)


def _return(d: _Day) -> None:
    """A return: one pack of beans from sale 1, its bonus effect shown before confirming."""
    qtbot = d.qtbot
    window = d.window
    sale1 = d.sales[0]
    _front(qtbot, window)
    window.open_return(sale1.sale_id)
    qtbot.waitUntil(lambda: window.returns is not None and window.returns.sale is not None)
    returns = window.returns
    assert returns is not None
    qtbot.waitUntil(returns.isActiveWindow)
    type_enter(returns.quantity, "1")
    qtbot.waitUntil(lambda: returns.quote is not None)
    quote = returns.quote
    assert quote is not None and quote.priced.refund > 0
    assert returns.bonus.text() != ""  # the bonus given back or taken back, said before F12
    press(returns.quantity, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: returns.completed is not None)
    done = returns.completed
    assert done is not None and done.refund == quote.priced.refund
    d.returned.append(done)
    press(returns.quantity, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.returns is None)


def _x_report(d: _Day) -> None:
    """The X report any time; the cashier cannot close the day."""
    qtbot = d.qtbot
    window = d.window
    checkout = d.checkout
    _front(qtbot, window)
    press(checkout.scan_bar.field, Qt.Key.Key_F10)
    shift = _shift(qtbot, window)
    assert _row(shift, "Sales").endswith(" 3")
    assert not shift.close_button.isVisible()
    press(shift.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)


def _close(d: _Day) -> None:
    """Evening: the senior cashier counts the drawer and closes with a Z report."""
    qtbot = d.qtbot
    window = d.window
    checkout = d.checkout
    sv = d.till.services
    sale1 = d.sales[0]
    done = d.returned[0]
    report = sv.shift_report()
    assert report is not None
    cash_back = done.refund_payment.paid_by(TenderKind.CASH)
    assert cash_back == done.refund  # sale 1 was paid in cash: its return is refunded in cash
    totals = report.totals
    assert (totals.sales, totals.returns, totals.cards_registered) == (3, 1, 1)
    assert (totals.cash_in, totals.card_in) == (sale1.receipt.to_pay + 4_823, 8_990 + 10_000)
    assert totals.bonus_redeemed == sale1.receipt.redeemed
    expected = 300_000 + totals.cash_in - cash_back
    _front(qtbot, window)
    press(checkout.scan_bar.field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.staff is None)
    log_in(qtbot, window, SENIOR, SENIOR_PIN)
    qtbot.waitUntil(lambda: window.staff is not None and window.staff.name == SENIOR)
    _front(qtbot, window)
    press(checkout.scan_bar.field, Qt.Key.Key_F10)
    shift = _shift(qtbot, window)
    assert _row(shift, "Cash expected").endswith(RUB.format(expected))
    QTest.keyClicks(shift.cash, RUB.format(expected, symbol=False))
    press(shift.cash, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: shift.report is not None and shift.report.closing)
    assert shift.text.toPlainText().splitlines()[0].strip() == "Z report: shift closed"
    assert _row(shift, "Sales").endswith(" 3")
    assert _row(shift, "Difference").endswith(RUB.format(0))
    press(shift.cash, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.shift is None)


def test_a_cashiers_whole_day(qtbot: QtBot, day: MainWindow, till: Till) -> None:
    d = _Day(qtbot, day, till)
    _morning(d)
    _customer_field_refusals(d)
    _registration(d)
    _sale_with_bonus_and_promo(d)
    _vote(d)
    _card_sale(d)
    _split_with_discount(d)
    _return(d)
    _x_report(d)
    _close(d)
