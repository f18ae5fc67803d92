"""The shift (F10): open it with a float, see the X report, close it with the cash counted.

With no shift open, type the cash put in the drawer to start (the float) and press Enter.
With one open, the X report shows what the shift's sales and returns add up to and the cash
that should be in the drawer; F9 prints it. Type the cash counted and press F12 to close
the shift: the Z report shows (and prints, with a printer) with the difference. Esc closes
the window. Every call runs on the database lane.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hardware.receipt_layout import layout_receipt
from loyalty_core.errors import DomainError
from loyalty_core.shifts import CloseNotAllowedError, ShiftReport
from loyalty_core.staff import Capability, may
from pos_client.services.messages import StaffBadge
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats
from pos_client.ui.message_bar import Kind, MessageBar
from pos_client.ui.ports import TillPort
from pos_client.ui.report_paper import report_document

REPORT_COLUMNS = 42
REPORT_POINT_SIZE = 14  # the report read on the screen as on paper, not in small print


class ReportText(QPlainTextEdit):
    """The report as its paper prints it (monospace, REPORT_COLUMNS wide), in large type
    and centred in its box, whatever the box's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(REPORT_POINT_SIZE)
        self.setFont(font)

    def paper_width(self) -> int:
        """The report's width in pixels: its columns and the document's own margins."""
        margin = round(self.document().documentMargin())
        return self.fontMetrics().horizontalAdvance("0" * REPORT_COLUMNS) + 2 * margin + 4

    def resizeEvent(self, event: QResizeEvent) -> None:
        bar = self.verticalScrollBar()
        room = self.contentsRect().width() - (bar.width() if bar.isVisible() else 0)
        side = max(0, (room - self.paper_width()) // 2)
        self.setViewportMargins(side, 0, side, 0)
        super().resizeEvent(event)


class ShiftDialog(QDialog):
    shift_changed = Signal(object)  # the ShiftReport after opening or closing

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        formats: Formats,
        staff: StaffBadge,
        *,
        can_print: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shiftDialog")
        self.setWindowTitle(self.tr("Shift"))
        self.setMinimumSize(640, 640)  # the Russian cash hints whole in the field
        self._port, self._tasks, self._fmt, self._staff = port, tasks, formats, staff
        self._can_print = can_print
        self.report: ShiftReport | None = None
        self.loaded = self._busy = self._closed = False
        self.state = QLabel(self.tr("Reading the shift…"), self)
        self.state.setObjectName("shiftState")
        self.text = ReportText(self)
        self.text.setObjectName("shiftReport")
        self.cash = QLineEdit(self)
        self.cash.setObjectName("shiftCash")
        self.cash.returnPressed.connect(self._entered)
        self.message = MessageBar(self)
        self.print_button = QPushButton(self.tr("Print X report  F9"), self)
        self.print_button.clicked.connect(self.print_report)
        self.close_button = QPushButton(self.tr("Close the shift  F12"), self)
        self.close_button.setObjectName("closeShift")
        self.close_button.clicked.connect(self.close_shift)
        leave = QPushButton(self.tr("Back  Esc"), self)
        leave.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.close_button, leave):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.state)
        column.addWidget(self.text, 1)
        column.addWidget(self.message)
        column.addWidget(self.cash)
        column.addLayout(buttons)
        self.finished.connect(self._stop)
        self.close_button.setEnabled(False)
        self.print_button.setVisible(False)
        self.cash.setFocus()
        self.refresh()

    def refresh(self) -> None:
        Op(self._tasks, self._port.shift_report).success(self._loaded).failure(self._error).run()

    def _loaded(self, report: ShiftReport | None) -> None:
        if not self._closed:
            self.loaded = True
            self._show(report)

    def _show(self, report: ShiftReport | None) -> None:
        self.report = report
        open_now = report is not None and not report.closing
        closes = may(self._staff.role, Capability.CLOSE_SHIFT)
        self.print_button.setVisible(self._can_print and open_now)
        self.close_button.setVisible(closes)  # the Z report is a senior cashier's or a manager's
        self.close_button.setEnabled(open_now)
        self.cash.setEnabled(report is None or open_now)
        if report is None:
            self.state.setText(self.tr("No shift is open."))
            self.text.clear()
            self.cash.setPlaceholderText(self.tr("Cash put in the drawer to start; Enter opens"))
            return
        doc = report_document(report, self._fmt)
        self.text.setPlainText(layout_receipt(doc, REPORT_COLUMNS).as_text())
        if report.closing:
            self.state.setText(
                self.tr("Shift No. {number} is closed.").format(number=report.number)
            )
        else:
            self.state.setText(self.tr("Shift No. {number} is open.").format(number=report.number))
            self.cash.setEnabled(closes)
            self.cash.setPlaceholderText(
                self.tr("Cash counted in the drawer; F12 closes")
                if closes
                else self.tr("A senior cashier or a manager closes the shift")
            )

    def _amount(self) -> int | None:
        text = self.cash.text().strip()
        try:
            return self._fmt.currency.parse(text) if text else None
        except DomainError as refused:
            self._error(refused)
            return None

    def _entered(self) -> None:
        """Enter opens a shift with the float typed (empty: none); it never closes one."""
        if self.report is not None or not self.loaded or self._busy:
            return
        text = self.cash.text().strip()
        amount = self._amount() if text else 0
        if amount is None:
            return
        self._run(lambda: self._port.open_shift(self._staff.id, amount), opened=True)

    def close_shift(self) -> None:
        report = self.report
        if report is None or report.closing or self._busy:
            return
        if not may(self._staff.role, Capability.CLOSE_SHIFT):
            self.message.show_message(describe(CloseNotAllowedError()), Kind.WARNING)
            return
        counted = self._amount()
        if counted is None:
            if not self.cash.text().strip():
                self.message.show_message(
                    self.tr("Type the cash counted in the drawer first."), Kind.WARNING
                )
            return
        self._run(lambda: self._port.close_shift(self._staff.id, counted), opened=False)

    def _run(self, call: Callable[[], ShiftReport], *, opened: bool) -> None:
        self._busy = True

        def done(report: ShiftReport) -> None:
            self._busy = False
            if self._closed:
                return
            self.cash.clear()
            self._show(report)
            self.shift_changed.emit(report)
            if opened:
                text = self.tr("Shift No. {number} is open: the till can sell.")
            elif report.difference:
                text = (
                    self.tr("Shift No. {number} closed: {sum} over.")
                    if report.difference > 0
                    else self.tr("Shift No. {number} closed: {sum} short.")
                )
            else:
                text = self.tr("Shift No. {number} closed: the cash matches.")
            self.message.show_message(
                text.format(number=report.number, sum=self._fmt.money(abs(report.difference or 0))),
                Kind.SUCCESS,
            )

        def failed(exc: Exception) -> None:
            self._busy = False
            self._error(exc)

        Op(self._tasks, call).success(done).failure(failed).changes(
            Changes(outbox=True, prints=not opened)
        ).run()

    def print_report(self) -> None:
        if not self._can_print or self.report is None or self.report.closing:
            return
        Op(self._tasks, self._port.print_shift_report).success(
            lambda _none: self.message.show_message(self.tr("The X report is printing."))
        ).failure(self._error).changes(Changes(prints=True)).run()

    def _error(self, exc: Exception) -> None:
        if not self._closed:
            self.message.show_message(describe(exc, self._fmt), Kind.ERROR)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F12:
            self.close_shift()
        elif event.key() == Qt.Key.Key_F9:
            self.print_report()
        else:
            super().keyPressEvent(event)

    def _stop(self) -> None:
        self._closed = True
