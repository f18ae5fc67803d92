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

Speed: python-escpos builds every command (ESC t, styles, GS ( k, cut, drawer kick), once per
print format for those that do not depend on the receipt; the text is encoded with the code
page's codec (hardware.codepage) rather than by python-escpos' encoder, character by character.
A native QR needs only its version (for the module size), never its modules.

python-escpos is imported lazily: importing it calls logging.basicConfig() and parses its printer
database, which must not happen just because the till imported `hardware`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import qrcode

from hardware.codepage import code_page
from hardware.errors import PrinterConfigError
from hardware.printer_config import PrintFormat, parse_printer_url
from hardware.receipt import ReceiptDocument
from hardware.receipt_layout import (
    MAX_COLUMNS,
    MIN_COLUMNS,
    QrBlock,
    ReceiptLayout,
    TextLine,
    TextPreparer,
    layout_receipt,
)

FS_CANCEL_KANJI = b"\x1c\x2e"  # FS . : leave Chinese double-byte mode (some cheap printers)
GS_V0_RASTER = b"\x1dv0\x00"  # GS v 0, normal density
DOTS_PER_COLUMN = 12  # font A is 12 dots wide: 32 columns = 384 dots (58 mm), 48 = 576 (80 mm)

PLAIN = (False, False)  # (bold, double height) of body text


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


@lru_cache(maxsize=32)
def resolve_format(print_format: PrintFormat) -> ResolvedFormat:
    """Check the profile and code page; raise PrinterConfigError naming what to change.

    Cached: a till prints with one or two formats, and a refused one is not cached.
    """
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


@dataclass(frozen=True)
class EscposCommands:
    """The command bytes of one print format, as python-escpos builds them."""

    start: bytes  # ESC @, FS . if asked, ESC t n
    drawer: bytes
    styles: Mapping[tuple[bool, bool], bytes]  # (bold, double height) -> the commands for it
    cut: bytes  # feed past the cutter and cut; nothing on a profile without a cutter
    feed: bytes  # feed a receipt that is not cut out of the printer


PREVIEW_COLUMNS = 42  # an 80 mm printer's usual width in font A, when there is no printer


def paper_columns(printer_url: str) -> int:
    """The columns the printer at ``printer_url`` prints (its profile's, or ``columns=``), for
    showing a receipt on screen as it prints; 42 with no printer or a URL that cannot work."""
    if not printer_url.strip():
        return PREVIEW_COLUMNS
    try:
        return resolve_format(parse_printer_url(printer_url).print_format).columns
    except PrinterConfigError:
        return PREVIEW_COLUMNS


@lru_cache(maxsize=32)
def escpos_commands(resolved: ResolvedFormat) -> EscposCommands:
    """Built once per format: they depend on the profile and the settings, not on the receipt."""
    from escpos.magicencode import Encoder
    from escpos.printer import Dummy

    def built(step: Callable[[Any], object]) -> bytes:
        encoder = Encoder({resolved.codepage: resolved.codepage_slot})
        out = Dummy(profile=resolved.profile, magic_encode_args={"encoder": encoder})
        step(out)
        return bytes(out.output)

    def start(out: Any) -> None:
        out.hw("INIT")  # ESC @ resets the code page too, so ESC t must follow it
        if resolved.cancel_kanji:
            out._raw(FS_CANCEL_KANJI)
        out.charcode(resolved.codepage)  # ESC t n, and the code page pinned

    def style(bold: bool, tall: bool) -> bytes:
        return built(lambda out: out.set(bold=bold, double_height=tall, normal_textsize=not tall))

    return EscposCommands(
        start=built(start),
        drawer=built(lambda out: out.cashdraw(resolved.drawer_pin)),
        styles=MappingProxyType(
            {(bold, tall): style(bold, tall) for bold in (False, True) for tall in (False, True)}
        ),
        cut=built(lambda out: out.cut()),
        feed=built(lambda out: out.print_and_feed(4)),
    )


def render_receipt(doc: ReceiptDocument, print_format: PrintFormat | ResolvedFormat) -> bytes:
    """The ESC/POS bytes of `doc`. Pure computation: no I/O, safe on any thread."""
    return b"".join(render_chunks(doc, print_format))


def render_chunks(doc: ReceiptDocument, print_format: PrintFormat | ResolvedFormat) -> list[bytes]:
    """render_receipt's bytes in the pieces it joins (commands, runs of text lines, the QR)."""
    resolved = (
        resolve_format(print_format) if isinstance(print_format, PrintFormat) else print_format
    )
    layout = layout_receipt(doc, resolved.columns, codepage_text(resolved.codepage))
    return layout_chunks(layout, resolved)


def render_layout(layout: ReceiptLayout, resolved: ResolvedFormat) -> bytes:
    """The ESC/POS bytes of a laid-out receipt."""
    return b"".join(layout_chunks(layout, resolved))


def layout_chunks(layout: ReceiptLayout, resolved: ResolvedFormat) -> list[bytes]:
    """The job in pieces: python-escpos' command bytes (built once per format) around the text.

    The code page is fixed for the whole job, so each run of lines in one style is encoded in
    one call of the code page's codec, not character by character.
    """
    commands = escpos_commands(resolved)
    encode = code_page(resolved.codepage).encode
    chunks = [commands.start]
    if layout.open_drawer:
        chunks.append(commands.drawer)
    style = PLAIN
    run: list[str] = []
    for element in layout.elements:
        if isinstance(element, TextLine):
            if (element.bold, element.tall) != style:
                if run:
                    chunks.append(encode("\n".join(run) + "\n"))
                    run = []
                style = (element.bold, element.tall)
                chunks.append(commands.styles[style])
            run.append(element.text)
        else:
            if run:
                chunks.append(encode("\n".join(run) + "\n"))
                run = []
            chunks.append(_qr_bytes(element, resolved, layout.columns))
    if run:
        chunks.append(encode("\n".join(run) + "\n"))
    if style != PLAIN:
        chunks.append(commands.styles[PLAIN])
    if layout.cut:
        chunks.append(commands.cut)  # feeds past the cutter first; nothing without a cutter
    elif layout.elements:
        chunks.append(commands.feed)
    return chunks


def codepage_text(codepage: str) -> TextPreparer:
    """clean_text, then every character the code page lacks mapped to a look-alike or "?"."""
    return code_page(codepage).prepare


def _profile_slot(name: str, code_pages: dict[str, str], codepage: str) -> int:
    slots = sorted(int(slot) for slot, page in code_pages.items() if page == codepage)
    if not slots:
        raise PrinterConfigError(
            f"printer profile {name!r} has no {codepage}; pick the profile of your printer, "
            f"or set codepage_slot=N from the code page table on its self-test page"
        )
    return slots[0]


def _qr_bytes(block: QrBlock, resolved: ResolvedFormat, columns: int) -> bytes:
    """The QR code centred: python-escpos' `GS ( k` commands, or a raster image of it."""
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    width = resolved.paper_dots or columns * DOTS_PER_COLUMN
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1)
    code.add_data(block.payload)
    # The version (so the module count) is what make(fit=True) would pick; the printer draws a
    # native code itself, so only the image needs the modules.
    modules = code.best_fit() * 4 + 17
    # The largest module size up to the wanted one whose code (with its border) fits the paper.
    size = max(1, min(resolved.qr_size, width // (modules + 2)))
    out = Dummy(profile=resolved.profile)
    out.set(align="center")
    if resolved.native_qr:
        out.qr(block.payload, ec=QR_ECLEVEL_M, size=size, native=True)
    else:
        code.box_size = size
        code.make(fit=False)
        _print_raster_qr(out, code, width)
    out.set(align="left")
    return bytes(out.output)


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
