"""Where lines break and how far they are indented, written out column by column."""

from __future__ import annotations

import pytest

from hardware.receipt import ItemLine, ReceiptDocument, ValueRow
from hardware.receipt_layout import layout_receipt

# A footer line exactly as wide as the paper, for each usual width (58 mm; 80 mm in two fonts).
EXACTLY_AS_WIDE = {
    32: "Спасибо за покупку! Ждём вас ещё",  # 7+1+2+1+8+1+4+1+3+1+3 = 32
    42: "Спасибо за покупку! Ждём вас снова в ТЦ Юг",  # ... 5+1+1+1+2+1+2 = 42
    48: "Спасибо за покупку! Ждём вас снова в кафе «Луна»",  # ... 1+1+4+1+6 = 48
}
# A label that leaves exactly one column for the space before a 3-5 character value.
LABEL_AND_VALUE_EXACTLY_AS_WIDE = {
    32: ("Оплачено бонусными баллами", "-1,00"),  # 26 + 1 + 5 = 32
    42: ("Скидка по карте постоянного покупателя", "-3%"),  # 38 + 1 + 3 = 42
    48: ("Начислено бонусов за покупку в выходной день", "+39"),  # 44 + 1 + 3 = 48
}


def lines_of(doc: ReceiptDocument, columns: int = 32) -> list[str]:
    return layout_receipt(doc, columns).as_text().split("\n")


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_a_line_exactly_as_wide_as_the_paper_stays_on_one_line(columns: int) -> None:
    text = EXACTLY_AS_WIDE[columns]
    assert lines_of(ReceiptDocument(footer=(text,)), columns) == [text]


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_one_character_more_moves_the_last_word_to_a_second_line(columns: int) -> None:
    text = EXACTLY_AS_WIDE[columns] + "!"
    first, last_word = text.rsplit(" ", 1)
    assert lines_of(ReceiptDocument(footer=(text,)), columns) == [
        first.center(columns).rstrip(),
        last_word.center(columns).rstrip(),
    ]


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_label_and_value_that_fill_the_line_exactly_share_it_with_one_space(columns: int) -> None:
    label, value = LABEL_AND_VALUE_EXACTLY_AS_WIDE[columns]
    lines = lines_of(ReceiptDocument(totals=(ValueRow(label, value),)), columns)
    assert lines == [f"{label} {value}"]
    assert len(lines[0]) == columns


@pytest.mark.parametrize("columns", [32, 42, 48])
def test_a_value_one_character_longer_moves_to_a_line_of_its_own(columns: int) -> None:
    label, value = LABEL_AND_VALUE_EXACTLY_AS_WIDE[columns]
    longer = value[0] + "1" + value[1:]  # -1,00 -> -11,00; -3% -> -13%; +39 -> +139
    assert lines_of(ReceiptDocument(totals=(ValueRow(label, longer),)), columns) == [
        label,
        longer.rjust(columns),
    ]


def test_a_value_that_would_touch_the_label_never_runs_into_it() -> None:
    # 28 + 4 = 32 leaves no column for the space: the amount goes to its own line.
    row = ValueRow("Оплачено подарочной картой №", "5,00")
    assert lines_of(ReceiptDocument(totals=(row,))) == [
        "Оплачено подарочной картой №",
        " " * 28 + "5,00",
    ]


def test_a_wrapped_label_keeps_its_first_line_and_ends_with_the_value() -> None:
    row = ValueRow("Скидка по карте постоянного покупателя", "-10,00")
    assert lines_of(ReceiptDocument(totals=(row,))) == [
        "Скидка по карте постоянного",  # 27: "покупателя" would make it 38
        "покупателя" + " " * 16 + "-10,00",  # 10 + 16 + 6 = 32
    ]


def test_a_value_without_a_label_is_right_aligned_alone() -> None:
    assert lines_of(ReceiptDocument(totals=(ValueRow("", "5,00"),))) == [" " * 28 + "5,00"]


def test_a_value_wider_than_the_paper_wraps_right_aligned_under_its_label() -> None:
    row = ValueRow("Номер операции", "4000 1234 5678 9010 1234 5678 9012 3456")  # 39 characters
    assert lines_of(ReceiptDocument(totals=(row,))) == [
        "Номер операции",
        "   4000 1234 5678 9010 1234 5678",  # 29 characters, 3 spaces before
        " " * 23 + "9012 3456",
    ]


def test_a_hyphenated_word_is_never_split_at_its_hyphen() -> None:
    doc = ReceiptDocument(
        items=(ItemLine("Соус китайский острый кисло-сладкий", "1 x 99,90", "99,90"),)
    )
    assert lines_of(doc)[:2] == [
        "Соус китайский острый",  # "кисло-" would still fit (28), but the word moves whole
        "кисло-сладкий",
    ]


def test_item_adjustment_is_indented_two_and_its_note_four_columns() -> None:
    discount = ValueRow("Скидка 10%", "-28,00", note="по карте 2000000000017")
    doc = ReceiptDocument(items=(ItemLine("Сыр", "0,350 x 800,00", "280,00", (discount,)),))
    assert lines_of(doc) == [
        "Сыр",
        "  0,350 x 800,00" + " " * 10 + "280,00",  # 16 + 10 + 6 = 32
        "  Скидка 10%" + " " * 14 + "-28,00",  # 12 + 14 + 6 = 32
        "    по карте 2000000000017",
    ]


def test_a_long_note_keeps_its_indent_on_every_line() -> None:
    row = ValueRow(
        "Ожидают", "+39", note="станут доступны 15.02.2026 после окончания срока возврата"
    )
    assert lines_of(ReceiptDocument(totals=(row,))) == [
        "Ожидают" + " " * 22 + "+39",  # 7 + 22 + 3 = 32
        "  станут доступны 15.02.2026",  # 2 + 26; "после" would make 34
        "  после окончания срока возврата",  # 2 + 30 = 32
    ]


def test_every_item_and_every_footer_paragraph_is_printed_in_order() -> None:
    doc = ReceiptDocument(
        items=(ItemLine("Пакет", "", "5,00"), ItemLine("Пакет большой", "", "9,00")),
        footer=("Спасибо", "", "Ждём вас"),
    )
    assert lines_of(doc) == [
        "Пакет" + " " * 23 + "5,00",
        "Пакет большой" + " " * 15 + "9,00",
        "-" * 32,
        " " * 12 + "Спасибо",  # (32 - 7) / 2 = 12.5: the extra space goes right
        "",  # an empty paragraph is an empty line
        " " * 12 + "Ждём вас",
    ]


def test_an_empty_line_inside_a_paragraph_is_kept() -> None:
    assert lines_of(ReceiptDocument(footer=("Спасибо\n\nЖдём вас",))) == [
        " " * 12 + "Спасибо",
        "",
        " " * 12 + "Ждём вас",
    ]


@pytest.mark.parametrize("columns", [16, 96])
def test_the_narrowest_and_widest_supported_papers_are_laid_out(columns: int) -> None:
    lines = lines_of(ReceiptDocument(totals=(ValueRow("Итого", "1,00"),)), columns)
    assert lines == ["Итого" + " " * (columns - 9) + "1,00"]
