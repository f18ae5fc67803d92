"""The till's window: Login, then Checkout, with the status bar under both.

Everything it shows comes from the injected ``TillPort`` and ``TaskManager``;
there is no global window object.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from loyalty_core.staff import Capability, may
from pos_client.print_runner import PrintRunner
from pos_client.services.messages import StaffBadge
from pos_client.sync_runner import SyncRunner
from pos_client.tasks import Op, TaskManager
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.customer_display import CustomerDisplay
from pos_client.ui.device_settings import DevicePort, DeviceSettingsDialog
from pos_client.ui.idle_lock import IdleWatch
from pos_client.ui.login_screen import LoginScreen
from pos_client.ui.ports import TillIdentity, TillPort
from pos_client.ui.receipts_dialog import ReceiptsDialog
from pos_client.ui.returns_dialog import ReturnsDialog
from pos_client.ui.scores_dialog import ScoresDialog
from pos_client.ui.shift_dialog import ShiftDialog
from pos_client.ui.status_bar import TillStatusBar

MIN_WIDTH, MIN_HEIGHT = 1024, 700


class MainWindow(QMainWindow):
    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        identity: TillIdentity,
        parent: QWidget | None = None,
        sync: SyncRunner | None = None,
        printer: PrintRunner | None = None,
        devices: DevicePort | None = None,
        idle_lock_s: float = 0,
        customer_display: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(
            self.tr("{store} — {till}").format(store=identity.store_name, till=identity.till_name)
        )
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self.staff: StaffBadge | None = None
        self._tasks, self._devices = tasks, devices
        self.device_settings: DeviceSettingsDialog | None = None
        self.receipts: ReceiptsDialog | None = None
        self.returns: ReturnsDialog | None = None
        self.shift: ShiftDialog | None = None
        self.scores: ScoresDialog | None = None
        self._port, self._prints = port, printer is not None
        self.login = LoginScreen(port, tasks, identity, self)
        self.checkout = CheckoutScreen(port, tasks, self)
        self.screens = QStackedWidget(self)
        self.screens.addWidget(self.login)
        self.screens.addWidget(self.checkout)
        self.setCentralWidget(self.screens)
        # The customer's window follows the same sale (one SaleSession, two windows).
        self.display = (
            CustomerDisplay(self.checkout.session, port, tasks, self) if customer_display else None
        )
        self.status = TillStatusBar(port, tasks, self, sync=sync, printer=printer)
        self.setStatusBar(self.status)

        self.login.logged_in.connect(self._logged_in)
        self.status.logout_requested.connect(self.log_out)
        logout = QShortcut(QKeySequence("Ctrl+L"), self)
        logout.setContext(Qt.ShortcutContext.WindowShortcut)
        logout.activated.connect(self.log_out)
        devices_key = QShortcut(QKeySequence("Ctrl+Shift+D"), self)
        devices_key.setContext(Qt.ShortcutContext.WindowShortcut)
        devices_key.activated.connect(self.open_device_settings)
        receipts_key = QShortcut(QKeySequence("F7"), self)
        receipts_key.setContext(Qt.ShortcutContext.WindowShortcut)
        receipts_key.activated.connect(self.open_receipts)
        self.checkout.receipt_scanned.connect(self.open_return)
        shift_key = QShortcut(QKeySequence("F10"), self)
        shift_key.setContext(Qt.ShortcutContext.WindowShortcut)
        shift_key.activated.connect(self.open_shift)
        scores_key = QShortcut(QKeySequence("F11"), self)
        scores_key.setContext(Qt.ShortcutContext.WindowShortcut)
        scores_key.activated.connect(self.open_scores)
        # Locks after this long with nobody at the till (0: never).
        self.idle = IdleWatch(int(idle_lock_s * 1000), self) if idle_lock_s > 0 else None
        if self.idle is not None:
            self.idle.idle.connect(self._idle)
        self._show_login()

    def _idle(self) -> None:
        """Nobody at the till: lock it, unless a sale is being rung up (it waits again)."""
        if self.staff is None or self.idle is None:
            return
        checkout = self.checkout
        busy = (
            checkout.session.paying
            or not checkout.session.cart.is_empty
            or checkout.payment_dialog is not None
            or checkout.register_dialog is not None
            or self.returns is not None
            or self.shift is not None
            or self.scores is not None
        )
        if busy:
            self.idle.again()
            return
        minutes = max(1, round(self.idle.wait_ms / 60_000))
        self.log_out()
        self.status.showMessage(
            self.tr("Locked after {minutes} min with nobody at the till.").format(minutes=minutes)
        )

    def _show_login(self) -> None:
        self.screens.setCurrentWidget(self.login)
        self.login.activate()

    def _logged_in(self, staff: StaffBadge) -> None:
        self.staff = staff
        self.status.set_staff(staff)
        self.screens.setCurrentWidget(self.checkout)
        self.checkout.start(staff)
        if self.idle is not None:
            self.idle.start()
        # No shift open: the shift window comes first, to open one with its float.
        Op(self._tasks, self._port.shift_report).success(self._shift_known).run()

    def _shift_known(self, report: object) -> None:
        if report is None and self.staff is not None:
            self.open_shift()

    def open_shift(self) -> None:
        """F10: the shift window: open a shift, its X report, close it with the cash counted."""
        if self.staff is None or self._dialog_open():
            return
        if self.checkout.session.paying or not self.checkout.session.cart.is_empty:
            self.status.showMessage(self.tr("Finish or cancel the sale first."), 8000)
            return
        dialog = ShiftDialog(
            self._port,
            self._tasks,
            self.checkout.session.formats,
            self.staff,
            can_print=self._prints,
            parent=self,
        )
        dialog.finished.connect(self._shift_closed)
        self.shift = dialog
        dialog.open()
        dialog.activateWindow()

    def _shift_closed(self) -> None:
        if self.shift is not None:
            self.shift.deleteLater()
            self.shift = None
        self.activateWindow()
        self.checkout.scan_bar.focus_scan()

    def open_scores(self) -> None:
        """F11: staff scores from the server: a manager's whole store, a cashier's own."""
        if self.staff is None or self._dialog_open():
            return
        dialog = ScoresDialog(
            self._port, self._tasks, self.checkout.session.formats, self.staff, self
        )
        dialog.finished.connect(self._scores_closed)
        self.scores = dialog
        dialog.open()
        dialog.activateWindow()

    def _scores_closed(self) -> None:
        if self.scores is not None:
            self.scores.deleteLater()
            self.scores = None
        self.activateWindow()
        self.checkout.scan_bar.focus_scan()

    def _dialog_open(self) -> bool:
        dialogs = (self.receipts, self.returns, self.shift, self.scores)
        return any(d is not None for d in dialogs) or (self.checkout.payment_dialog is not None)

    def log_out(self) -> None:
        if self.staff is None or not self.checkout.can_leave():
            return
        last = self.staff
        self._close_device_settings()
        if self.receipts is not None:
            self.receipts.reject()
        if self.returns is not None:
            self.returns.reject()
        if self.shift is not None:
            self.shift.reject()
        if self.scores is not None:
            self.scores.reject()
        self.staff = None
        if self.idle is not None:
            self.idle.stop()
        self.status.set_staff(None)
        self._show_login()
        self.login.select_staff(last.id)

    def open_device_settings(self) -> None:
        """Ctrl+Shift+D: the printer and scanner settings, for a manager only."""
        if self.staff is None or not may(self.staff.role, Capability.DEVICE_SETTINGS):
            self.status.showMessage(self.tr("Only a manager can change the device settings."), 8000)
            return
        if self._devices is None:
            self.status.showMessage(
                self.tr("Device settings cannot be changed at this till."), 8000
            )
            return
        if self.device_settings is not None and self.device_settings.isVisible():
            self.device_settings.activateWindow()
            return
        if self.device_settings is not None:
            self.device_settings.deleteLater()  # closed: what it still waits for is ignored
        self.device_settings = DeviceSettingsDialog(self._devices, self._tasks, self)
        self.device_settings.open()

    def open_receipts(self, search: str = "") -> None:
        """F7: the receipt lookup, with each receipt's paper and a copy for the printer;
        ``search`` is what it looks up first (a scanned receipt's id)."""
        if self.staff is None or self.receipts is not None:
            return
        if self.checkout.session.paying or self.checkout.payment_dialog is not None:
            return
        dialog = ReceiptsDialog(
            self._port,
            self._tasks,
            self.status.composer,
            self.checkout.session.formats,
            can_print=self._prints,
            search=search,
            parent=self,
        )
        dialog.finished.connect(self._receipts_closed)
        dialog.return_requested.connect(self._return_from_lookup)
        self.receipts = dialog
        dialog.open()
        dialog.activateWindow()

    def _return_from_lookup(self, sale_id: str) -> None:
        if self.receipts is not None:
            self.receipts.reject()
        self.open_return(sale_id)

    def open_return(self, sale_id: str) -> None:
        """A return from the sale ``sale_id`` (F6 in the lookup, or its receipt scanned)."""
        if self.staff is None or self.returns is not None or self.receipts is not None:
            return
        if self.checkout.session.paying or self.checkout.payment_dialog is not None:
            return
        dialog = ReturnsDialog(
            self._port, self._tasks, self.checkout.session.formats, self.staff, sale_id, self
        )
        dialog.finished.connect(self._returns_closed)
        self.returns = dialog
        dialog.open()
        dialog.activateWindow()

    def _returns_closed(self) -> None:
        if self.returns is not None:
            self.returns.deleteLater()
            self.returns = None
        self.activateWindow()
        self.checkout.scan_bar.focus_scan()

    def _receipts_closed(self) -> None:
        if self.receipts is not None:
            self.receipts.deleteLater()
            self.receipts = None
        self.activateWindow()
        self.checkout.scan_bar.focus_scan()

    def _close_device_settings(self) -> None:
        if self.device_settings is not None and self.device_settings.isVisible():
            self.device_settings.close()  # stops its scan test

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.idle is not None:
            self.idle.stop()
        self._close_device_settings()
        if self.receipts is not None:
            self.receipts.reject()
        if self.returns is not None:
            self.returns.reject()
        if self.shift is not None:
            self.shift.reject()
        if self.scores is not None:
            self.scores.reject()
        self.status.stop()  # its timers and refreshes end before the widgets can go
        self.checkout.stop()
        super().closeEvent(event)
