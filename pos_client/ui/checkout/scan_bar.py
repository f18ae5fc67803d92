"""The scan field (always focused) and the free-price amount field; what a scanned code is.

A keyboard-wedge scanner types its payload and Enter into whatever has the focus; the
window's wedge filter (``pos_client.ui.scanning``) takes scans out of the key stream
before any field sees them, and text typed here is the cashier's. When the field is
empty, Up/Down select a cart line, ``+``/``-`` change its quantity and Delete removes it.
Two letters of a product's name list the products that match under the field (the screen
asks the till); Up/Down choose one and Enter adds it, as if its barcode had been scanned.

The codes the till itself prints: a loyalty card's QR holds its 16 digits, a receipt's
survey QR is a URL ending in the sale's id (a UUID); product barcodes are digits
(EAN-13 in the demo catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from loyalty_core.catalog import Product
from pos_client.ui.checkout.match_list import MatchList

_LINE_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: +1}
_QUANTITY_KEYS = {Qt.Key.Key_Plus: +1, Qt.Key.Key_Minus: -1}
# A receipt's survey QR: any URL (or nothing) and then the sale's id, at the very end, or
# the signed token that starts with it (``<sale>.<cashier>.<expiry>.<mac>``).
_RECEIPT_ID = re.compile(
    r"(?<![0-9A-Za-z.-])([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"(?:\.[0-9a-f-]{36}\.[0-9]{1,12}\.[A-Za-z0-9_-]{43})?/?$",
    re.IGNORECASE,
)


def scanned_receipt_id(code: str) -> str | None:
    """The sale id a receipt's code carries, or None if the code is no receipt's."""
    found = _RECEIPT_ID.search(code.strip())
    return found.group(1).lower() if found else None


# "3*4600000000015" (three pieces of it) or "3*" alone (the selected line gets three).
_QUANTITY = re.compile(r"^\s*(\d{1,4})\s*[*xXхХ]\s*(\d*)\s*$")


def typed_quantity(text: str) -> tuple[int, str] | None:
    """Pieces and the barcode typed as ``N*code`` (the code may be empty), or None."""
    found = _QUANTITY.match(text)
    return (int(found.group(1)), found.group(2)) if found else None


def is_barcode(code: str) -> bool:
    """Digits only: a product barcode or a card number (never a phone typed by hand)."""
    return code.isascii() and code.isdigit()


def worth_searching_products(text: str) -> bool:
    """Two letters of a product's name typed (a barcode is digits; ``3*`` is a quantity)."""
    return sum(ch.isalpha() for ch in text) >= 2 and typed_quantity(text) is None


class ScanBar(QWidget):
    scanned = Signal(str)  # Enter in the scan field (a product chosen by name: its barcode)
    search_requested = Signal(str)  # letters typed: look for products by name
    line_step = Signal(int)  # select the previous (-1) / next (+1) line
    quantity_step = Signal(int)  # one piece more (+1) / less (-1) on the selected line
    delete_line = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanBar")
        self.field = QLineEdit(self)
        self.field.setObjectName("scanField")
        self.field.setPlaceholderText(self.tr("Scan a product or a card, or type a barcode"))
        self.field.returnPressed.connect(self._submit_scan)
        self.field.textEdited.connect(self._typed)
        self.field.textChanged.connect(self._cleared)
        self.field.installEventFilter(self)
        self.matches = MatchList("productMatches", self)
        self.products: list[Product] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.field)
        column.addWidget(self.matches)

    def focus_scan(self) -> None:
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit_scan(self) -> None:
        row = self.matches.chosen_row()
        text = self.products[row].barcode if row is not None else self.field.text().strip()
        self.field.clear()
        if text:
            self.scanned.emit(text)

    def _typed(self, text: str) -> None:
        if worth_searching_products(text):
            self.search_requested.emit(text)
        else:
            self.show_products(text, [], [])

    def _cleared(self, text: str) -> None:
        if not text:
            self.show_products("", [], [])

    def show_products(self, text: str, products: Sequence[Product], labels: Sequence[str]) -> None:
        """The answer for ``text``: shown only while the field still holds it."""
        if text != self.field.text():
            return
        self.products = list(products)
        self.matches.show_labels(labels)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.matches.isVisible()
            and event.key() in _LINE_KEYS
        ):
            self.matches.step(_LINE_KEYS[Qt.Key(event.key())])
            return True
        if (
            watched is self.field
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not self.field.text()
        ):
            key = Qt.Key(event.key())
            if key in _LINE_KEYS:
                self.line_step.emit(_LINE_KEYS[key])
                return True
            if key in _QUANTITY_KEYS:
                self.quantity_step.emit(_QUANTITY_KEYS[key])
                return True
            if key == Qt.Key.Key_Delete:
                self.delete_line.emit()
                return True
        return super().eventFilter(watched, event)


class FreePriceBar(QWidget):
    """A line at a typed price (Ctrl+M), for goods without a barcode."""

    entered = Signal(str)  # as typed; the screen parses it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setObjectName("amountField")
        self.field.setPlaceholderText("0,00")
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setFixedWidth(130)
        self.field.returnPressed.connect(self._submit)
        self.button = QPushButton(self.tr("Add amount (Ctrl+M)"), self)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self._button_clicked)
        label = QLabel(self.tr("Free price:"), self)
        label.setObjectName("fieldLabel")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(label)
        row.addWidget(self.field)
        row.addWidget(self.button)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _submit(self) -> None:
        text = self.field.text().strip()
        if text:
            self.entered.emit(text)

    def _button_clicked(self) -> None:
        if self.field.text().strip():
            self._submit()
        else:
            self.focus_field()
