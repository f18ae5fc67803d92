"""A gift card handed over at payment: its number (scanned or typed) and the PIN the customer
types. F7 on the payment screen opens it; the sale session checks the card on the database
lane and says whether it was taken (the dialog closes) or why not (it stays, PIN cleared)."""

from __future__ import annotations

from PySide6.QtCore import Qt
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

from pos_client.services.messages import GiftCardOffer
from pos_client.ui.checkout.sale_session import SaleSession


class GiftCardDialog(QDialog):
    def __init__(self, session: SaleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("giftCardDialog")
        self.setWindowTitle(self.tr("Gift card"))
        self.setMinimumWidth(380)
        self._session = session
        self._checking = False
        self.number = QLineEdit(self)
        self.number.setObjectName("giftCardNumber")
        self.number.setPlaceholderText(self.tr("scan or type the card's number"))
        self.pin = QLineEdit(self)
        self.pin.setObjectName("giftCardPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("the customer types it"))
        self.problem = QLabel(self)
        self.problem.setObjectName("giftCardProblem")
        self.problem.setWordWrap(True)
        take = QPushButton(self.tr("Take the card  Enter"), self)
        take.clicked.connect(self.check)
        cancel = QPushButton(self.tr("Cancel  Esc"), self)
        cancel.clicked.connect(self.reject)
        for button in (take, cancel):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("Card number"), self.number)
        form.addRow(self.tr("PIN"), self.pin)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(take)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        self.number.returnPressed.connect(self.pin.setFocus)
        self.pin.returnPressed.connect(self.check)
        session.gift_card_taken.connect(self._taken)
        session.gift_card_refused.connect(self._refused)
        self.finished.connect(self._disconnect)
        self.number.setFocus()

    def take_scan(self, code: str) -> None:
        """The card's number from the scanner: the PIN is next."""
        self.number.setText(code)
        self.problem.clear()
        self.pin.setFocus()

    def check(self) -> None:
        number, pin = self.number.text().strip(), self.pin.text()
        if self._checking:
            return
        if not number:
            self.problem.setText(self.tr("Scan or type the gift card's number."))
            self.number.setFocus()
            return
        if not pin:
            self.problem.setText(self.tr("The customer types the card's PIN."))
            self.pin.setFocus()
            return
        self._checking = True
        self.problem.setText(self.tr("Checking the card…"))
        self._session.present_gift_card(number, pin)

    def _taken(self, _offer: GiftCardOffer) -> None:
        self._checking = False
        self.accept()

    def _refused(self, why: str) -> None:
        self._checking = False
        self.pin.clear()
        self.problem.setText(why)
        self.pin.setFocus()

    def _disconnect(self) -> None:
        self._session.gift_card_taken.disconnect(self._taken)
        self._session.gift_card_refused.disconnect(self._refused)
