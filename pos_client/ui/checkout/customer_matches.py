"""The customers whose name or phone digits match what the cashier is typing (F2 field).

The field asks for matches on every keystroke (a name's start, or a phone's first or last
digits); only the answer to what the field holds now is shown. Up/Down choose one, Enter
takes it (the customer is then identified by their phone, as if it had been typed whole).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from loyalty_core.customers import Customer
from loyalty_core.phone import mask_phone
from pos_client.ui.checkout.match_list import MatchList

MIN_NAME = 2  # letters of a name before it is searched
MIN_DIGITS = 3  # digits of a phone before it is searched


def worth_searching(text: str) -> bool:
    """Enough typed to search: two letters of a name or three digits of a phone."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if digits:
        return digits >= MIN_DIGITS and digits < 16  # 16 digits is a card: Enter identifies
    return len(text) >= MIN_NAME


class CustomerMatches(MatchList):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("customerMatches", parent)
        self.customers: list[Customer] = []

    def show_matches(self, customers: Sequence[Customer], no_name: str) -> None:
        self.customers = list(customers)
        self.show_labels([f"{c.name or no_name} · {mask_phone(c.phone)}" for c in self.customers])

    def hide_matches(self) -> None:
        self.show_matches([], "")

    def chosen(self) -> Customer | None:
        row = self.chosen_row()
        return self.customers[row] if row is not None else None
