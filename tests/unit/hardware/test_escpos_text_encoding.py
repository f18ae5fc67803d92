"""The receipt text encoded straight with the code page's codec, and the commands python-escpos
builds once per format: exact bytes, so a fast path that drifts from what the printer must get
fails here."""

from __future__ import annotations

import unicodedata

import pytest
import qrcode
from escpos import capabilities
from escpos.magicencode import Encoder
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware import PrintFormat
from hardware.codepage import _LOOK_ALIKES, code_page
from hardware.escpos_render import render_chunks, render_receipt
from hardware.receipt import ItemLine, QrCode, ReceiptDocument, ValueRow
from hardware.receipt_layout import NO_BREAK_SPACE, clean_text

START_58MM = b"\x1b@\x1bt\x11"  # ESC @, ESC t 17 (CP866 on POS-5890)
# python-escpos' set(): ESC ! 0 twice, then ESC ! n for the size, then ESC E n for bold
TOTAL_STYLE = b"\x1b!\x00\x1b!\x00\x1b!\x10\x1bE\x01"  # double height, bold
BODY_STYLE = b"\x1b!\x00\x1b!\x00\x1b!\x00\x1bE\x00"  # normal size, not bold
FEED_4 = b"\x1bd\x04"  # ESC d 4: a receipt without a cut is fed out
USABLE_CODE_PAGES = sorted(
    name
    for name, encoding in capabilities.CAPABILITIES["encodings"].items()
    if "python_encode" in encoding or "data" in encoding
)


def test_a_russian_line_is_sent_as_its_cp866_bytes() -> None:
    doc = ReceiptDocument(items=(ItemLine("Хлеб чёрный", "", "54,90"),), cut=False)
    output = render_receipt(doc, PrintFormat(profile="POS-5890"))
    # Х=95 л=AB е=A5 б=A1, ч=E7 ё=F1 р=E0 н=AD ы=EB й=A9; 11 + 16 spaces + "54,90" = 32
    line = b"\x95\xab\xa5\xa1 \xe7\xf1\xe0\xad\xeb\xa9" + b" " * 16 + b"54,90\n"
    assert output == START_58MM + line + FEED_4


def test_the_total_alone_is_bold_and_double_height_and_the_lines_after_it_are_not() -> None:
    totals = (
        ValueRow("Сумма", "10,00"),
        ValueRow("ИТОГО", "10,00", emphasis=True),
        ValueRow("Сдача", "0,00"),
    )
    output = render_receipt(
        ReceiptDocument(totals=totals, cut=False), PrintFormat(profile="POS-5890")
    )
    lines = [
        ("Сумма" + " " * 22 + "10,00\n").encode("cp866"),
        ("ИТОГО" + " " * 22 + "10,00\n").encode("cp866"),
        ("Сдача" + " " * 23 + "0,00\n").encode("cp866"),
    ]
    assert output == (
        START_58MM + lines[0] + TOTAL_STYLE + lines[1] + BODY_STYLE + lines[2] + FEED_4
    )


@pytest.mark.parametrize(
    ("codepage", "printed"),
    [
        ("CP866", 'Сок "Добрый" - 2x1 л... 9 р.'),  # CP866 has none of «»—×…₽
        ("CP1251", "Сок «Добрый» — 2x1 л… 9 р."),  # CP1251 has «»—… but not × or ₽
    ],
)
def test_a_character_the_code_page_lacks_becomes_its_look_alike(
    codepage: str, printed: str
) -> None:
    doc = ReceiptDocument(footer=("Сок «Добрый» — 2×1 л… 9 ₽",), cut=False)
    output = render_receipt(doc, PrintFormat(codepage=codepage, columns=48))
    assert printed.encode(codepage) in output
    assert b"?" not in output


def test_a_no_break_space_is_sent_as_0x20_in_cp1251_too() -> None:
    doc = ReceiptDocument(totals=(ValueRow("Итого", f"1{NO_BREAK_SPACE}311,82"),), cut=False)
    output = render_receipt(doc, PrintFormat(codepage="CP1251"))
    assert "1 311,82\n".encode("cp1251") in output
    assert b"\xa0" not in output  # CP1251's own no-break space


@pytest.mark.parametrize("codepage", ["CP866", "CP1251"])
def test_every_printable_character_is_the_byte_pythons_codec_gives(codepage: str) -> None:
    page = code_page(codepage)
    for char in sorted(page.characters - {NO_BREAK_SPACE}):
        assert page.encode(char) == char.encode(codepage), repr(char)
    assert page.encode(NO_BREAK_SPACE) == b" "


@pytest.mark.parametrize("codepage", USABLE_CODE_PAGES)
def test_every_printable_character_is_the_byte_python_escpos_would_send(codepage: str) -> None:
    library = Encoder({codepage: 0})
    page = code_page(codepage)
    for byte in range(256):
        char = chr(byte) if byte < 128 else library._get_codepage_char_list(codepage)[byte - 128]
        assert char in page.characters
        if char != NO_BREAK_SPACE:
            assert page.encode(char) == library.encode(char, codepage), (byte, char)


def _prepared_char_by_char(codepage: str, text: str) -> str:
    """The preparation as python-escpos' encoder judges it, one character at a time."""
    library = Encoder({codepage: 0})
    out: list[str] = []
    for char in clean_text(text):
        if char == NO_BREAK_SPACE or library.can_encode(codepage, char):
            out.append(char)
        elif unicodedata.category(char) not in ("Mn", "Me"):
            lookalike = _LOOK_ALIKES.get(char, "?")
            out.extend(c if library.can_encode(codepage, c) else "?" for c in lookalike)
    return "".join(out)


_RECEIPT_TEXT = st.text(
    alphabet=st.sampled_from(
        "Молоко ёЁйЙ 0123456789,.%-"  # what almost every line is made of
        "eaoAE"  # letters a combining accent composes with
        "«»—…₽€×\u00a0\u202f\u2009\t\r\n\u2028"  # look-alikes, spaces
        "\u00ad\u200b\ufeff\x07\x1b\x00"  # invisible and control characters
        "\u0301\u0306\u0308"  # combining stress, breve, diaeresis
        "éÅΩ中😀\ue000"  # letters other code pages have, and none has
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(_RECEIPT_TEXT)
@pytest.mark.parametrize("codepage", ["CP866", "CP1251", "CP437", "CP1258"])  # 1258: marks
def test_prepared_text_is_what_the_character_by_character_rules_give(
    codepage: str, text: str
) -> None:
    assert code_page(codepage).prepare(text) == _prepared_char_by_char(codepage, text)


# Either side of where the module size drops on 504 dots: versions 16|17 (6|5), 20|21 (5|4),
# 26|27 (4|3); the payload's digits are numeric mode.
@pytest.mark.parametrize(
    ("codepage", "text", "prepared"),
    [
        ("CP866", "И\u0306огурт", "Йогурт"),  # CP866 has no combining breve, but has Й
        ("CP1258", "Cafe\u0301", "Caf\u00e9"),  # CP1258 has both the accent and é: é wins
        ("CP866", "Пра\u0301вильное", "Правильное"),
    ],
)
def test_a_letter_and_a_combining_accent_are_composed_first(
    codepage: str, text: str, prepared: str
) -> None:
    assert code_page(codepage).prepare(text) == prepared


@pytest.mark.parametrize("length", [20, 1009, 1010, 1527, 1528, 2470, 2471])
def test_native_qr_module_size_is_the_one_the_whole_code_would_fit_at(length: int) -> None:
    payload = "https://survey.example.ru/r/" + "7" * length
    output = render_receipt(ReceiptDocument(qr=QrCode(payload)), PrintFormat())
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    code.add_data(payload)
    code.make(fit=True)
    expected = max(1, min(6, 42 * 12 // (code.modules_count + 2)))  # default profile: 504 dots
    at = output.index(b"\x1d(k\x03\x001C") + 7  # GS ( k pL pH cn fn=C size
    assert output[at] == expected
    assert payload.encode() in output


def test_commands_cached_for_one_format_are_not_sent_for_another() -> None:
    doc = ReceiptDocument(totals=(ValueRow("Итого", "1,00"),), open_drawer=True)
    kanji_pin5 = render_receipt(doc, PrintFormat(cancel_kanji=True, drawer_pin=5))
    plain = render_receipt(doc, PrintFormat())
    assert kanji_pin5.startswith(b"\x1b@\x1c.\x1bt\x11\x1bp\x01")  # FS ., ESC t 17, kick pin 5
    assert plain.startswith(b"\x1b@\x1bt\x11\x1bp\x00")  # kick pin 2


def test_the_chunks_joined_are_the_job() -> None:
    doc = ReceiptDocument(
        items=(ItemLine("Хлеб", "1 x 54,90", "54,90"),),
        totals=(ValueRow("ИТОГО", "54,90", emphasis=True),),
        qr=QrCode("https://survey.example.ru/r/1", "Оцените кассира"),
        open_drawer=True,
    )
    for print_format in (PrintFormat(), PrintFormat(profile="POS-5890", qr="image")):
        assert b"".join(render_chunks(doc, print_format)) == render_receipt(doc, print_format)
