"""The bottom line: who is logged in, the printer, the sync with the server, the time.

The sync part reads the runner's ``SyncStatus``: online or offline (and why), how
many events wait, how many the server refused, when it last answered, and a
progress bar while a new till loads the store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar, QWidget

from loyalty_core.rules import LoyaltyRules
from pos_client.print_runner import PrintRunner
from pos_client.print_status import PrinterState
from pos_client.services.messages import ReceiptToPrint, StaffBadge
from pos_client.sync_runner import SyncRunner
from pos_client.sync_status import SyncStatus
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import role_name
from pos_client.ui.message_bar import repolish
from pos_client.ui.ports import TillPort
from pos_client.ui.receipt_composer import ReceiptComposer
from pos_client.ui.receipt_preview import ReceiptPreview

OUTBOX_POLL_MS = 30_000  # without a sync runner, how often the queue is counted


class ScannerStateLike(Protocol):
    """``hardware.scanners.ScannerState``, named here so the UI imports no serial driver."""

    @property
    def connected(self) -> bool: ...
    @property
    def reason(self) -> str: ...


class TillStatusBar(QStatusBar):
    logout_requested = Signal()

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        parent: QWidget | None = None,
        sync: SyncRunner | None = None,
        printer: PrintRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self.setSizeGripEnabled(False)
        self._port = port
        self._tasks = tasks
        self.staff_label = self._label("statusStaff")
        self.queue_label = self._label("statusQueue")
        self.online_label = self._label("statusOnline", visible=False)
        self.rejected_label = self._label("statusRejected", visible=False)
        self.printer_label = self._label("statusPrinter", visible=False)
        self.scanner_label = self._label("statusScanner", visible=False)
        self.bootstrap_bar = QProgressBar(self)
        self.bootstrap_bar.setObjectName("statusBootstrap")
        self.bootstrap_bar.setRange(0, 100)
        self.bootstrap_bar.setMaximumWidth(220)
        self.bootstrap_bar.setVisible(False)
        self.clock_label = self._label("statusClock")
        self.reprint_button = self._button(self.tr("Reprint (F9)"), "reprintButton")
        self.reprint_button.setVisible(printer is not None)
        self.reprint_button.clicked.connect(self.reprint_last)
        self.preview_button = self._button(self.tr("Receipt (F8)"), "previewButton")
        self.preview_button.clicked.connect(self.show_last_receipt)
        self.preview: ReceiptPreview | None = None
        self.composer = ReceiptComposer()  # what F8 shows; the app hands it the printer's
        self._keys = [self._key("F8", self.show_last_receipt), self._key("F9", self.reprint_last)]
        self.logout_button = self._button(self.tr("Log out (Ctrl+L)"), "logoutButton")
        self.logout_button.clicked.connect(self.logout_requested)
        self.addWidget(self.staff_label, 1)
        for widget in (
            self.bootstrap_bar,
            self.scanner_label,
            self.printer_label,
            self.preview_button,
            self.reprint_button,
            self.online_label,
            self.rejected_label,
            self.queue_label,
            self.clock_label,
            self.logout_button,
        ):
            self.addPermanentWidget(widget)
        self.queued: int | None = None
        self.staff: StaffBadge | None = None
        self.zone: ZoneInfo | None = None  # the store's, from the rules (receipts use it too)
        self.set_staff(None)

        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self._poll = QTimer(self)
        self._poll.timeout.connect(self.refresh_outbox)
        self._poll.start(OUTBOX_POLL_MS)
        tasks.changed.connect(self._on_changed)
        self._listening = True
        self._sync = sync
        if sync is not None:
            sync.status_changed.connect(self.show_sync)
        self._printer = printer
        if printer is not None:
            printer.state_changed.connect(self.show_printer)
            self.show_printer(printer.state)
        self._first_reads()

    def _first_reads(self) -> None:
        self._tick()
        self.refresh_outbox()
        self._read_zone()

    def _read_zone(self) -> None:
        """The clock in the store's time zone, as receipts print it, not the machine's."""
        Op(self._tasks, self._port.rules).success(self._set_zone).run()

    def _set_zone(self, rules: LoyaltyRules) -> None:
        if self._listening:
            self.zone = rules.zone
            self._tick()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def _key(self, key: str, slot: Callable[[], None]) -> QShortcut:
        """A key for the whole window, whatever has the focus."""
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keyboard
        return button

    def _label(self, name: str, *, visible: bool = True) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setVisible(visible)
        return label

    def set_staff(self, staff: StaffBadge | None) -> None:
        self.staff = staff
        if staff is None:
            self.staff_label.setText(self.tr("Nobody is logged in"))
        else:
            self.staff_label.setText(
                self.tr("{name} · {role}").format(name=staff.name, role=role_name(staff.role))
            )
        self.logout_button.setVisible(staff is not None)
        # The last receipt is someone's at the till: nothing to show at the login screen.
        self.preview_button.setVisible(staff is not None)
        self._keys[0].setEnabled(staff is not None)
        if staff is not None:
            self._read_zone()  # the rules may have changed since (a sync)

    def refresh_outbox(self) -> None:
        Op(self._tasks, self._port.outbox_queued).success(self._show_queue).failure(
            lambda _exc: self.queue_label.setText(self.tr("To server: ?"))
        ).run()

    def _show_queue(self, queued: int) -> None:
        self.queued = queued
        self.queue_label.setText(self.tr("To server: {count}").format(count=self.queued))
        self.queue_label.setProperty("waiting", self.queued > 0)
        repolish(self.queue_label)

    def show_sync(self, status: SyncStatus) -> None:
        self._show_queue(status.queued)
        self.online_label.setVisible(status.online is not None)
        if status.online:
            synced = status.last_sync_at
            when = self.local(synced).strftime("%H:%M") if synced else "—"
            self.online_label.setText(self.tr("Online · synced {time}").format(time=when))
            self.online_label.setToolTip("")
        elif status.online is False:
            self.online_label.setText(self.tr("Offline: sales are kept and sent later"))
            self.online_label.setToolTip(status.error or "")
        self.online_label.setProperty("offline", status.online is False)
        repolish(self.online_label)
        self.rejected_label.setVisible(status.rejected > 0)
        self.rejected_label.setText(
            self.tr("Refused by server: {count}").format(count=status.rejected)
        )
        progress = status.catching_up
        self.bootstrap_bar.setVisible(progress is not None)
        if progress is not None:
            percent = status.bootstrap_percent
            self.bootstrap_bar.setRange(0, 100)
            if percent is None:  # the server does not say how much is left: count the rows
                self.bootstrap_bar.setValue(0)
                self.bootstrap_bar.setFormat(
                    self.tr("Loading the store: {rows} rows").format(rows=progress.done)
                )
            else:
                self.bootstrap_bar.setValue(percent)
                self.bootstrap_bar.setFormat(self.tr("Loading the store: %p%"))

    def show_last_receipt(self) -> None:
        """F8: the newest receipt on screen as it prints (with or without a printer)."""
        if self.staff is None or self.preview is not None:
            return
        Op(self._tasks, self._port.receipt_to_show).success(self._preview).failure(
            lambda exc: self.showMessage(describe(exc), 8000)
        ).run()

    def _preview(self, item: ReceiptToPrint) -> None:
        if self.staff is None or not self._listening:
            return
        self.preview = ReceiptPreview(
            self.composer.compose(item), self, columns=self.composer.columns
        )
        self.preview.finished.connect(self._preview_closed)
        self.preview.open()

    def _preview_closed(self) -> None:
        if self.preview is not None:
            self.preview.deleteLater()
            self.preview = None

    def reprint_last(self) -> None:
        """F9: a copy of the newest receipt goes to the print queue (for the logged-in)."""
        if self._printer is None or self.staff is None:
            return
        Op(self._tasks, self._port.reprint).success(
            lambda _job: self.showMessage(self.tr("A copy of the last receipt is printing."), 5000)
        ).failure(lambda exc: self.showMessage(describe(exc), 8000)).changes(
            Changes(prints=True)
        ).run()

    def show_scanner(self, state: ScannerStateLike) -> None:
        """The serial scanner: connected, or unplugged and being reopened (why: tooltip)."""
        self.scanner_label.setVisible(True)
        if state.connected:
            self.scanner_label.setText(self.tr("Scanner ready"))
        else:
            self.scanner_label.setText(self.tr("Scanner unplugged: reconnecting…"))
        self.scanner_label.setToolTip(state.reason)
        self.scanner_label.setProperty("offline", not state.connected)
        repolish(self.scanner_label)

    def show_printer(self, state: PrinterState) -> None:
        """The printer in plain words, and the receipts waiting for it (never dropped)."""
        self.printer_label.setVisible(state.configured)
        problems = {
            "offline": self.tr("Printer is off or unplugged"),
            "timeout": self.tr("Printer does not answer (busy or stuck?)"),
            "unconfirmed": self.tr(
                "Printer did not confirm the last receipt: check it came out (F9 prints a copy)"
            ),
            "paper_out": self.tr("Printer is out of paper"),
            "cover_open": self.tr("Printer cover is open"),
            "fault": self.tr("Printer reports an error (paper jam, cutter?)"),
            "settings": self.tr("Printer settings are wrong: ask a manager"),
            "other": self.tr("Printer failed"),
        }
        if state.problem_kind is not None:
            text = problems.get(state.problem_kind, problems["other"])
        elif state.paper_low:
            text = self.tr("Printer: paper is running low")
        else:
            text = self.tr("Printer ready")
        if state.waiting:
            text += " · " + self.tr("receipts waiting: {count}").format(count=state.waiting)
            if state.stale and state.oldest_at is not None:
                text += " " + self.tr("(the oldest since {time})").format(
                    time=self.local(state.oldest_at).strftime("%H:%M")
                )
        self.printer_label.setText(text)
        self.printer_label.setToolTip(state.problem or "")
        self.printer_label.setProperty("offline", state.problem_kind is not None)
        repolish(self.printer_label)

    def _on_changed(self, changes: Changes) -> None:
        if changes.outbox:
            self.refresh_outbox()

    def _tick(self) -> None:
        self.clock_label.setText(datetime.now(self.zone).strftime("%d.%m.%Y  %H:%M"))

    def stop(self) -> None:
        """No more ticks or outbox queries: the window is closing (its closeEvent calls this).

        The task manager outlives the window, so its broadcasts are let go of here as well:
        a query started now could come back after the widgets are gone.
        """
        self._clock.stop()
        self._poll.stop()
        if self._listening:
            self._tasks.changed.disconnect(self._on_changed)
            if self._sync is not None:
                self._sync.status_changed.disconnect(self.show_sync)
            if self._printer is not None:
                self._printer.state_changed.disconnect(self.show_printer)
            self._listening = False
