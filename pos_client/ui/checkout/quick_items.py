"""Quick buttons for the store's popular items: one touch adds one piece, as a scan does.

The till's best sellers (by receipts; the catalogue's first for a new till), refreshed at
login and after each sale. Buttons never take the keyboard focus: the next scan still
lands in the scan field.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QSizePolicy, QWidget

from loyalty_core.catalog import Product
from pos_client.ui.formatting import Formats

BUTTON_PX = 52  # tall enough for a finger on a touch screen
NAME_CHARS = 18  # a button's first line; the rest of a long name is cut with "…"


class QuickItems(QFrame):
    chosen = Signal(str)  # the product's barcode

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickItems")
        self.buttons: list[QPushButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)

    def show_products(self, products: Sequence[Product], formats: Formats) -> None:
        while self.buttons:
            button = self.buttons.pop()
            self._row.removeWidget(button)
            button.deleteLater()
        for product in products:
            name = product.name
            if len(name) > NAME_CHARS:
                name = name[: NAME_CHARS - 1].rstrip() + "…"
            button = QPushButton(f"{name}\n{formats.money(product.price)}", self)
            button.setObjectName("quickItem")
            button.setToolTip(product.name)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(BUTTON_PX)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, code=product.barcode: self.chosen.emit(code))
            self._row.addWidget(button)
            self.buttons.append(button)
        self.setVisible(bool(self.buttons))
