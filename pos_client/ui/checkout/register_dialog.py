"""Quick registration at the till: phone and consent, the rest optional. Errors stay inline."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.customers import CONSENT_TEXT_VERSION, Questionnaire
from pos_client.services.messages import CustomerSnapshot, RegisterCustomer
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.message_bar import MessageBar
from pos_client.ui.ports import TillPort

_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")


class BadBirthdayError(ValueError):
    def __init__(self, text: str, *, well_formed: bool) -> None:
        super().__init__(text)
        self.text = text
        self.well_formed = well_formed  # dd.mm.yyyy, but no such day (31.02.2000)


def parse_birthday(text: str) -> date | None:
    """``dd.mm.yyyy`` (or ISO ``yyyy-mm-dd``); empty means not given."""
    text = text.strip()
    if not text:
        return None
    match = _DAY_MONTH_YEAR.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise BadBirthdayError(text, well_formed=match is not None) from None


class RegisterDialog(QDialog):
    registered = Signal(object)  # CustomerSnapshot

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        staff_id: str,
        phone: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("registerDialog")
        self.setWindowTitle(self.tr("New customer"))
        self.setMinimumWidth(520)
        self._port = port
        self._tasks = tasks
        self._staff_id = staff_id
        self._busy = False

        self.phone = QLineEdit(phone, self)
        self.phone.setPlaceholderText(self.tr("8 912 345-67-89"))
        self.consent = QCheckBox(self.tr("The customer consents to personal-data processing"), self)
        self.consent.setObjectName("consentBox")
        consent_text = QLabel(
            self.tr(
                "Consent to the processing of personal data for the loyalty program, "
                "text version {version}. Required by law: ask the customer before ticking."
            ).format(version=CONSENT_TEXT_VERSION),
            self,
        )
        consent_text.setObjectName("hint")
        consent_text.setWordWrap(True)
        self.name = QLineEdit(self)
        self.birthday = QLineEdit(self)
        self.birthday.setPlaceholderText(self.tr("dd.mm.yyyy"))
        self.email = QLineEdit(self)
        self.message = MessageBar(self)
        self.register_button = QPushButton(self.tr("Register (Enter)"), self)
        self.register_button.setObjectName("primaryButton")
        self.register_button.setDefault(True)
        self.register_button.clicked.connect(self.submit)
        cancel = QPushButton(self.tr("Cancel (Esc)"), self)
        cancel.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Phone *"), self.phone)
        form.addRow("", self.consent)
        form.addRow("", consent_text)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Birthday"), self.birthday)
        form.addRow(self.tr("E-mail"), self.email)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.register_button)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.phone.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self._busy:
            return
        try:
            birthday = parse_birthday(self.birthday.text())
        except BadBirthdayError as bad:
            self.message.error(
                self.tr("Birthday: {text} is not a day of the calendar.").format(text=bad.text)
                if bad.well_formed
                else self.tr("Birthday: type it as dd.mm.yyyy, e.g. 05.03.1990.")
            )
            self.birthday.setFocus()
            return
        new = RegisterCustomer(
            phone=self.phone.text(),
            consent=self.consent.isChecked(),
            staff_id=self._staff_id,
            questionnaire=Questionnaire(
                name=self.name.text() or None,
                birthday=birthday,
                email=self.email.text() or None,
            ),
        )
        self._busy = True
        self.register_button.setEnabled(False)
        self.message.show_message(self.tr("Registering…"))
        Op(self._tasks, lambda: self._port.register_customer(new)).success(
            self._on_registered
        ).failure(self._on_failure).changes(
            Changes(customers=True, outbox=True, prints=True)  # the new card prints
        ).run()

    def reject(self) -> None:
        """Esc, Cancel or closing; ignored while a registration is on its way to the
        database: it will be committed, and its result must reach the sale."""
        if not self._busy:
            super().reject()

    def _on_registered(self, customer: CustomerSnapshot) -> None:
        self._busy = False
        self.registered.emit(customer)
        self.accept()

    def _on_failure(self, exc: Exception) -> None:
        self._busy = False
        self.register_button.setEnabled(True)
        self.message.error(describe(exc))
