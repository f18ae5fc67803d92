"""The totals of the current quote, the engine's notes, and the Pay button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from pos_client.ui.checkout.earn_breakdown import (
    FIRST_PURCHASE_NOTE,
    EarnParts,
    earn_parts,
    first_purchase_note,
)
from pos_client.ui.fit_scroll import FitScroll
from pos_client.ui.formatting import Formats
from pos_client.ui.note_text import notes_text

DASH = "—"
NOTES_SHOWN_PX = 150  # about eight lines of notes; a longer list scrolls


class TotalsPanel(QFrame):
    pay_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.subtotal = self._value()
        self.discounts = self._value()
        self.bonus_paid = self._value()
        self.to_pay = QLabel(DASH, self)
        self.to_pay.setObjectName("toPay")
        self.to_pay.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.earn = self._value()
        self.earn.setObjectName("earnValue")
        # What "Will earn" is made of, when a first purchase earns more than the tier gives.
        self.earn_parts = [(self._part(), self._part()) for _ in range(3)]  # tier, boost, other
        self.notes = QLabel()
        self.notes.setObjectName("notes")
        self.notes.setWordWrap(True)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.pay_button = QPushButton(self.tr("Pay  F12"), self)
        self.pay_button.setObjectName("payButton")
        self.pay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pay_button.setEnabled(False)
        self.pay_button.clicked.connect(self.pay_requested)
        self.note_lines: list[str] = []

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        rows = [
            (self.tr("Subtotal"), self.subtotal),
            (self.tr("Discounts"), self.discounts),
            (self.tr("Paid with bonus"), self.bonus_paid),
        ]
        for row, (caption, value) in enumerate(rows):
            grid.addWidget(self._caption(caption), row, 0)
            grid.addWidget(value, row, 1)
        to_pay_caption = self._caption(self.tr("To pay"))
        to_pay_caption.setObjectName("toPayCaption")
        grid.addWidget(to_pay_caption, 3, 0)
        grid.addWidget(self.to_pay, 3, 1)
        grid.addWidget(self._caption(self.tr("Will earn")), 4, 0)
        grid.addWidget(self.earn, 4, 1)
        for row, (part_caption, part_value) in enumerate(self.earn_parts, start=5):
            part_value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            line = QHBoxLayout()  # across both columns: a long caption widens neither
            line.addWidget(part_caption, 1)
            line.addWidget(part_value)
            grid.addLayout(line, row, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        # Up to NOTES_SHOWN_PX of notes take the room they need; more scroll.
        self.notes_area = FitScroll(self.notes, self, ceiling=NOTES_SHOWN_PX)
        self.notes_area.setObjectName("notesArea")
        self.notes_area.viewport().setObjectName("notesViewport")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 12)
        column.setSpacing(8)
        column.addLayout(grid)
        column.addWidget(self.notes_area)
        column.addStretch(1)
        column.addWidget(self.pay_button)
        self.show_receipt(None, Formats())

    def _value(self) -> QLabel:
        label = QLabel(DASH, self)
        label.setObjectName("totalValue")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label

    def _part(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("earnPart")
        label.setVisible(False)
        return label

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("totalCaption")
        return label

    def show_receipt(
        self, receipt: PricedReceipt | None, fmt: Formats, rules: LoyaltyRules | None = None
    ) -> None:
        """The quote's totals; ``rules`` (those that priced it) name the rates it earns at."""
        if receipt is None:
            for label in (self.subtotal, self.discounts, self.bonus_paid, self.to_pay, self.earn):
                label.setText(DASH)
            self._show_earn_parts(None, fmt)
            self._show_notes([])
            return
        self.subtotal.setText(fmt.money(receipt.subtotal))
        self.discounts.setText(_minus(fmt.money(receipt.discount_total), receipt.discount_total))
        self.bonus_paid.setText(_minus(fmt.points(receipt.redeemed), receipt.redeemed))
        self.to_pay.setText(fmt.money(receipt.to_pay))
        self.earn.setText(f"+{fmt.points(receipt.earned)}" if receipt.customer_id else DASH)
        parts = earn_parts(receipt, rules)
        self._show_earn_parts(parts, fmt)
        notes = tuple(n for n in receipt.notes if n.code != FIRST_PURCHASE_NOTE)
        lines = notes_text(notes, fmt)
        if parts is not None:  # told in full, with the rates, instead of the engine's note
            lines.append(first_purchase_note(receipt, rules, fmt))
        if receipt.customer_id is None:  # staff must offer the card: remind them on every check
            lines.insert(0, self.tr("No card on this check: ask for the loyalty card or phone."))
        self._show_notes(lines)

    def _show_earn_parts(self, parts: EarnParts | None, fmt: Formats) -> None:
        rows: list[tuple[str, int]] = []
        if parts is not None:
            rows = [
                (parts.tier_caption, parts.tier_points),
                (parts.boost_caption, parts.boost_points),
            ]
            if parts.other_points:
                rows.append((self.tr("Other bonuses"), parts.other_points))
        for index, (caption, value) in enumerate(self.earn_parts):
            shown = index < len(rows)
            caption.setText(rows[index][0] if shown else "")
            value.setText(f"+{fmt.points(rows[index][1])}" if shown else "")
            caption.setVisible(shown)
            value.setVisible(shown)

    def _show_notes(self, lines: list[str]) -> None:
        self.note_lines = lines
        self.notes.setText("\n".join(f"• {line}" for line in lines))
        self.notes_area.setVisible(bool(lines))

    def set_payable(self, payable: bool) -> None:
        self.pay_button.setEnabled(payable)


def _minus(text: str, amount: int) -> str:
    return f"−{text}" if amount else text
