"""The customers whose name or phone digits match what the cashier is typing (F2 field).

The field asks for matches on every keystroke (a name's start, or a phone's first or last
digits); only the answer to what the field holds now is shown. Up/Down choose one, Enter
takes it (the customer is then identified by their phone, as if it had been typed whole).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from loyalty_core.customers import Customer
from loyalty_core.phone import mask_phone

SHOWN_ROWS = 6  # rows visible before the list scrolls
MIN_NAME = 2  # letters of a name before it is searched
MIN_DIGITS = 3  # digits of a phone before it is searched


def worth_searching(text: str) -> bool:
    """Enough typed to search: two letters of a name or three digits of a phone."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits:
        return digits >= MIN_DIGITS and digits < 16  # 16 digits is a card: Enter identifies
    return len(text) >= MIN_NAME


class CustomerMatches(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerMatches")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keyboard
        self.customers: list[Customer] = []
        self.setVisible(False)

    def show_matches(self, customers: Sequence[Customer], no_name: str) -> None:
        self.clear()
        self.customers = list(customers)
        for customer in self.customers:
            label = f"{customer.name or no_name} · {mask_phone(customer.phone)}"
            self.addItem(QListWidgetItem(label))
        if self.customers:
            self.setCurrentRow(0)
            row = self.sizeHintForRow(0)
            self.setFixedHeight(row * min(SHOWN_ROWS, len(self.customers)) + 2 * self.frameWidth())
        self.setVisible(bool(self.customers))

    def hide_matches(self) -> None:
        self.show_matches([], "")

    def step(self, by: int) -> None:
        if self.customers:
            self.setCurrentRow(max(0, min(len(self.customers) - 1, self.currentRow() + by)))

    def chosen(self) -> Customer | None:
        row = self.currentRow()
        return self.customers[row] if self.isVisible() and 0 <= row < len(self.customers) else None
