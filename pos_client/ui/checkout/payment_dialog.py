"""Taking the money: cash with the change shown big, a bank card, or both. One key confirms.

F12 on the checkout opens it with what is due; F12 (or Enter) again takes the exact sum in
cash. The cashier may type what the customer handed over, or press a banknote button;
F5 puts the whole sum on the bank card, and a card amount below the total leaves the
rest to cash. F7 takes a gift card first (its number and PIN): the sale is priced again and
the sum due here drops by what the card pays. The change (or what is still missing) is
worked out as they type, with the same ``settle`` the till's checkout uses; the checkout
checks it again when it commits.
"""

from __future__ import annotations

from collections.abc import Sequence

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

from loyalty_core.cards import mask_card
from loyalty_core.errors import DomainError
from loyalty_core.payment import Payment, settle
from loyalty_core.receipt import GiftCardCharge
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
    gift_card_wanted = Signal()

    def __init__(
        self,
        due: int,
        formats: Formats,
        parent: QWidget | None = None,
        gift_cards: Sequence[GiftCardCharge] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(self.tr("Payment"))
        self.setMinimumWidth(460)
        self.due = due
        self._fmt = formats
        self.payment: Payment | None = None  # what confirming would take; None: refused
        self._waiting = False  # the sale is being priced again (a gift card was taken)

        self.due_label = QLabel(self)
        self.due_label.setObjectName("paymentDue")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.gift_cards = QLabel(self)
        self.gift_cards.setObjectName("paymentGiftCards")
        self.gift_cards.setWordWrap(True)
        self.gift_cards.hide()
        self.cash = QLineEdit(self)
        self.cash.setObjectName("cashField")
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
        self.notes = QHBoxLayout()
        self.note_buttons: list[QPushButton] = []
        self._lay_out()
        self.cash.textChanged.connect(self._recompute)
        self.card.textChanged.connect(self._recompute)
        self.set_due(due, gift_cards)
        self.cash.setFocus()

    def _lay_out(self) -> None:
        cancel = QPushButton(self.tr("Back to the sale  Esc"), self)
        cancel.clicked.connect(self.reject)
        all_card = QPushButton(self.tr("All by card  F5"), self)
        all_card.clicked.connect(self.all_by_card)
        gift_card = QPushButton(self.tr("Gift card  F7"), self)
        gift_card.setObjectName("giftCardButton")
        gift_card.clicked.connect(self.gift_card_wanted)
        for button in (cancel, all_card, gift_card):  # the focus stays in the fields
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("To pay"), self.due_label)
        form.addRow("", self.gift_cards)
        form.addRow(self.tr("Cash received"), self.cash)
        form.addRow("", self.notes)
        form.addRow(self.tr("Bank card"), self.card)
        form.addRow(self.tr("Change"), self.change)
        tenders = QHBoxLayout()  # other ways to pay, above the confirmation
        tenders.addWidget(all_card)
        tenders.addWidget(gift_card)
        tenders.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.confirm)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addLayout(tenders)
        column.addLayout(buttons)

    def set_due(self, due: int, gift_cards: Sequence[GiftCardCharge] = ()) -> None:
        """What is left to pay by cash and card, after the gift cards the sale now takes."""
        formats = self._fmt
        self.due, self._waiting = due, False
        self.due_label.setText(formats.money(due))
        self.cash.setPlaceholderText(self.tr("exact: {sum}").format(sum=formats.money(due)))
        lines = [
            self.tr("Gift card {card}: −{sum}, {left} left").format(
                card=mask_card(c.number),
                sum=formats.money(c.amount),
                left=formats.money(c.balance_after),
            )
            for c in gift_cards
        ]
        self.gift_cards.setText("\n".join(lines))
        self.gift_cards.setVisible(bool(lines))
        while self.note_buttons:
            button = self.note_buttons.pop()
            self.notes.removeWidget(button)
            button.deleteLater()
        for amount in quick_cash(due, formats.currency.minor_per_major):
            button = QPushButton(formats.money(amount), self)
            button.setObjectName("banknote")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=amount: self._cash_given(a))
            self.notes.addWidget(button)
            self.note_buttons.append(button)
        self._recompute()

    def wait_for_total(self) -> None:
        """A gift card was taken: nothing can be confirmed until the new total is here."""
        self._waiting = True
        self.change.setText("—")
        self.problem.setText(self.tr("The total is being updated…"))
        self.confirm.setEnabled(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """F12 confirms, F5 puts it all on the card and F7 takes a gift card, from either
        field (the fields pass function keys on); Enter and Esc are the dialog's own."""
        if event.key() == Qt.Key.Key_F12:
            self.take()
        elif event.key() == Qt.Key.Key_F5:
            self.all_by_card()
        elif event.key() == Qt.Key.Key_F7:
            self.gift_card_wanted.emit()
        else:
            super().keyPressEvent(event)

    def _amount(self, field: QLineEdit) -> int | None:
        text = field.text().strip()
        return self._fmt.currency.parse(text) if text else None

    def _recompute(self) -> None:
        if self._waiting:
            return
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
        if self._waiting or self.payment is None or self.result() == QDialog.DialogCode.Accepted:
            return
        card = self._amount(self.card) or 0
        self.chosen.emit(card, self._amount(self.cash))
        self.accept()
