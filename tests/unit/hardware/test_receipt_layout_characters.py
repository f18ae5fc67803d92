"""Odd characters in caller text (product names from a supplier's file, notes pasted from a web
page): invisible ones take no column and print nothing, every kind of whitespace is one plain
space, and nothing unprintable reaches the paper."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardware import PrintFormat
from hardware.escpos_render import codepage_text, render_receipt
from hardware.receipt import ItemLine, ReceiptDocument, ValueRow
from hardware.receipt_layout import clean_text, layout_receipt


def lines_of(doc: ReceiptDocument, columns: int = 32) -> list[str]:
    return layout_receipt(doc, columns).as_text().split("\n")


def bag_line(name: str) -> list[str]:
    """An item sold without a quantity: the name, and its amount in the last four columns."""
    return lines_of(ReceiptDocument(items=(ItemLine(name, "", "5,00"),)))


@pytest.mark.parametrize(
    "invisible",
    [
        "\u00ad",  # soft hyphen (a hyphenation hint from a word processor)
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark at the start of an imported name
    ],
)
def test_invisible_format_characters_take_no_column(invisible: str) -> None:
    assert bag_line(f"{invisible}Паке{invisible}т{invisible}") == [
        "Пакет" + " " * 23 + "5,00"  # 5 + 23 + 4 = 32: the invisible ones count for nothing
    ]


@pytest.mark.parametrize(
    "unprintable",
    [
        "\ud83d",  # half of an emoji's surrogate pair, left by a broken import (Cs)
        "\uf8ff",  # a private-use icon some fonts draw as a logo (Co)
        "\ue000",  # another private-use character (Co)
        "\u0378",  # a code point Unicode has not assigned (Cn)
        "\x07",  # a control character, the bell (Cc)
    ],
)
def test_characters_no_printer_has_are_dropped_and_take_no_column(unprintable: str) -> None:
    assert bag_line(f"Пакет {unprintable}майка") == ["Пакет майка" + " " * 17 + "5,00"]  # 11+17+4


def test_a_name_exactly_as_wide_as_the_paper_stays_on_one_line_despite_soft_hyphens() -> None:
    # 32 visible characters and three soft hyphens: still one line of 32, not 35 wrapped.
    footer = "Спасибо за по\u00adкуп\u00adку! Ждём вас ещ\u00adё"
    assert lines_of(ReceiptDocument(footer=(footer,))) == ["Спасибо за покупку! Ждём вас ещё"]


def test_soft_hyphens_and_zero_width_spaces_print_nothing_not_a_question_mark() -> None:
    doc = ReceiptDocument(footer=("Мо\u00adло\u200bко\ufeff",), cut=False)
    output = render_receipt(doc, PrintFormat(profile="POS-5890"))
    # "Молоко" is 6 characters: (32 - 6) / 2 = 13 spaces before it on 32 columns.
    assert b" " * 13 + "Молоко".encode("cp866") + b"\n" in output
    assert b"?" not in output


def test_a_tab_is_one_space_not_a_jump_to_the_next_tab_stop() -> None:
    assert bag_line("Футболка\tXL") == ["Футболка XL" + " " * 17 + "5,00"]  # 11 + 17 + 4 = 32


def test_a_tab_in_an_amount_is_one_space_too() -> None:
    row = ValueRow("Итого", "1\t000,00")
    assert lines_of(ReceiptDocument(totals=(row,))) == ["Итого" + " " * 19 + "1 000,00"]


@pytest.mark.parametrize(
    "separator",
    [
        "\r",  # carriage return
        "\u2028",  # Unicode line separator
        "\u2029",  # Unicode paragraph separator
    ],
)
def test_a_line_or_paragraph_separator_inside_an_amount_prints_as_a_space(separator: str) -> None:
    row = ValueRow("Итого", f"1{separator}000,00")
    assert lines_of(ReceiptDocument(totals=(row,))) == ["Итого" + " " * 19 + "1 000,00"]


def test_a_letter_and_its_accent_compose_across_an_invisible_character() -> None:
    # "И", a zero-width space, a combining breve: "Й" once the invisible character is gone
    name = "И\u200b\u0306огурт"
    assert bag_line(name) == ["Йогурт" + " " * 22 + "5,00"]  # 6 + 22 + 4 = 32
    output = render_receipt(ReceiptDocument(items=(ItemLine(name, "", "5,00"),)), PrintFormat())
    assert "Йогурт".encode("cp866") in output and b"?" not in output


def test_a_stress_mark_the_code_page_lacks_is_left_out_not_printed_as_a_question_mark() -> None:
    doc = ReceiptDocument(items=(ItemLine("Молоко «Пра\u0301вильное»", "", "89,90"),), cut=False)
    output = render_receipt(doc, PrintFormat(profile="POS-5890"))
    # 'Молоко "Правильное"' is 19 columns: 19 + 8 spaces + "89,90" (5) = 32
    assert ('Молоко "Правильное"' + " " * 8 + "89,90\n").encode("cp866") in output
    assert b"?" not in output


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_preparing_prepared_text_changes_nothing(text: str) -> None:
    # The layout prepares a value, then wraps (and so prepares) it again when it is long.
    for prepare in (clean_text, codepage_text("CP866"), codepage_text("CP1251")):
        once = prepare(text)
        assert prepare(once) == once
