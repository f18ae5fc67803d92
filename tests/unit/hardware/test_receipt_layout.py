from __future__ import annotations

import pytest

from hardware.receipt import (
    BonusBreakdown,
    ItemLine,
    QrCode,
    ReceiptDocument,
    StoreHeader,
    ValueRow,
)
from hardware.receipt_layout import QrBlock, TextLine, clean_text, layout_receipt

NBSP = "\u00a0"


def lines_of(doc: ReceiptDocument, columns: int) -> list[str]:
    return layout_receipt(doc, columns).as_text().split("\n")


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_no_line_is_wider_than_the_paper(columns: int) -> None:
    doc = ReceiptDocument(
        header=StoreHeader("Магазин у дома «Ромашка» на Тверской", "г. Москва " * 8, "ИНН 7701"),
        title="Кассовый чек",
        items=(ItemLine("Очень длинное название товара " * 4, "3 x 1 000,00", "3 000,00"),),
        totals=(ValueRow("Итого к оплате с учётом всех скидок и бонусов", "3 000,00"),),
        footer=("Спасибо! " * 10, "Бесконечноеслово" * 5),
    )
    for line in lines_of(doc, columns):
        assert len(line) <= columns, line


def test_amount_is_right_aligned_to_the_last_column() -> None:
    doc = ReceiptDocument(items=(ItemLine("Хлеб", "1 x 45,00", "45,00"),))
    assert lines_of(doc, 32) == ["Хлеб", "  1 x 45,00".ljust(27) + "45,00"]


def test_item_without_quantity_puts_amount_on_the_name_line() -> None:
    doc = ReceiptDocument(items=(ItemLine("Пакет", "", "5,00"),))
    assert lines_of(doc, 32) == ["Пакет".ljust(28) + "5,00"]


def test_long_name_wraps_at_word_boundaries_and_keeps_every_word() -> None:
    name = "Молоко ультрапастеризованное Домик в деревне 3,2% 930 мл"
    doc = ReceiptDocument(items=(ItemLine(name, "2 x 89,90", "179,80"),))
    lines = lines_of(doc, 32)
    assert lines[:-1] == ["Молоко ультрапастеризованное", "Домик в деревне 3,2% 930 мл"]
    assert lines[-1].endswith("179,80") and len(lines[-1]) == 32


def test_value_moves_to_its_own_line_when_the_label_leaves_no_room() -> None:
    row = ValueRow("Оплачено бонусными баллами", "-1 000,00")
    assert lines_of(ReceiptDocument(totals=(row,)), 32) == [
        "Оплачено бонусными баллами",
        "-1 000,00".rjust(32),
    ]


def test_no_break_spaces_keep_a_grouped_number_together() -> None:
    amount = f"12{NBSP}345{NBSP}678,90"
    doc = ReceiptDocument(footer=(f"Сумма покупок за год составила {amount} рублей",))
    assert any(amount in line for line in lines_of(doc, 32))


def test_narrow_no_break_space_from_number_formatting_becomes_a_no_break_space() -> None:
    assert clean_text("1\u202f234,56") == f"1{NBSP}234,56"


def test_control_characters_cannot_smuggle_printer_commands() -> None:
    doc = ReceiptDocument(items=(ItemLine("Сок\x1bp\x00\x19\xfa", "1 x 10,00", "10,00"),))
    text = layout_receipt(doc, 32).as_text()
    assert "\x1b" not in text and "\x00" not in text
    assert text.startswith("Сокp")


def test_header_and_footer_are_centred_and_store_name_is_large() -> None:
    layout = layout_receipt(ReceiptDocument(header=StoreHeader("Ромашка"), footer=("Спасибо",)), 32)
    name, rule, footer = layout.elements
    assert name == TextLine(" " * 12 + "Ромашка", bold=True, tall=True)
    assert rule == TextLine("-" * 32)
    assert footer == TextLine(" " * 12 + "Спасибо")


def test_explicit_line_breaks_are_kept() -> None:
    doc = ReceiptDocument(footer=("первая\nвторая",))
    assert [line.strip() for line in lines_of(doc, 32)] == ["первая", "вторая"]


def test_emphasised_total_is_bold_and_tall() -> None:
    layout = layout_receipt(
        ReceiptDocument(totals=(ValueRow("ИТОГО", "99,00", emphasis=True),)), 32
    )
    assert layout.elements == (TextLine("ИТОГО".ljust(27) + "99,00", bold=True, tall=True),)


def test_bonus_block_prints_rows_in_order_with_notes_and_the_cap_reason() -> None:
    bonus = BonusBreakdown(
        title="Бонусы",
        new_balance=ValueRow("Баланс", "1 027"),
        earned=ValueRow("Начислено", "+39"),
        pending=ValueRow("Ожидают", "+39", note="с 15.02.2026"),
        redeemed=ValueRow("Списано", "-100"),
        expiring_soon=ValueRow("Сгорят", "25", note="31.01.2026"),
        cap_note="Списание ограничено 30% чека",
    )
    lines = [line.strip() for line in lines_of(ReceiptDocument(bonus=bonus), 32)]
    labels = [line.split()[0] for line in lines]
    expected = "Бонусы Начислено Ожидают с Списано Сгорят 31.01.2026 Баланс Списание"
    assert labels == expected.split()
    assert "с 15.02.2026" in lines


def test_empty_sections_are_left_out_without_double_rules() -> None:
    doc = ReceiptDocument(title="Чек", totals=(ValueRow("Итого", "1,00"),))
    assert lines_of(doc, 32) == ["Чек".center(32).rstrip(), "-" * 32, "Итого".ljust(28) + "1,00"]


def test_qr_comes_after_the_footer_with_its_caption_and_flags_pass_through() -> None:
    doc = ReceiptDocument(
        footer=("Спасибо",), qr=QrCode("2000000000017", "Ваша карта"), cut=False, open_drawer=True
    )
    layout = layout_receipt(doc, 32)
    assert layout.elements[1] == QrBlock("2000000000017")
    assert layout.elements[2].text.strip() == "Ваша карта"  # type: ignore[union-attr]
    assert (layout.cut, layout.open_drawer) == (False, True)


@pytest.mark.parametrize("columns", [15, 97])
def test_unsupported_widths_are_refused(columns: int) -> None:
    with pytest.raises(ValueError, match="columns"):
        layout_receipt(ReceiptDocument(), columns)


def test_only_store_name_titles_and_the_grand_total_stand_out() -> None:
    doc = ReceiptDocument(
        header=StoreHeader("Ромашка", "ул. Тверская, 1", "ИНН 7701234567"),
        title="Кассовый чек",
        items=(ItemLine("Хлеб", "1 x 45,00", "45,00"),),
        totals=(ValueRow("ИТОГО", "45,00", emphasis=True),),
        bonus=BonusBreakdown("Бонусы", earned=ValueRow("Начислено", "+4")),
    )
    rule = TextLine("-" * 32)
    assert layout_receipt(doc, 32).elements == (
        TextLine(" " * 12 + "Ромашка", bold=True, tall=True),  # (32 - 7) // 2 = 12
        TextLine(" " * 8 + "ул. Тверская, 1"),  # (32 - 15) // 2 = 8
        TextLine(" " * 9 + "ИНН 7701234567"),  # (32 - 14) // 2 = 9
        rule,
        TextLine(" " * 10 + "Кассовый чек", bold=True),  # (32 - 12) // 2 = 10
        rule,
        TextLine("Хлеб"),
        TextLine("  1 x 45,00" + " " * 16 + "45,00"),  # 11 + 16 + 5 = 32
        rule,
        TextLine("ИТОГО" + " " * 22 + "45,00", bold=True, tall=True),
        rule,
        TextLine(" " * 13 + "Бонусы", bold=True),  # (32 - 6) // 2 = 13
        TextLine("Начислено" + " " * 21 + "+4"),  # 9 + 21 + 2 = 32
    )


def test_the_text_preview_shows_a_qr_code_as_its_payload_centred() -> None:
    doc = ReceiptDocument(qr=QrCode("2000000000017", "Ваша карта"))
    assert layout_receipt(doc, 32).as_text().split("\n") == [
        " " * 7 + "[QR 2000000000017]",  # 18 characters: (32 - 18) // 2 = 7
        " " * 11 + "Ваша карта",  # (32 - 10) // 2 = 11
    ]
