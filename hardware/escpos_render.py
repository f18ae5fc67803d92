"""A receipt turned into ESC/POS bytes with python-escpos, in memory (its Dummy printer).

The whole job is built before the first byte is sent, so a bad profile or code page fails early
and every backend (and a test) sends exactly the same bytes.

Cyrillic: the job starts with ESC @ (reset) and ESC t n selecting ONE code page for the whole
receipt (CP866 by default, n taken from the printer profile); python-escpos' per-character
code page guessing is switched off. Characters the code page lacks are mapped to look-alikes
before layout (so column counts stay right), or to "?"; an accent or stress mark it lacks is
left out (the letter prints plain). A no-break space keeps a grouped number on one line through
the layout and is sent as a plain space (0x20), never as the code page's own no-break space
byte (0xFF in CP866).

python-escpos is imported lazily: importing it calls logging.basicConfig() and parses its printer
database, which must not happen just because the till imported `hardware`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import qrcode

from hardware.errors import PrinterConfigError
from hardware.printer_config import PrintFormat
from hardware.receipt import ReceiptDocument
from hardware.receipt_layout import (
    MAX_COLUMNS,
    MIN_COLUMNS,
    NO_BREAK_SPACE,
    QrBlock,
    ReceiptLayout,
    TextLine,
    TextPreparer,
    clean_text,
    layout_receipt,
)

FS_CANCEL_KANJI = b"\x1c\x2e"  # FS . : leave Chinese double-byte mode (some cheap printers)
GS_V0_RASTER = b"\x1dv0\x00"  # GS v 0, normal density
DOTS_PER_COLUMN = 12  # font A is 12 dots wide: 32 columns = 384 dots (58 mm), 48 = 576 (80 mm)

_LOOK_ALIKES = {
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("«»„“”″", '"'),
    **dict.fromkeys("‘’‚′", "'"),
    "…": "...",
    "₽": "р.",
    "€": "EUR",
    "№": "N",
    "•": "*",
    "×": "x",
}


@dataclass(frozen=True)
class ResolvedFormat:
    """A PrintFormat checked against the python-escpos printer database."""

    profile: str
    codepage: str
    codepage_slot: int
    columns: int
    native_qr: bool
    qr_size: int
    drawer_pin: int
    cancel_kanji: bool
    paper_dots: int | None  # printable width from the profile, if it knows it


def resolve_format(print_format: PrintFormat) -> ResolvedFormat:
    """Check the profile and code page; raise PrinterConfigError naming what to change."""
    from escpos import capabilities

    try:
        profile = capabilities.get_profile(print_format.profile)
    except KeyError:
        raise PrinterConfigError(
            f"unknown printer profile {print_format.profile!r}; "
            "e.g. default, TM-T20II, TM-T88V, POS-5890 (docs/HARDWARE.md lists them)"
        ) from None
    codepage = print_format.codepage.upper()
    encoding = capabilities.CAPABILITIES["encodings"].get(codepage, {})
    if "python_encode" not in encoding and "data" not in encoding:
        raise PrinterConfigError(f"unknown or unusable code page {codepage!r}; e.g. CP866")
    slot = print_format.codepage_slot
    if slot is None:
        slot = _profile_slot(print_format.profile, profile.codePages, codepage)
    native_qr = print_format.qr == "native" or (
        print_format.qr == "auto" and bool(profile.supports("qrCode"))
    )
    pixels = profile.profile_data.get("media", {}).get("width", {}).get("pixels")
    columns = print_format.columns or int(profile.get_columns(0))
    if not MIN_COLUMNS <= columns <= MAX_COLUMNS:
        raise PrinterConfigError(
            f"profile {print_format.profile!r} reports {columns} columns; set columns=16..96"
        )
    return ResolvedFormat(
        profile=print_format.profile,
        codepage=codepage,
        codepage_slot=slot,
        columns=columns,
        native_qr=native_qr,
        qr_size=print_format.qr_size,
        drawer_pin=print_format.drawer_pin,
        cancel_kanji=print_format.cancel_kanji,
        paper_dots=pixels if isinstance(pixels, int) else None,
    )


def render_receipt(doc: ReceiptDocument, print_format: PrintFormat | ResolvedFormat) -> bytes:
    """The ESC/POS bytes of `doc`. Pure computation: no I/O, safe on any thread."""
    resolved = (
        resolve_format(print_format) if isinstance(print_format, PrintFormat) else print_format
    )
    layout = layout_receipt(doc, resolved.columns, codepage_text(resolved.codepage))
    return render_layout(layout, resolved)


def render_layout(layout: ReceiptLayout, resolved: ResolvedFormat) -> bytes:
    from escpos.magicencode import Encoder
    from escpos.printer import Dummy

    encoder = Encoder({resolved.codepage: resolved.codepage_slot})
    out = Dummy(profile=resolved.profile, magic_encode_args={"encoder": encoder})
    out.hw("INIT")  # ESC @ resets the code page too, so ESC t must follow it
    if resolved.cancel_kanji:
        out._raw(FS_CANCEL_KANJI)
    out.charcode(resolved.codepage)  # emits ESC t n and pins the code page
    if layout.open_drawer:
        out.cashdraw(resolved.drawer_pin)
    style = (False, False)
    for element in layout.elements:
        if isinstance(element, TextLine):
            if (element.bold, element.tall) != style:
                style = (element.bold, element.tall)
                _set_style(out, *style)
            out.textln(element.text.replace(NO_BREAK_SPACE, " "))
        else:
            _print_qr(out, element, resolved, layout.columns)
    if style != (False, False):
        _set_style(out, False, False)
    if layout.cut:
        out.cut()  # feeds past the cutter first; prints no cut on profiles without a cutter
    elif layout.elements:
        out.print_and_feed(4)
    return bytes(out.output)


def codepage_text(codepage: str) -> TextPreparer:
    """clean_text, then every character the code page lacks mapped to a look-alike or "?"."""
    from escpos.magicencode import Encoder

    encoder = Encoder({codepage: 0})
    known: dict[str, bool] = {}

    def printable(char: str) -> bool:
        if char not in known:
            known[char] = bool(encoder.can_encode(codepage, char))
        return known[char]

    def prepare(text: str) -> str:
        out: list[str] = []
        for char in clean_text(text):
            if char == NO_BREAK_SPACE or printable(char):
                out.append(char)  # a no-break space holds a number together, prints as " "
            elif unicodedata.category(char) in ("Mn", "Me"):
                continue  # an accent or stress mark the code page lacks: the letter alone
            else:
                out.extend(c if printable(c) else "?" for c in _LOOK_ALIKES.get(char, "?"))
        return "".join(out)

    return prepare


def _profile_slot(name: str, code_pages: dict[str, str], codepage: str) -> int:
    slots = sorted(int(slot) for slot, page in code_pages.items() if page == codepage)
    if not slots:
        raise PrinterConfigError(
            f"printer profile {name!r} has no {codepage}; pick the profile of your printer, "
            f"or set codepage_slot=N from the code page table on its self-test page"
        )
    return slots[0]


def _set_style(out: Any, bold: bool, tall: bool) -> None:
    out.set(bold=bold, double_height=tall, normal_textsize=not tall)


def _print_qr(out: Any, block: QrBlock, resolved: ResolvedFormat, columns: int) -> None:
    from escpos.constants import QR_ECLEVEL_M

    width = resolved.paper_dots or columns * DOTS_PER_COLUMN
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    code.add_data(block.payload)
    code.make(fit=True)
    # The largest module size up to the wanted one whose code (with its border) fits the paper.
    size = max(1, min(resolved.qr_size, width // (code.modules_count + 2)))
    out.set(align="center")
    if resolved.native_qr:
        out.qr(block.payload, ec=QR_ECLEVEL_M, size=size, native=True)
    else:
        code.box_size = size
        _print_raster_qr(out, code, width)
    out.set(align="left")


def _print_raster_qr(out: Any, code: qrcode.QRCode[Any], width_dots: int) -> None:
    """The QR code as a GS v 0 raster image, centred by padding it to the paper width.

    (python-escpos' own image QR prints a notice to stdout for profiles without a paper width.)
    """
    from escpos.image import EscposImage

    image = EscposImage(code.make_image().get_image())
    if image.width < width_dots:
        image.center(width_dots)
    size_bytes = image.width_bytes.to_bytes(2, "little") + image.height.to_bytes(2, "little")
    out._raw(GS_V0_RASTER + size_bytes + image.to_raster_format())
