"""ESC/POS bytes as python-escpos' Dummy printer records them."""

from __future__ import annotations

import pytest
import qrcode
from escpos.constants import CD_KICK_2, CD_KICK_5, PAPER_FULL_CUT

from hardware import PrinterConfigError, PrintFormat, open_printer
from hardware.escpos_render import FS_CANCEL_KANJI, render_receipt
from hardware.receipt import ItemLine, QrCode, ReceiptDocument, ValueRow

RESET = b"\x1b@"
SELECT_CP866_ON_DEFAULT_PROFILE = b"\x1bt\x11"  # ESC t 17
NATIVE_QR = b"\x1d(k"  # GS ( k
RASTER_IMAGE = b"\x1dv0"  # GS v 0
BOLD_ON, DOUBLE_HEIGHT = b"\x1bE\x01", b"\x1b!\x10"
RUSSIAN = "Съешь же ещё этих мягких французских булок"


def receipt(**changes: object) -> ReceiptDocument:
    base: dict[str, object] = {
        "title": "Кассовый чек",
        "items": (ItemLine(RUSSIAN, "1 x 10,00", "10,00"),),
        "totals": (ValueRow("ИТОГО", "10,00", emphasis=True),),
    }
    return ReceiptDocument(**{**base, **changes})  # type: ignore[arg-type]


def test_dummy_printer_output_decodes_as_cp866_russian_after_the_code_page_command() -> None:
    printer = open_printer("dummy://")
    printer.print_receipt(receipt())
    output = printer.transport.output  # type: ignore[attr-defined]

    assert output.startswith(RESET + SELECT_CP866_ON_DEFAULT_PROFILE)
    text = output.decode("cp866")
    assert "Съешь же ещё этих мягких" in text and "Кассовый чек" in text
    assert output.index(SELECT_CP866_ON_DEFAULT_PROFILE) < output.index("Съешь".encode("cp866"))
    assert output.count(b"\x1bt") == 1, "one code page for the whole receipt"
    assert "Съешь".encode() not in output, "no UTF-8 on the wire"


def test_code_page_slot_comes_from_the_printer_profile() -> None:
    star = render_receipt(receipt(), PrintFormat(profile="TSP600"))  # Star: CP866 is slot 10
    assert star.startswith(RESET + b"\x1bt\x0a")
    assert RUSSIAN.encode("cp866") in star


def test_lowest_slot_wins_when_a_profile_lists_the_code_page_twice() -> None:
    citizen = render_receipt(receipt(), PrintFormat(profile="CT-S651"))  # CP866 in slots 7 and 17
    assert citizen.startswith(RESET + b"\x1bt\x07")


def test_configured_slot_and_code_page_override_the_profile() -> None:
    cp1251 = render_receipt(receipt(), PrintFormat(codepage="CP1251"))
    assert cp1251.startswith(RESET + b"\x1bt\x2e")  # slot 46
    assert RUSSIAN.encode("cp1251") in cp1251
    forced = render_receipt(receipt(), PrintFormat(codepage_slot=59))
    assert forced.startswith(RESET + b"\x1bt\x3b") and RUSSIAN.encode("cp866") in forced


def test_cancel_kanji_leaves_chinese_mode_before_selecting_the_code_page() -> None:
    output = render_receipt(receipt(), PrintFormat(cancel_kanji=True))
    assert output.startswith(RESET + FS_CANCEL_KANJI + SELECT_CP866_ON_DEFAULT_PROFILE)


@pytest.mark.parametrize(
    ("print_format", "reason"),
    [
        (PrintFormat(profile="no-such-printer"), "unknown printer profile"),
        (PrintFormat(codepage="KOI8-R-NOPE"), "code page"),
        (PrintFormat(profile="TM-U220"), "codepage_slot"),  # profile without CP866
    ],
)
def test_misconfigured_format_is_refused_before_printing(
    print_format: PrintFormat, reason: str
) -> None:
    with pytest.raises(PrinterConfigError, match=reason):
        render_receipt(receipt(), print_format)


def test_characters_missing_from_cp866_are_replaced_by_look_alikes() -> None:
    doc = receipt(footer=("«Ромашка» — 1\u202f311,82 ₽ 😀",))
    text = render_receipt(doc, PrintFormat()).decode("cp866")
    assert '"Ромашка" - 1 311,82 р. ?' in text


def test_a_no_break_space_prints_as_a_plain_space_not_cp866_byte_ff() -> None:
    doc = ReceiptDocument(totals=(ValueRow("Итого", "1\u00a0311,82"),), cut=False)
    output = render_receipt(doc, PrintFormat(profile="POS-5890"))
    # 32 columns: "Итого" (5) + 19 spaces + "1 311,82" (8) = 32
    assert "Итого".encode("cp866") + b" " * 19 + b"1 311,82\n" in output
    assert b"\xff" not in output


def test_a_no_break_space_still_keeps_a_grouped_amount_on_one_line() -> None:
    # 32 columns. With plain spaces the first line would end in "...за год 12 345" (27);
    # the no-break spaces make "12 345 678,90" one word, so it moves down whole.
    amount = "12\u00a0345\u00a0678,90"
    doc = ReceiptDocument(footer=(f"Сумма покупок за год {amount} руб.",), cut=False)
    output = render_receipt(doc, PrintFormat(profile="POS-5890"))
    lines = [
        " " * 6 + "Сумма покупок за год",  # 20 characters, (32 - 20) / 2 = 6 to the left
        " " * 7 + "12 345 678,90 руб.",  # 18 characters, (32 - 18) / 2 = 7 to the left
    ]
    text = "".join(line + "\n" for line in lines)
    assert output.startswith(RESET + SELECT_CP866_ON_DEFAULT_PROFILE + text.encode("cp866"))


def test_native_qr_is_centred_and_carries_the_payload() -> None:
    url = "https://example.com/survey?r=42"
    output = render_receipt(receipt(qr=QrCode(url, "Оцените кассира")), PrintFormat())
    qr_at = output.index(NATIVE_QR)
    assert output.rindex(b"\x1ba\x01", 0, qr_at) > output.rindex(b"\n", 0, qr_at)  # ESC a 1
    assert url.encode() in output[qr_at:]
    assert "Оцените кассира".encode("cp866") in output[qr_at:]


def test_profile_without_native_qr_gets_a_raster_image() -> None:
    output = render_receipt(receipt(qr=QrCode("2000000000017")), PrintFormat(profile="POS-5890"))
    assert RASTER_IMAGE in output and NATIVE_QR not in output
    forced = render_receipt(
        receipt(qr=QrCode("2000000000017")), PrintFormat(profile="POS-5890", qr="native")
    )
    assert NATIVE_QR in forced


@pytest.mark.parametrize(
    ("profile", "paper_dots"),
    [
        ("POS-5890", 384),  # 58 mm, 32 columns
        ("TM-T20II", 576),  # 80 mm, 48 columns
        ("P822D", 576),  # 80 mm in 42 columns: the paper, not 42 x 12 = 504 dots
        ("TM-T88V", 512),  # 80 mm at 180 dpi, 42 columns
        ("default", 504),  # a profile that does not know its paper: 42 columns x 12 dots
    ],
)
def test_raster_qr_holds_the_payload_modules_centred_on_the_paper(
    profile: str, paper_dots: int
) -> None:
    payload = "2000000000017"
    doc = ReceiptDocument(qr=QrCode(payload), cut=False)
    output = render_receipt(doc, PrintFormat(profile=profile, qr="image"))
    at = output.index(RASTER_IMAGE + b"\x00") + 4
    row_bytes, height = (int.from_bytes(output[i : i + 2], "little") for i in (at, at + 2))
    raster = output[at + 4 : at + 4 + row_bytes * height]
    black = {
        (x, y)
        for y in range(height)
        for x in range(row_bytes * 8)
        if raster[y * row_bytes + x // 8] & (0x80 >> x % 8)
    }
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    expected.add_data(payload)
    modules = expected.get_matrix()
    left, right = min(x for x, _ in black), max(x for x, _ in black)
    top = min(y for _, y in black)
    size = (right - left + 1) // len(modules)
    printed = [
        [
            (left + col * size + size // 2, top + row * size + size // 2) in black
            for col in range(len(modules))
        ]
        for row in range(len(modules))
    ]
    assert row_bytes * 8 == paper_dots
    assert printed == modules
    assert abs((left + right + 1) / 2 - paper_dots / 2) <= 0.5  # centred to the dot


def test_qr_module_size_shrinks_so_a_long_payload_fits_narrow_paper() -> None:
    def module_size(payload: str) -> int:
        output = render_receipt(receipt(qr=QrCode(payload)), PrintFormat(columns=32))
        at = output.index(b"\x1d(k\x03\x001C") + 7  # GS ( k pL pH cn fn=C size
        return output[at]

    assert module_size("https://example.com/s/1") == 6
    assert module_size("https://example.com/s/" + "x" * 300) < 6


def test_cut_is_sent_only_when_asked_and_the_profile_has_a_cutter() -> None:
    assert render_receipt(receipt(cut=True), PrintFormat()).endswith(PAPER_FULL_CUT)
    assert PAPER_FULL_CUT not in render_receipt(receipt(cut=False), PrintFormat())
    no_cutter = render_receipt(receipt(cut=True), PrintFormat(profile="POS-5890"))
    assert b"\x1dV" not in no_cutter


def test_cash_drawer_kick_on_the_configured_pin() -> None:
    assert CD_KICK_2 not in render_receipt(receipt(), PrintFormat())
    assert CD_KICK_2 in render_receipt(receipt(open_drawer=True), PrintFormat())
    assert CD_KICK_5 in render_receipt(receipt(open_drawer=True), PrintFormat(drawer_pin=5))


def test_drawer_only_document_opens_the_drawer_and_prints_nothing() -> None:
    output = render_receipt(ReceiptDocument(cut=False, open_drawer=True), PrintFormat())
    assert output == RESET + SELECT_CP866_ON_DEFAULT_PROFILE + CD_KICK_2


def test_emphasised_total_is_bold_and_double_height_then_style_resets() -> None:
    output = render_receipt(receipt(), PrintFormat())
    total_at = output.index("ИТОГО".encode("cp866"))
    before = output[:total_at]
    assert before.rindex(BOLD_ON) > before.rindex(b"\n")
    assert before.rindex(DOUBLE_HEIGHT) > before.rindex(b"\n")
    assert b"\x1bE\x00" in output[total_at:]


@pytest.mark.parametrize(("profile", "columns"), [("POS-5890", 32), ("default", 42)])
def test_columns_follow_the_profile_unless_configured(profile: str, columns: int) -> None:
    doc = ReceiptDocument(totals=(ValueRow("Итого", "1,00"),), cut=False)
    lines = render_receipt(doc, PrintFormat(profile=profile)).decode("cp866").split("\n")
    assert any(line.endswith("Итого".ljust(columns - 4) + "1,00") for line in lines)
    wide = render_receipt(doc, PrintFormat(profile=profile, columns=48)).decode("cp866")
    assert "Итого".ljust(44) + "1,00" in wide
