"""A manual discount on the selected line: typed as a percentage ("10%") or an amount
("150,00"), shown as money before a manager approves it with their PIN (``ManagerPinDialog``).
Ctrl+D on the checkout opens it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.errors import DomainError
from pos_client.ui.checkout.cart import CartEntry
from pos_client.ui.formatting import Formats


def discount_of(text: str, gross: int, formats: Formats) -> int | None:
    """Minor units off ``gross`` for what the cashier typed; None if it is not a discount of
    this line (a percentage from above 0 to 100, rounded half up to the minor unit, or an
    amount above zero up to the line's price)."""
    text = text.strip()
    if text.endswith("%"):
        try:
            percent = Decimal(text[:-1].strip().replace(",", "."))
        except InvalidOperation:
            return None
        if not percent.is_finite() or not 0 < percent <= 100:
            return None
        amount = int((gross * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        try:
            amount = formats.currency.parse(text)
        except DomainError:
            return None
    return amount if 0 < amount <= gross else None


class LineDiscountDialog(QDialog):
    chosen = Signal(str, int)  # the line's id, the discount in minor units

    def __init__(self, entry: CartEntry, formats: Formats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lineDiscountDialog")
        self.setWindowTitle(self.tr("Line discount"))
        self.setMinimumWidth(380)
        self._entry, self._fmt = entry, formats
        line = QLabel(f"{entry.name} · {formats.money(entry.gross)}", self)
        line.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setObjectName("discountField")
        self.field.setPlaceholderText(self.tr("10% or 150,00"))
        self.result_label = QLabel(self)
        self.result_label.setObjectName("discountResult")
        self.result_label.setWordWrap(True)
        ask = QPushButton(self.tr("Ask a manager  Enter"), self)
        ask.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("Cancel  Esc"), self)
        cancel.clicked.connect(self.reject)
        for button in (ask, cancel):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("Line"), line)
        form.addRow(self.tr("Discount"), self.field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ask)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.result_label)
        column.addLayout(buttons)
        self.field.textChanged.connect(self._show)
        self.field.returnPressed.connect(self.submit)
        self.field.setFocus()

    def _discount(self) -> int | None:
        return discount_of(self.field.text(), self._entry.gross, self._fmt)

    def _show(self) -> None:
        amount = self._discount()
        if amount is None:
            self.result_label.setText(
                self.tr("Type a percentage up to 100% or an amount up to {sum}.").format(
                    sum=self._fmt.money(self._entry.gross)
                )
                if self.field.text().strip()
                else ""
            )
            return
        self.result_label.setText(
            self.tr("−{off}: the line costs {left}").format(
                off=self._fmt.money(amount), left=self._fmt.money(self._entry.gross - amount)
            )
        )

    def submit(self) -> None:
        amount = self._discount()
        if amount is None:
            self._show()
            if not self.field.text().strip():
                self.result_label.setText(self.tr("Type the discount: 10% or 150,00."))
            return
        self.chosen.emit(self._entry.line_id, amount)
        self.accept()
