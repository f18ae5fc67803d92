"""A test page for the admin CLI and for setting up a printer: Russian and English text, a long
wrapped name, right-aligned amounts, the bonus block, a column ruler, a QR code and a cut.

If the Russian lines print as garbage, the code page is wrong (see docs/HARDWARE.md); if the
ruler wraps, the columns setting is too wide for the paper.
"""

from __future__ import annotations

from hardware.escpos_render import ResolvedFormat
from hardware.printer import open_printer
from hardware.receipt import (
    BonusBreakdown,
    ItemLine,
    QrCode,
    ReceiptDocument,
    StoreHeader,
    ValueRow,
)

NBSP = "\u00a0"


def build_test_receipt(print_format: ResolvedFormat, printer_name: str) -> ReceiptDocument:
    columns = print_format.columns
    ruler = "".join(str(n % 10) for n in range(1, columns + 1))
    return ReceiptDocument(
        header=StoreHeader(
            name="Магазин «Ромашка»",
            address="г. Москва, ул. Тверская, д. 1 / 1 Tverskaya St, Moscow",
            tax_id="ИНН 7701234567",
        ),
        title="ТЕСТОВЫЙ ЧЕК / TEST RECEIPT",
        details=(
            ValueRow("Принтер / Printer", printer_name),
            ValueRow("Профиль / Profile", print_format.profile),
            ValueRow(
                "Кодировка / Code page",
                f"{print_format.codepage} (ESC t {print_format.codepage_slot})",
            ),
            ValueRow("Колонок / Columns", str(columns)),
        ),
        items=(
            ItemLine(
                name="Молоко «Домик в деревне» 3,2% 930 мл — очень длинное название товара",
                quantity="2 x 89,90",
                amount="179,80",
                adjustments=(ValueRow("Скидка 10% / Discount", "-17,98"),),
            ),
            ItemLine(name="Coffee beans, 1 kg", quantity="1 x 1 250,00", amount=f"1{NBSP}250,00"),
        ),
        totals=(
            ValueRow("Сумма / Subtotal", f"1{NBSP}411,82"),
            ValueRow("Бонусами / Paid with points", "-100,00"),
            ValueRow("ИТОГО / TOTAL", f"1{NBSP}311,82{NBSP}₽", emphasis=True),
        ),
        bonus=BonusBreakdown(
            title="Бонусы / Bonus points",
            earned=ValueRow("Начислено / Earned", "+39"),
            pending=ValueRow("Ожидают / Pending", "+39", note="доступны с 15.02.2026"),
            redeemed=ValueRow("Списано / Redeemed", "-100"),
            expiring_soon=ValueRow("Сгорят / Expiring", "25", note="31.01.2026"),
            new_balance=ValueRow("Баланс / Balance", f"1{NBSP}027"),
            cap_note="Списание ограничено 30% суммы чека / Redemption is capped at 30%",
        ),
        footer=(
            "АБВГДЕЁЖЗИЙКЛМНОП РСТУФХЦЧШЩЪЫЬЭЮЯ",
            "абвгдеёжзийклмноп рстуфхцчшщъыьэюя",
            "The quick brown fox jumps over the lazy dog 0123456789",
            ruler,
            "Спасибо за покупку! Thank you!",
        ),
        qr=QrCode("https://example.com/survey?receipt=TEST", caption="Оцените кассира / Rate us"),
        cut=True,
    )


def print_test_receipt(printer_url: str) -> None:
    """Print the test page on the printer at `printer_url` (blocking).

    Raises PrinterConfigError for a bad URL, or another PrinterError if printing fails.
    """
    printer = open_printer(printer_url)
    printer.print_receipt(build_test_receipt(printer.print_format, printer.name))
