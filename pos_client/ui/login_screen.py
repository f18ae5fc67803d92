"""Login: pick who you are, type the PIN (keyboard or keypad), Enter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_client.services.messages import StaffBadge
from pos_client.tasks import Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import role_name
from pos_client.ui.keypad import Keypad
from pos_client.ui.message_bar import MessageBar
from pos_client.ui.ports import TillIdentity, TillPort

STAFF_ID_ROLE = Qt.ItemDataRole.UserRole


class LoginScreen(QWidget):
    logged_in = Signal(object)  # StaffBadge

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        identity: TillIdentity,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        self._port = port
        self._tasks = tasks
        self._busy = False

        self.title = QLabel(self.tr("Log in to the till"), self)
        self.title.setObjectName("screenTitle")
        self.staff = QListWidget(self)
        self.staff.setObjectName("staffList")
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.pin = QLineEdit(self)
        self.pin.setObjectName("pinField")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,8}"), self))
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.returnPressed.connect(self.submit)
        self.pin.installEventFilter(self)
        self.staff.itemClicked.connect(lambda _item: self.pin.setFocus())

        self.keypad = Keypad(self.pin, self)
        self.submit_button = QPushButton(self.tr("Log in (Enter)"), self)
        self.submit_button.setObjectName("primaryButton")
        self.submit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.submit_button.clicked.connect(self.submit)
        self.message = MessageBar(self)

        self.demo_hint = QLabel(self._demo_text(identity), self)
        self.demo_hint.setObjectName("demoHint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setVisible(bool(identity.demo_pins))
        self._layout()

    def _layout(self) -> None:
        card = QFrame(self)
        card.setObjectName("card")
        staff_side = QVBoxLayout()
        who = QLabel(self.tr("Who is at the till?"), card)
        who.setObjectName("sectionTitle")
        staff_side.addWidget(who)
        staff_side.addWidget(self.staff, 1)
        pin_side = QVBoxLayout()
        pin_label = QLabel(self.tr("PIN"), card)
        pin_label.setObjectName("sectionTitle")
        pin_side.addWidget(pin_label)
        pin_side.addWidget(self.pin)
        pin_side.addWidget(self.keypad)
        pin_side.addWidget(self.submit_button)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(staff_side, 3)
        columns.addLayout(pin_side, 2)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(self.title)
        inner.addLayout(columns, 1)
        inner.addWidget(self.message)
        inner.addWidget(self.demo_hint)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 4)
        row.addStretch(1)
        outer.addLayout(row, 6)
        outer.addStretch(1)

    def _demo_text(self, identity: TillIdentity) -> str:
        pins = ", ".join(
            f"{name} ({role_name(role).lower()}) — {pin}" for name, role, pin in identity.demo_pins
        )
        return self.tr("Demo store. PINs: {pins}").format(pins=pins)

    # -- behaviour ---------------------------------------------------------------
    def activate(self) -> None:
        """Called whenever the screen is shown: fresh staff list, empty PIN."""
        self.pin.clear()
        self.message.clear_message()
        self.pin.setFocus()
        Op(self._tasks, self._port.staff_list).success(self._show_staff).failure(
            self._show_error
        ).run()

    def _show_staff(self, staff: Sequence[StaffBadge]) -> None:
        selected = self.selected_staff_id()
        self.staff.clear()
        for member in staff:
            item = QListWidgetItem(f"{member.name}\n{role_name(member.role)}")
            item.setData(STAFF_ID_ROLE, member.id)
            self.staff.addItem(item)
            if member.id == selected:
                self.staff.setCurrentItem(item)
        if self.staff.currentRow() < 0 and self.staff.count():
            self.staff.setCurrentRow(0)

    def selected_staff_id(self) -> str | None:
        item = self.staff.currentItem()
        return None if item is None else str(item.data(STAFF_ID_ROLE))

    def select_staff(self, staff_id: str) -> None:
        for row in range(self.staff.count()):
            if self.staff.item(row).data(STAFF_ID_ROLE) == staff_id:
                self.staff.setCurrentRow(row)

    def submit(self) -> None:
        if self._busy:
            return
        staff_id = self.selected_staff_id()
        pin = self.pin.text()
        if staff_id is None:
            self.message.error(self.tr("Choose your name in the list first."))
            return
        if not pin:
            self.message.error(self.tr("Type your PIN, then press Enter."))
            return
        self._busy = True
        self.submit_button.setEnabled(False)
        self.message.show_message(self.tr("Checking the PIN…"))
        Op(self._tasks, lambda: self._port.log_in(staff_id, pin)).success(self._on_success).failure(
            self._on_failure
        ).run()

    def _on_success(self, staff: StaffBadge) -> None:
        self._finish()
        self.pin.clear()
        self.message.clear_message()
        self.logged_in.emit(staff)

    def _on_failure(self, exc: Exception) -> None:
        self._finish()
        self.pin.clear()
        self._show_error(exc)

    def _finish(self) -> None:
        self._busy = False
        self.submit_button.setEnabled(True)
        self.pin.setFocus()

    def _show_error(self, exc: Exception) -> None:
        self.message.error(describe(exc))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the PIN field move through the staff list."""
        if (
            watched is self.pin
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None and self.staff.count():
                row = max(0, min(self.staff.count() - 1, self.staff.currentRow() + step))
                self.staff.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)
