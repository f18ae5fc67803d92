"""Lay a receipt out as fixed-width text lines for one paper width. Pure Python, no printer.

Typical widths (font A): 32 columns on 58 mm paper, 42 or 48 on 80 mm. Alignment is done here
with spaces, so every printer shows the same thing and the layout can be previewed on screen.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hardware.receipt import ItemLine, ReceiptDocument, ValueRow

MIN_COLUMNS = 16
MAX_COLUMNS = 96
NO_BREAK_SPACE = "\u00a0"
_INDENT = "  "

TextPreparer = Callable[[str], str]
"""Makes one line of caller text printable (removes controls, maps unprintable characters)."""


@dataclass(frozen=True)
class TextLine:
    """One printed line, already padded/aligned. `tall` is double height (same column count)."""

    text: str
    bold: bool = False
    tall: bool = False


@dataclass(frozen=True)
class QrBlock:
    """A QR code printed centred on its own."""

    payload: str


LayoutElement = TextLine | QrBlock


@dataclass(frozen=True)
class ReceiptLayout:
    columns: int
    elements: tuple[LayoutElement, ...]
    cut: bool
    open_drawer: bool

    def as_text(self) -> str:
        """A plain-text preview (a QR shows as its payload in brackets)."""
        lines = [
            element.text
            if isinstance(element, TextLine)
            else f"[QR {element.payload}]".center(self.columns).rstrip()
            for element in self.elements
        ]
        return "\n".join(lines)


def clean_text(text: str) -> str:
    """Drop control and invisible characters; unusual spaces become no-break; NFC-normalise.

    Control characters are dropped so that text from the database can never smuggle printer
    commands (an ESC p in a product name would open the cash drawer). Normalising after the
    drop lets a letter and its accent compose even when an invisible character stood between
    them ("и", soft hyphen, combining breve: "й"), so preparing prepared text changes nothing.
    """
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r":
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif category in ("Zl", "Zp"):
            out.append(" ")
        elif category == "Zs" and char != " ":
            out.append(NO_BREAK_SPACE)  # thin/narrow no-break spaces in formatted numbers
        else:
            out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def layout_receipt(
    doc: ReceiptDocument, columns: int, prepare: TextPreparer = clean_text
) -> ReceiptLayout:
    """Lay `doc` out for `columns` characters per line. Sections are separated by a dashed rule."""
    if not MIN_COLUMNS <= columns <= MAX_COLUMNS:
        raise ValueError(f"columns must be {MIN_COLUMNS}..{MAX_COLUMNS}, got {columns}")
    composer = _Composer(columns, prepare)
    sections = [
        composer.header(doc),
        composer.title(doc),
        composer.items(doc.items),
        composer.rows(doc.totals),
        composer.bonus(doc),
        composer.closing(doc),
    ]
    elements: list[LayoutElement] = []
    for section in (s for s in sections if s):
        if elements:
            elements.append(composer.rule())
        elements.extend(section)
    return ReceiptLayout(columns, tuple(elements), doc.cut, doc.open_drawer)


class _Composer:
    def __init__(self, columns: int, prepare: TextPreparer) -> None:
        self.columns = columns
        self.prepare = prepare

    # sections -----------------------------------------------------------------------------

    def header(self, doc: ReceiptDocument) -> list[LayoutElement]:
        if doc.header is None:
            return []
        store = doc.header
        return [
            *self.centred(store.name, bold=True, tall=True),
            *self.centred(store.address),
            *self.centred(store.tax_id),
        ]

    def title(self, doc: ReceiptDocument) -> list[LayoutElement]:
        return [*self.centred(doc.title, bold=True), *self.rows(doc.details)]

    def items(self, items: Iterable[ItemLine]) -> list[LayoutElement]:
        out: list[LayoutElement] = []
        for item in items:
            if item.quantity:
                out += self.wrapped(item.name)
                out += self.two_columns(item.quantity, item.amount, indent=_INDENT)
            else:
                out += self.two_columns(item.name, item.amount)
            out += self.rows(item.adjustments, indent=_INDENT)
        return out

    def rows(self, rows: Iterable[ValueRow], indent: str = "") -> list[LayoutElement]:
        out: list[LayoutElement] = []
        for row in rows:
            emphasis = row.emphasis
            out += self.two_columns(row.label, row.value, indent, bold=emphasis, tall=emphasis)
            out += self.wrapped(row.note, indent=indent + _INDENT)
        return out

    def bonus(self, doc: ReceiptDocument) -> list[LayoutElement]:
        if doc.bonus is None:
            return []
        bonus = doc.bonus
        return [
            *self.centred(bonus.title, bold=True),
            *self.rows(bonus.rows()),
            *self.wrapped(bonus.cap_note),
        ]

    def closing(self, doc: ReceiptDocument) -> list[LayoutElement]:
        out: list[LayoutElement] = []
        for paragraph in doc.footer:
            out += self.centred(paragraph) or [TextLine("")]
        if doc.qr is not None and doc.qr.payload:
            out.append(QrBlock(doc.qr.payload))
            out += self.centred(doc.qr.caption)
        return out

    def rule(self) -> TextLine:
        return TextLine("-" * self.columns)

    # building blocks ----------------------------------------------------------------------

    def wrapped(self, text: str, indent: str = "") -> list[LayoutElement]:
        return [TextLine(line) for line in self._wrap(text, indent)]

    def centred(self, text: str, bold: bool = False, tall: bool = False) -> list[LayoutElement]:
        return [
            TextLine(line.center(self.columns).rstrip(), bold=bold, tall=tall)
            for line in self._wrap(text)
        ]

    def two_columns(
        self, left: str, right: str, indent: str = "", bold: bool = False, tall: bool = False
    ) -> list[LayoutElement]:
        """`left` wrapped, `right` right-aligned on its last line, or on a line of its own."""
        lines = self._wrap(left, indent)
        value = self.prepare(right).strip()
        if value:
            value_lines = self._wrap(value) if len(value) > self.columns else [value]
            last = lines[-1] if lines else ""
            if len(value_lines) == 1 and len(last) + 1 + len(value) <= self.columns:
                gap = self.columns - len(last) - len(value)
                lines[-1:] = [last + " " * gap + value]
            else:
                lines += [line.rjust(self.columns) for line in value_lines]
        return [TextLine(line, bold=bold, tall=tall) for line in lines]

    def _wrap(self, text: str, indent: str = "") -> list[str]:
        """Word-wrap to the width; explicit line breaks are kept, long words are split."""
        if not text:
            return []
        wrapper = textwrap.TextWrapper(
            width=self.columns,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
        lines: list[str] = []
        for paragraph in text.splitlines():
            lines += wrapper.wrap(self.prepare(paragraph)) or [""]
        return lines
