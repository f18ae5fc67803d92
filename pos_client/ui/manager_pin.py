"""A manager's PIN for what a cashier may not do alone (a large return, a late one).

The manager picks their name, says why and types their PIN at the cashier's till; the PIN
is checked by the same login (with its lockout) on the database lane. ``approved`` carries
the manager's badge and the reason; the caller puts both on the request, the service checks
the role again when it commits, and the audit log keeps who, what, why and when.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.staff import Role
from pos_client.services.messages import StaffBadge
from pos_client.tasks import Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats
from pos_client.ui.ports import TillPort


class ManagerPinDialog(QDialog):
    approved = Signal(object, str)  # the manager's StaffBadge, and why (for the audit log)

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        formats: Formats,
        reason: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("managerPinDialog")
        self.setWindowTitle(self.tr("Manager's approval"))
        self._port, self._tasks, self._fmt = port, tasks, formats
        self._checking = False
        self._closed = False
        why = QLabel(reason, self)
        why.setObjectName("approvalReason")
        why.setWordWrap(True)
        self.manager = QComboBox(self)
        self.manager.setObjectName("approvalManager")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("approvalWhy")
        self.reason.setPlaceholderText(self.tr("kept in the audit log"))
        self.pin = QLineEdit(self)
        self.pin.setObjectName("approvalPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.check)
        self.problem = QLabel(self)
        self.problem.setObjectName("approvalProblem")
        self.problem.setWordWrap(True)
        confirm = QPushButton(self.tr("Approve  Enter"), self)
        confirm.clicked.connect(self.check)
        cancel = QPushButton(self.tr("Cancel  Esc"), self)
        cancel.clicked.connect(self.reject)
        for button in (confirm, cancel):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.tr("Manager"), self.manager)
        form.addRow(self.tr("Why"), self.reason)
        form.addRow(self.tr("PIN"), self.pin)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(confirm)
        column = QVBoxLayout(self)
        column.addWidget(why)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addLayout(buttons)
        self.finished.connect(self._stop)
        self.reason.setFocus()
        self.reason.returnPressed.connect(self.pin.setFocus)
        Op(tasks, port.staff_list).success(self._show_managers).failure(self._failed).run()

    def _show_managers(self, staff: Sequence[StaffBadge]) -> None:
        if self._closed:
            return
        for badge in staff:
            if badge.role is Role.MANAGER:
                self.manager.addItem(badge.name, badge.id)
        if not self.manager.count():
            self.problem.setText(self.tr("No manager is set up at this till."))

    def check(self) -> None:
        manager_id = self.manager.currentData()
        if self._checking or manager_id is None:
            return
        if not self.reason.text().strip():
            self.problem.setText(self.tr("Say why: the audit log keeps the reason."))
            self.reason.setFocus()
            return
        self._checking = True
        pin = self.pin.text()
        Op(self._tasks, lambda: self._port.log_in(manager_id, pin)).success(self._checked).failure(
            self._failed
        ).run()

    def _checked(self, badge: StaffBadge) -> None:
        self._checking = False
        if self._closed:
            return
        if badge.role is not Role.MANAGER:
            self.problem.setText(self.tr("Only a manager can approve this."))
            return
        self.approved.emit(badge, self.reason.text().strip())
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._checking = False
        if not self._closed:
            self.pin.clear()
            self.problem.setText(describe(exc, self._fmt))

    def _stop(self) -> None:
        self._closed = True
