"""Taking the money: cash with the change shown big, a bank card, or both. One key confirms.

F12 on the checkout opens it with what is due; F12 (or Enter) again takes the exact sum in
cash. The cashier may type what the customer handed over, or press a banknote button;
F5 puts the whole sum on the bank card, and a card amount below the total leaves the
rest to cash. The change (or what is still missing) is worked out as they type, with the
same ``settle`` the till's checkout uses; the checkout checks it again when it commits.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
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
from loyalty_core.payment import Payment, settle
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats

BANKNOTES = (100, 500, 1_000, 2_000, 5_000)  # in major units (roubles)
QUICK_NOTES = 3  # banknote buttons offered above the sum due


def quick_cash(due: int, minor_per_major: int = 100) -> list[int]:
    """Round sums a customer is likely to hand over for ``due`` (minor units): the next
    multiple of each banknote above it, smallest first, without repeats."""
    notes = [note * minor_per_major for note in BANKNOTES]
    sums = sorted({-(-due // note) * note for note in notes if due > 0})
    return [s for s in sums if s > due][:QUICK_NOTES]


class PaymentDialog(QDialog):
    chosen = Signal(int, object)  # card amount, cash handed over (None: the exact sum)

    def __init__(self, due: int, formats: Formats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("Payment"))
        self.setMinimumWidth(460)
        self.due = due
        self._fmt = formats
        self.payment: Payment | None = None  # what confirming would take; None: refused

        due_label = QLabel(formats.money(due), self)
        due_label.setObjectName("paymentDue")
        due_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cash = QLineEdit(self)
        self.cash.setObjectName("cashField")
        self.cash.setPlaceholderText(self.tr("exact: {sum}").format(sum=formats.money(due)))
        self.card = QLineEdit(self)
        self.card.setObjectName("cardField")
        self.card.setPlaceholderText(formats.money(0))
        self.change = QLabel(self)
        self.change.setObjectName("paymentChange")
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.problem = QLabel(self)
        self.problem.setObjectName("paymentProblem")
        self.problem.setWordWrap(True)
        self.confirm = QPushButton(self.tr("Confirm  F12 / Enter"), self)
        self.confirm.setObjectName("payButton")
        self.confirm.setDefault(True)  # Enter in either field confirms
        self.confirm.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm.clicked.connect(self.take)
        self._lay_out(due_label)
        self.cash.textChanged.connect(self._recompute)
        self.card.textChanged.connect(self._recompute)
        self._recompute()
        self.cash.setFocus()

    def _lay_out(self, due_label: QLabel) -> None:
        formats, due = self._fmt, self.due
        cancel = QPushButton(self.tr("Back to the sale  Esc"), self)
        cancel.clicked.connect(self.reject)
        all_card = QPushButton(self.tr("All by card  F5"), self)
        all_card.clicked.connect(self.all_by_card)
        for button in (cancel, all_card):  # the focus stays in the fields: Enter confirms
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        notes = QHBoxLayout()
        self.note_buttons: list[QPushButton] = []
        for amount in quick_cash(due, formats.currency.minor_per_major):
            button = QPushButton(formats.money(amount), self)
            button.setObjectName("banknote")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=amount: self._cash_given(a))
            notes.addWidget(button)
            self.note_buttons.append(button)
        form = QFormLayout()
        form.addRow(self.tr("To pay"), due_label)
        form.addRow(self.tr("Cash received"), self.cash)
        form.addRow("", notes)
        form.addRow(self.tr("Bank card"), self.card)
        form.addRow(self.tr("Change"), self.change)
        buttons = QHBoxLayout()
        buttons.addWidget(all_card)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addLayout(buttons)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F12 confirms and F5 puts it all on the card, from either field (the fields pass
        function keys on to the dialog); Enter and Esc are the dialog's own."""
        if event.key() == Qt.Key.Key_F12:
            self.take()
        elif event.key() == Qt.Key.Key_F5:
            self.all_by_card()
        else:
            super().keyPressEvent(event)

    def _amount(self, field: QLineEdit) -> int | None:
        text = field.text().strip()
        return self._fmt.currency.parse(text) if text else None

    def _recompute(self) -> None:
        try:
            card = self._amount(self.card) or 0
            self.payment = settle(self.due, card=card, cash_tendered=self._amount(self.cash))
        except DomainError as refused:
            self.payment = None
            self.change.setText("—")
            self.problem.setText(describe(refused, self._fmt))
        else:
            self.change.setText(self._fmt.money(self.payment.change))
            self.problem.clear()
        self.confirm.setEnabled(self.payment is not None)

    def _cash_given(self, amount: int) -> None:
        self.cash.setText(self._fmt.currency.format(amount, symbol=False))
        self.cash.setFocus()

    def all_by_card(self) -> None:
        self.cash.clear()
        self.card.setText(self._fmt.currency.format(self.due, symbol=False))
        self.card.setFocus()

    def take(self) -> None:
        """Confirm: the sale is committed with these tenders, or the dialog says what is wrong."""
        self._recompute()
        if self.payment is None or self.result() == QDialog.DialogCode.Accepted:
            return
        card = self._amount(self.card) or 0
        self.chosen.emit(card, self._amount(self.cash))
        self.accept()
