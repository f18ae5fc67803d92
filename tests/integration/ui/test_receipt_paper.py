"""What the customer's paper says, in Russian, from a real stored sale: composed by the till
in its language and rendered to ESC/POS bytes by python-escpos' Dummy printer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hardware import layout_receipt, open_printer, paper_columns
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import demo_phone, seed_demo_store
from pos_client.services.messages import CartItem, CheckoutRequest, ReturnRequest
from pos_client.ui.app import install_translations, remove_translations
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.formatting import Formats
from pos_client.ui.main_window import MainWindow
from pos_client.ui.receipt_composer import ReceiptComposer
from tests.integration.ui.conftest import MILK as MILK_BARCODE
from tests.integration.ui.conftest import pay_at_till, press, scan, wait_quote

COFFEE = CartItem(sku="c", name="Кофе в зёрнах", unit_price=149_900, quantity_milli=2_000)
CHEESE = CartItem(sku="s", name="Сыр", unit_price=45_050, quantity_milli=250)  # 0,250 kg
SURVEY = "https://survey.example/r/"
MOSCOW = Formats(zone=ZoneInfo("Europe/Moscow"))


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    translators = install_translations(qapp, "ru")
    yield
    remove_translations(qapp, translators)


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    settings = load_settings(data_dir=tmp_path, printer_url="dummy://")
    till = bootstrap(settings, logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=5)
    yield till
    till.close()


def _text(doc: object, columns: int) -> str:
    return layout_receipt(doc, columns).as_text()  # type: ignore[arg-type]


def test_a_card_sale_spending_bonus_prints_every_line_of_its_bonus_block_in_russian(
    till: Till, russian: None
) -> None:
    sv = till.services
    staff = sv.staff_list()[0]
    customer = sv.identify(demo_phone(0))
    request = CheckoutRequest(
        (COFFEE, CHEESE),
        staff.id,
        customer_id=customer.customer.id,
        card_number=customer.card_number,  # identified by scanning the card
        redeem="max",
    )
    due = sv.quote(request).to_pay
    sale = sv.checkout(replace(request, card_amount=due))  # all of it by bank card
    item = sv.next_to_print()
    assert item is not None
    doc = ReceiptComposer(survey_base_url=SURVEY).compose(item)
    text = _text(doc, 48)
    receipt = sale.receipt
    assert receipt.redeemed > 0 and sale.balance_after is not None
    for expected in (
        "Кассовый чек",
        f"№ {sale.number}",
        f"Кассир{' ' * 10}",  # the label, then the cashier's name right-aligned
        staff.name,
        "Кофе в зёрнах",
        "2 x 1 499,00 ₽",
        "0,250 x 450,50 ₽",
        "ИТОГО",
        MOSCOW.money(receipt.to_pay),
        "Оплачено бонусами",
        "Начислено",
        "+" + MOSCOW.points(receipt.earned),
        "Ожидает",
        "Списано",
        "-" + MOSCOW.points(receipt.redeemed),
        "Новый баланс",
        MOSCOW.points(sale.balance_after.available),
        "Банковская карта",
        "Спасибо за покупку!",
        "Оцените кассира",
    ):
        assert expected in text, expected
    # Dates are the store's (Moscow), whatever the till's own clock zone is.
    assert f"{sale.created_at.astimezone(MOSCOW.zone):%d.%m.%Y %H:%M}" in text
    pending = next(line for line in text.splitlines() if line.startswith("Ожидает"))
    assert pending.endswith(MOSCOW.points(receipt.accrual + receipt.boost))
    # The card is masked on paper: only its last four digits.
    assert customer.card_number is not None and customer.card_number[:12] not in text
    assert customer.card_number[-4:] in text
    printer = open_printer("dummy://")
    job = printer.render(doc)
    assert job.startswith(b"\x1b@\x1bt\x11")  # reset, then CP866 before any text
    assert "ИТОГО".encode("cp866") in job and "Кофе в зёрнах".encode("cp866") in job
    assert b"\x1d(k" in job and (SURVEY + sale.sale_id).encode() in job  # native QR, its data
    assert b"\x1dV" in job[-8:]  # cut at the end
    assert b"\x1bp" not in job  # paid by bank card: the drawer stays shut
    assert "Сдача" not in text and "Наличные" not in text


def test_a_capped_redemption_says_why_on_paper(till: Till, russian: None) -> None:
    sv = till.services
    customer = sv.identify(demo_phone(0))  # 236,00 to spend
    sale = sv.checkout(
        CheckoutRequest(
            (CHEESE,), sv.staff_list()[0].id, customer_id=customer.customer.id, redeem="max"
        )
    )
    # 112,63 less the 5% tier discount is 107,00; bonus pays at most 30% of it.
    assert sale.receipt.redeemed == 3_210
    item = sv.next_to_print()
    assert item is not None
    doc = ReceiptComposer().compose(item)
    assert doc.bonus is not None and "30%" in doc.bonus.cap_note and "32,10" in doc.bonus.cap_note
    assert "30%" in _text(doc, 48)


def test_the_same_receipt_fits_58_and_80_mm_paper(till: Till) -> None:
    sv = till.services
    staff = sv.staff_list()[0]
    sv.checkout(CheckoutRequest((COFFEE, CHEESE), staff.id))
    item = sv.next_to_print()
    assert item is not None
    doc = ReceiptComposer().compose(item)
    for columns in (32, 48):
        lines = _text(doc, columns).splitlines()
        assert max(len(line) for line in lines) <= columns
        assert any(line.startswith("TOTAL") and line.endswith("₽") for line in lines)
    assert doc.bonus is None and doc.qr is None  # no card, no survey URL set


def test_a_cash_receipt_says_what_was_handed_over_and_the_change_and_opens_the_drawer_once(
    till: Till, russian: None
) -> None:
    sv = till.services
    # 0,250 kg of cheese at 450,50 is 112,63; the customer hands over 200,00: change 87,37.
    sale = sv.checkout(CheckoutRequest((CHEESE,), sv.staff_list()[0].id, cash_tendered=20_000))
    assert sale.payment.change == 8_737
    composer, printer = ReceiptComposer(), open_printer("dummy://")
    item = sv.next_to_print()
    assert item is not None
    lines = _text(composer.compose(item), 32).splitlines()
    total = next(i for i, line in enumerate(lines) if line.startswith("ИТОГО"))
    assert lines[total + 1 : total + 3] == [
        "Наличные" + "200,00 ₽".rjust(32 - len("Наличные")),
        "Сдача" + "87,37 ₽".rjust(32 - len("Сдача")),
    ]
    assert b"\x1bp" in printer.render(composer.compose(item))  # ESC p: the drawer opens
    sv.print_failed(item.job.id, "offline")
    retry = sv.next_to_print()
    assert retry is not None and b"\x1bp" not in printer.render(composer.compose(retry))


def test_a_return_receipt_says_what_came_back(till: Till, russian: None) -> None:
    sv = till.services
    staff = sv.staff_list()[0]
    customer = sv.identify(demo_phone(0))
    sale = sv.checkout(CheckoutRequest((COFFEE,), staff.id, customer_id=customer.customer.id))
    printed = sv.next_to_print()
    assert printed is not None
    sv.printed(printed.job.id)
    done = sv.return_items(ReturnRequest(sale.number, {COFFEE.line_id: 1_000}, staff.id))
    item = sv.next_to_print()
    assert item is not None
    doc = ReceiptComposer().compose(item)
    text = _text(doc, 42)
    refund = done.priced.refund
    assert doc.open_drawer  # paid in cash, handed back in cash
    cash_back = "Наличные" + MOSCOW.money(refund).rjust(42 - len("Наличные"))
    assert cash_back in text.splitlines()
    for expected in (
        "Чек возврата",
        f"№ {done.number}",
        "Возврат по чеку",
        f"№ {sale.number}",
        "Кофе в зёрнах",
        MOSCOW.money(-refund),
        "К ВОЗВРАТУ",
        MOSCOW.money(refund),
        "Бонусы списаны",
        "Новый баланс",
    ):
        assert expected in text, expected


def test_a_loyalty_card_prints_its_digits_as_a_qr_with_the_masked_phone(
    till: Till, russian: None
) -> None:
    sv = till.services
    customer = sv.identify(demo_phone(1))
    assert customer.card_number is not None
    sv.print_card(customer.card_number)
    item = sv.next_to_print()
    assert item is not None
    doc = ReceiptComposer().compose(item)
    assert doc.qr is not None and doc.qr.payload == customer.card_number  # digits only
    text = _text(doc, 32)
    phone = customer.customer.phone
    assert "Карта лояльности" in text and phone[:5] + "***" + phone[-4:] in text
    assert phone not in text


def test_f8_shows_the_last_receipt_on_screen_as_it_prints(
    qtbot: QtBot, checkout: CheckoutScreen
) -> None:
    window = checkout.window()
    assert isinstance(window, MainWindow)
    bar = window.status
    press(checkout.scan_bar.field, Qt.Key.Key_F8)  # nothing sold yet: it says so
    qtbot.waitUntil(lambda: bar.currentMessage() == "No receipt has been printed at this till yet.")
    scan(qtbot, checkout, MILK_BARCODE)
    wait_quote(qtbot, checkout)
    pay_at_till(qtbot, checkout)
    sale = checkout.session.last_sale
    assert sale is not None
    press(checkout.scan_bar.field, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: bar.preview is not None and bar.preview.isVisible())
    assert bar.preview is not None
    text = bar.preview.text.toPlainText()
    assert f"№ {sale.number}" in text and "Молоко" in text
    total = next(line for line in text.splitlines() if line.startswith("TOTAL"))
    assert total.endswith(Formats().money(sale.receipt.to_pay))
    assert max(len(line) for line in text.splitlines()) == 42  # no printer: 80 mm's width
    bar.preview.reject()
    qtbot.waitUntil(lambda: bar.preview is None)

    # A 58 mm printer: the screen shows its 32 columns, as the paper will.
    bar.composer = ReceiptComposer(columns=paper_columns("tcp://127.0.0.1:9?profile=POS-5890"))
    window.activateWindow()  # offscreen, no window manager gives it back when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    press(checkout.scan_bar.field, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: bar.preview is not None and bar.preview.isVisible())
    assert bar.preview is not None
    lines = bar.preview.text.toPlainText().splitlines()
    assert max(len(line) for line in lines) == 32
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert len(total) == 32 and total.endswith(Formats().money(sale.receipt.to_pay))
    bar.preview.reject()
    qtbot.waitUntil(lambda: bar.preview is None)


def test_a_managers_discount_is_printed_under_its_line_at_the_full_price(
    till: Till, russian: None
) -> None:
    sv = till.services
    manager = next(s.id for s in sv.staff_list() if s.role.value == "manager")
    # Two packs of coffee at 1 499,00 (2 998,00), 299,80 off: 2 698,20 to pay.
    coffee = replace(COFFEE, discount=29_980, discount_by=manager, discount_reason="dented")
    sv.checkout(CheckoutRequest((coffee,), sv.staff_list()[0].id))
    item = sv.next_to_print()
    assert item is not None
    lines = _text(ReceiptComposer().compose(item), 32).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Кофе в зёрнах"))
    assert "2 998,00 ₽" in lines[at] + lines[at + 1]
    assert any(
        ln.strip().startswith("Скидка менеджера") and ln.endswith("-299,80 ₽") for ln in lines
    )
    assert any(ln.startswith("ИТОГО") and ln.endswith("2 698,20 ₽") for ln in lines)
