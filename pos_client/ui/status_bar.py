"""The bottom line: who is logged in, how many events wait for the server, the time."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from pos_client.services.messages import StaffBadge
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.formatting import role_name
from pos_client.ui.message_bar import repolish
from pos_client.ui.ports import TillPort

OUTBOX_POLL_MS = 30_000  # the sync worker empties the queue without telling the UI


class TillStatusBar(QStatusBar):
    logout_requested = Signal()

    def __init__(self, port: TillPort, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self.setSizeGripEnabled(False)
        self._port = port
        self._tasks = tasks
        self.staff_label = QLabel(self)
        self.staff_label.setObjectName("statusStaff")
        self.queue_label = QLabel(self)
        self.queue_label.setObjectName("statusQueue")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("statusClock")
        self.logout_button = QPushButton(self.tr("Log out (Ctrl+L)"), self)
        self.logout_button.setObjectName("logoutButton")
        self.logout_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.logout_button.clicked.connect(self.logout_requested)
        self.addWidget(self.staff_label, 1)
        self.addPermanentWidget(self.queue_label)
        self.addPermanentWidget(self.clock_label)
        self.addPermanentWidget(self.logout_button)
        self.queued: int | None = None
        self.set_staff(None)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.refresh_outbox)
        self._poll.start(OUTBOX_POLL_MS)
        tasks.changed.connect(self._on_changed)
        self._listening = True
        self._tick()
        self.refresh_outbox()

    def set_staff(self, staff: StaffBadge | None) -> None:
        if staff is None:
            self.staff_label.setText(self.tr("Nobody is logged in"))
        else:
            self.staff_label.setText(
                self.tr("{name} · {role}").format(name=staff.name, role=role_name(staff.role))
            )
        self.logout_button.setVisible(staff is not None)

    def refresh_outbox(self) -> None:
        Op(self._tasks, self._port.outbox_queued).success(self._show_queue).failure(
            lambda _exc: self.queue_label.setText(self.tr("To server: ?"))
        ).run()

    def _show_queue(self, queued: int) -> None:
        self.queued = queued
        self.queue_label.setText(self.tr("To server: {count}").format(count=self.queued))
        self.queue_label.setProperty("waiting", self.queued > 0)
        repolish(self.queue_label)

    def _on_changed(self, changes: Changes) -> None:
        if changes.outbox:
            self.refresh_outbox()

    def _tick(self) -> None:
        self.clock_label.setText(datetime.now().strftime("%d.%m.%Y  %H:%M"))

    def stop(self) -> None:
        """No more ticks or outbox queries: the window is closing (its closeEvent calls this).

        The task manager outlives the window, so its broadcasts are let go of here as well:
        a query started now could come back after the widgets are gone.
        """
        self._clock.stop()
        self._poll.stop()
        if self._listening:
            self._tasks.changed.disconnect(self._on_changed)
            self._listening = False
