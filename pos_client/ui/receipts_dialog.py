"""The receipt lookup (F7): past sales and returns, shown as they printed or reprinted.

Type a receipt number, a day (dd.mm.yyyy), a phone or a card and press Enter; with nothing
typed the newest are listed. Up/Down choose a line, F8 (or a double click) shows its
paper, F9 queues a copy for the printer, F6 starts a return of the chosen sale. Each line
says how it was paid and whether the server has it. Searching runs on the database lane;
the dialog never waits on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.payment import Payment, TenderKind
from pos_client.records import EventStatus, ReceiptSummary, SyncState
from pos_client.services.messages import ReceiptToPrint
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats, short_card
from pos_client.ui.message_bar import Kind, MessageBar
from pos_client.ui.ports import TillPort
from pos_client.ui.receipt_composer import ReceiptComposer
from pos_client.ui.receipt_preview import ReceiptPreview

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ReceiptsDialog(QDialog):
    return_requested = Signal(str)  # F6 on a sale: its id

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        composer: ReceiptComposer,
        formats: Formats,
        *,
        can_print: bool,
        search: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("receiptsDialog")
        self.setWindowTitle(self.tr("Receipts"))
        self.setMinimumSize(900, 520)
        self._port, self._tasks, self._composer, self._fmt = port, tasks, composer, formats
        self._can_print = can_print
        self.receipts: list[ReceiptSummary] = []
        self.preview: ReceiptPreview | None = None
        self._searches = 0  # only the newest search's answer is shown
        self._closed = False

        self.search = QLineEdit(self)
        self.search.setObjectName("receiptSearch")
        self.search.setPlaceholderText(
            self.tr("Receipt number, day (dd.mm.yyyy), phone or card; Enter")
        )
        self.search.returnPressed.connect(self.look_up)
        self.search.setText(search)
        self.table = QTableWidget(0, 7, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Time"),
                self.tr("Kind"),
                self.tr("Total"),
                self.tr("Paid with"),
                self.tr("Cashier"),
                self.tr("Server"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.show_selected)
        self.message = MessageBar(self)
        self.show_button = QPushButton(self.tr("Show  F8"), self)
        self.show_button.clicked.connect(self.show_selected)
        self.reprint_button = QPushButton(self.tr("Print a copy  F9"), self)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.reprint_button.setVisible(can_print)
        self.return_button = QPushButton(self.tr("Return  F6"), self)
        self.return_button.clicked.connect(self.return_selected)
        close = QPushButton(self.tr("Close  Esc"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.show_button, self.reprint_button, self.return_button, close):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.reprint_button)
        buttons.addWidget(self.return_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(self.search)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.finished.connect(self._stop)
        self.search.setFocus()
        self.look_up()

    # -- searching -----------------------------------------------------------------------
    def look_up(self) -> None:
        self._searches += 1
        search, text = self._searches, self.search.text()

        def found(receipts: Sequence[ReceiptSummary]) -> None:
            if not self._closed and search == self._searches:
                self._show(list(receipts), text)

        def failed(exc: Exception) -> None:
            if not self._closed and search == self._searches:
                self._show([], text)
                self.message.show_message(describe(exc, self._fmt), Kind.ERROR)

        Op(self._tasks, lambda: self._port.find_receipts(text)).success(found).failure(failed).run()

    def _show(self, receipts: list[ReceiptSummary], text: str) -> None:
        self.receipts = receipts
        self.table.setRowCount(len(receipts))
        for row, receipt in enumerate(receipts):
            for col, value in enumerate(self._cells(receipt)):
                item = QTableWidgetItem(value)
                if col in (0, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        if receipts:
            self.table.selectRow(0)
            self.message.clear_message()
            if len(receipts) == 1 and text == receipts[0].id:  # scanned: say its number
                self.search.setText(str(receipts[0].number))
        elif text.strip():
            self.message.show_message(self.tr("No receipt matches {text}.").format(text=text))
        else:
            self.message.show_message(self.tr("No sales at this till yet."))

    def _cells(self, r: ReceiptSummary) -> tuple[str, ...]:
        fmt = self._fmt
        kind = (
            self.tr("sale")
            if r.kind == "sale"
            else self.tr("return of No. {number}").format(number=r.original_number or "?")
        )
        paid = self._paid(r.payment)
        if r.card_number:
            paid = (paid + " · " if paid else "") + short_card(r.card_number)
        return (
            str(r.number),
            fmt.local(r.created_at).strftime("%d.%m.%Y %H:%M"),
            kind,
            fmt.money(r.total if r.kind == "sale" else -r.total),
            paid,
            r.cashier,
            self._server(r.sync),
        )

    def _paid(self, payment: Payment | None) -> str:
        if payment is None:
            return ""
        names = {TenderKind.CASH: self.tr("cash"), TenderKind.CARD: self.tr("bank card")}
        return " + ".join(names[t.kind] for t in payment.tenders)

    def _server(self, sync: SyncState | None) -> str:
        if sync is None:
            return ""
        texts = {
            EventStatus.QUEUED: self.tr("waiting"),
            EventStatus.SENDING: self.tr("sending"),
            EventStatus.APPLIED: self.tr("received"),
            EventStatus.DUPLICATE: self.tr("received"),
            EventStatus.REJECTED: self.tr("refused: {code}"),
        }
        return texts[sync.status].format(code=sync.error_code or "?")

    # -- the chosen receipt ---------------------------------------------------------------
    def selected(self) -> ReceiptSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.receipts[rows[0].row()] if rows else None

    def show_selected(self) -> None:
        receipt = self.selected()
        if receipt is None or self.preview is not None:
            return
        Op(self._tasks, lambda: self._port.receipt_to_show(receipt.id)).success(
            self._preview
        ).failure(lambda exc: self.message.show_message(describe(exc, self._fmt), Kind.ERROR)).run()

    def _preview(self, item: ReceiptToPrint) -> None:
        if self._closed:
            return
        self.preview = ReceiptPreview(
            self._composer.compose(item), self, columns=self._composer.columns
        )
        self.preview.finished.connect(self._preview_closed)
        self.preview.open()

    def _preview_closed(self) -> None:
        if self.preview is not None:
            self.preview.deleteLater()
            self.preview = None

    def reprint_selected(self) -> None:
        receipt = self.selected()
        if receipt is None or not self._can_print:
            return

        def queued(_job: int) -> None:
            if not self._closed:
                self.message.show_message(
                    self.tr("A copy of receipt No. {number} is printing.").format(
                        number=receipt.number
                    ),
                    Kind.SUCCESS,
                )

        Op(self._tasks, lambda: self._port.reprint(receipt.id)).success(queued).failure(
            lambda exc: self.message.show_message(describe(exc, self._fmt), Kind.ERROR)
        ).changes(Changes(prints=True)).run()

    def return_selected(self) -> None:
        receipt = self.selected()
        if receipt is None:
            return
        if receipt.kind != "sale":
            self.message.show_message(self.tr("Choose the sale to return from, not a return."))
            return
        self.return_requested.emit(receipt.id)

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F6:
            self.return_selected()
        elif key == Qt.Key.Key_F8:
            self.show_selected()
        elif key == Qt.Key.Key_F9:
            self.reprint_selected()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.receipts:
            current = self.selected()
            row = self.receipts.index(current) if current is not None else -1
            step = 1 if key == Qt.Key.Key_Down else -1
            self.table.selectRow(max(0, min(len(self.receipts) - 1, row + step)))
        else:
            super().keyPressEvent(event)

    def _stop(self) -> None:
        """Closed: answers still on their way are dropped."""
        self._closed = True
