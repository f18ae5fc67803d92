"""Who the customer is and what they hold: found by phone (F2) or card, registered with F3."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.customers import Customer, Questionnaire
from loyalty_core.phone import mask_phone
from pos_client.services.messages import CustomerSnapshot
from pos_client.ui.checkout.customer_matches import CustomerMatches, worth_searching
from pos_client.ui.formatting import Formats, short_card, tier_name
from pos_client.ui.message_bar import repolish

SHOWN_DATES = 2  # pending / expiring lots listed before "…"


class CustomerPanel(QFrame):
    lookup = Signal(str)  # phone or card typed into the field
    search_requested = Signal(str)  # what the field holds now, worth searching by name/digits
    register_requested = Signal()
    clear_requested = Signal()
    reissue_requested = Signal()  # the customer lost their card: a new one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerPanel")

        self.field = QLineEdit(self)
        self.field.setObjectName("customerField")
        self.field.setPlaceholderText(self.tr("Phone or card (F2)"))
        self.field.returnPressed.connect(self._submit)
        self.field.textChanged.connect(self._typed)
        self.field.textEdited.connect(lambda _text: self.clear_problem())
        self.field.installEventFilter(self)
        # Why the phone or card typed (or scanned) found nobody: right under the field.
        self.problem = QLabel(self)
        self.problem.setObjectName("customerProblem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        self.matches = CustomerMatches(self)
        self.register_button = QPushButton(self.tr("New (F3)"), self)
        self.register_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.register_button.clicked.connect(self.register_requested)
        self.clear_button = QPushButton(self.tr("Remove"), self)
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(self.clear_requested)
        self.reissue_button = QPushButton(self.tr("Lost card: new one"), self)
        self.reissue_button.setObjectName("reissueButton")
        self.reissue_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reissue_button.clicked.connect(self.reissue_requested)

        self.name = QLabel(self)
        self.name.setObjectName("customerName")
        self.contact = QLabel(self)
        self.contact.setObjectName("customerContact")
        self.tier = QLabel(self)
        self.tier.setObjectName("customerTier")
        self.available = QLabel(self)
        self.available.setObjectName("customerBonus")
        self.pending = QLabel(self)
        self.expiring = QLabel(self)
        self.expiring.setObjectName("customerExpiring")
        self.profile = QLabel(self)
        self.profile.setObjectName("customerProfile")
        for label in (self.contact, self.pending, self.expiring, self.profile):
            label.setWordWrap(True)
        self._layout()
        self.show_customer(None, Formats())

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.field, 1)
        top.addWidget(self.register_button)
        top.addWidget(self.clear_button)
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(2)
        facts.addWidget(self.name, 0, 0)
        facts.addWidget(self.tier, 0, 1, Qt.AlignmentFlag.AlignRight)
        facts.addWidget(self.contact, 1, 0, 1, 2)
        facts.addWidget(self.available, 2, 0, 1, 2)
        facts.addWidget(self.pending, 3, 0, 1, 2)
        facts.addWidget(self.expiring, 4, 0, 1, 2)
        facts.addWidget(self.profile, 5, 0)
        facts.addWidget(self.reissue_button, 5, 1, Qt.AlignmentFlag.AlignRight)
        facts.setColumnStretch(0, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 10, 12, 10)
        column.setSpacing(6)
        column.addLayout(top)
        column.addWidget(self.problem)
        column.addWidget(self.matches)
        column.addLayout(facts)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def _submit(self) -> None:
        chosen = self.matches.chosen()
        text = chosen.phone if chosen is not None else self.field.text().strip()
        self.matches.hide_matches()
        if text:
            self.lookup.emit(text)

    def _typed(self, text: str) -> None:
        if worth_searching(text):
            self.search_requested.emit(text)
        else:
            self.matches.hide_matches()

    def show_problem(self, text: str) -> None:
        """A refused phone or card under the field (empty text clears it); the field's
        border turns red while it shows."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.field.setProperty("problem", bool(text))
        repolish(self.field)

    def clear_problem(self) -> None:
        if self.problem.text():
            self.show_problem("")

    def show_matches(self, text: str, customers: Sequence[Customer]) -> None:
        """The answer for ``text``: shown only if the field still holds it."""
        if text == self.field.text():
            self.matches.show_matches(customers, self.tr("Name not given"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.matches.isVisible():
                self.matches.step(1 if key == Qt.Key.Key_Down else -1)
                return True
        return super().eventFilter(watched, event)

    def show_customer(self, customer: CustomerSnapshot | None, formats: Formats) -> None:
        self.clear_button.setVisible(customer is not None)
        self.reissue_button.setVisible(customer is not None)
        self._fill(customer, formats)
        for label in (self.tier, self.available, self.pending, self.expiring, self.profile):
            label.setVisible(bool(label.text()))  # an empty line takes no room

    def _fill(self, customer: CustomerSnapshot | None, formats: Formats) -> None:
        if customer is None:
            self.name.setText(self.tr("No customer"))
            self.contact.setText(self.tr("Scan the loyalty card or type the phone number."))
            for label in (self.tier, self.available, self.pending, self.expiring, self.profile):
                label.clear()
            return
        person = customer.customer
        self.name.setText(person.name or self.tr("Name not given"))
        card = customer.card_number
        contact = mask_phone(person.phone)
        if card:
            contact += "   " + self.tr("card {card}").format(card=short_card(card))
        self.contact.setText(contact)
        self.tier.setText(tier_name(customer.tier_name, customer.tier_code))
        balance = customer.balance
        self.available.setText(
            self.tr("Bonus: {points}").format(points=formats.points(balance.available))
        )
        self.pending.setText(self._pending_text(customer, formats))
        self.expiring.setText(self._expiring_text(customer, formats))
        self.profile.setText(self._profile_text(person, formats))

    def _profile_text(self, person: Customer, formats: Formats) -> str:
        """The birthday, and whether the questionnaire is filled in (it may earn a bonus)."""
        answers = Questionnaire(person.name, person.birthday, person.email)
        parts = []
        if person.birthday is not None:
            parts.append(self.tr("Birthday {date}").format(date=formats.day(person.birthday)))
        parts.append(
            self.tr("Questionnaire filled in")
            if answers.is_complete
            else self.tr("Questionnaire not filled in")
        )
        return " · ".join(parts)

    def _pending_text(self, customer: CustomerSnapshot, formats: Formats) -> str:
        balance = customer.balance
        parts = [
            self.tr("+{points} from {date}").format(
                points=formats.points(p.points), date=formats.day(p.activates_at)
            )
            for p in balance.pending[:SHOWN_DATES]
        ]
        if len(balance.pending) > SHOWN_DATES:
            parts.append("…")
        text = self.tr("Pending: {list}").format(list=", ".join(parts)) if parts else ""
        if balance.debt:
            debt = self.tr("Owes {points} bonus").format(points=formats.points(balance.debt))
            text = f"{text}\n{debt}" if text else debt
        return text

    def _expiring_text(self, customer: CustomerSnapshot, formats: Formats) -> str:
        expiring = customer.balance.expiring
        parts = [
            self.tr("{points} on {date}").format(
                points=formats.points(e.points), date=formats.day(e.expires_at)
            )
            for e in expiring[:SHOWN_DATES]
        ]
        if len(expiring) > SHOWN_DATES:
            parts.append("…")
        return self.tr("Expiring soon: {list}").format(list=", ".join(parts)) if parts else ""
