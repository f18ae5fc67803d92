"""A return by receipt (F6 in the receipt lookup, or the receipt's QR scanned at the checkout).

The sold lines are listed with what earlier returns took back. Up/Down choose a line; type
how many to return and press Enter (``0,350`` for weighed goods; ``0`` for none), ``+``
takes all that is left of the line, F4 all that is left of the receipt. Each change
is quoted by the till's engine on the database lane: the refund, how it goes back (the bank
card first, then cash) and the bonus given back, taken back and owed are shown before
anything is written. F12 confirms; a refund above the till's limit, or a receipt past the
return window, first asks for a manager's PIN. Esc closes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.payment import Payment, TenderKind
from pos_client.records import SaleRecord
from pos_client.services.messages import CompletedReturn, ReturnQuote, ReturnRequest, StaffBadge
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats
from pos_client.ui.manager_pin import ManagerPinDialog
from pos_client.ui.message_bar import Kind, MessageBar
from pos_client.ui.ports import TillPort

MILLI = 1000
_QUANTITY = re.compile(r"^\s*(\d{1,6})(?:[.,](\d{1,3}))?\s*$")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def parse_quantity(text: str) -> int | None:
    """``2`` -> 2000, ``0,35`` -> 350 (thousandths of a unit); None for anything else."""
    found = _QUANTITY.match(text)
    if found is None:
        return None
    whole, frac = found.group(1), (found.group(2) or "").ljust(3, "0")
    return int(whole) * MILLI + int(frac)


def quantity_text(milli: int) -> str:
    whole, rest = divmod(milli, MILLI)
    return str(whole) if not rest else f"{whole},{rest:03d}".rstrip("0")


class ReturnsDialog(QDialog):
    returned = Signal(object)  # the CompletedReturn

    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        formats: Formats,
        staff: StaffBadge,
        sale_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("returnsDialog")
        self.setWindowTitle(self.tr("Return"))
        self.setMinimumSize(860, 520)
        self._port, self._tasks, self._fmt, self._staff = port, tasks, formats, staff
        self.sale: SaleRecord | None = None
        self.before: Mapping[str, int] = {}
        self.asked: dict[str, int] = {}  # line id -> thousandths to return now
        self.quote: ReturnQuote | None = None
        self.completed: CompletedReturn | None = None
        self.approval: ManagerPinDialog | None = None
        self._approved_by: str | None = None
        self._approval_reason = ""
        self._quotes = 0  # only the newest quote is shown
        self._busy = self._closed = False

        self._build()
        self.finished.connect(self._stop)
        self.quantity.setFocus()
        Op(tasks, lambda: (port.sale(sale_id), port.returned_quantities(sale_id))).success(
            self._loaded
        ).failure(self._error).run()

    def _build(self) -> None:
        self.title = QLabel(self.tr("Loading the receipt…"), self)
        self.title.setObjectName("returnTitle")
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("returnLines")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Item"),
                self.tr("Sold"),
                self.tr("Returned before"),
                self.tr("Return now"),
                self.tr("Refund"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.quantity = QLineEdit(self)
        self.quantity.setObjectName("returnQuantity")
        self.quantity.setPlaceholderText(
            self.tr("How many of the chosen line; Enter. + all of it, F4 the whole receipt")
        )
        self.quantity.returnPressed.connect(self._typed)
        self.refund = QLabel(self)
        self.refund.setObjectName("returnRefund")
        self.refund.setAlignment(RIGHT)
        self.tenders = QLabel(self)
        self.tenders.setObjectName("returnTenders")
        self.tenders.setAlignment(RIGHT)
        self.bonus = QLabel(self)
        self.bonus.setObjectName("returnBonus")
        self.bonus.setWordWrap(True)
        self.message = MessageBar(self)
        self.confirm = QPushButton(self.tr("Return  F12"), self)
        self.confirm.setObjectName("returnConfirm")
        self.confirm.clicked.connect(self.confirm_return)
        self.confirm.setEnabled(False)
        close = QPushButton(self.tr("Close  Esc"), self)
        close.clicked.connect(self.reject)
        for button in (self.confirm, close):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)
        self._lay_out(close)

    def _lay_out(self, close: QPushButton) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.bonus, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.confirm)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addWidget(self.quantity)
        column.addWidget(self.refund)
        column.addWidget(self.tenders)
        column.addLayout(buttons)

    # -- the receipt ------------------------------------------------------------------------
    def _loaded(self, found: tuple[SaleRecord | None, Mapping[str, int]]) -> None:
        if self._closed:
            return
        sale, before = found
        if sale is None:
            self.title.setText(self.tr("This receipt is not a sale of this till."))
            return
        self.sale, self.before = sale, before
        when = self._fmt.local(sale.created_at).strftime("%d.%m.%Y %H:%M")
        self.title.setText(
            self.tr("Return from receipt No. {number} of {when}").format(
                number=sale.number, when=when
            )
        )
        self.table.setRowCount(len(sale.receipt.lines))
        for row, line in enumerate(sale.receipt.lines):
            cells = (line.name, quantity_text(line.quantity_milli), "", "", "")
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, col, item)
        if sale.receipt.lines:
            self.table.selectRow(0)
        self._show_lines()
        if all(self._left(line.line_id) == 0 for line in sale.receipt.lines):
            self.message.show_message(self.tr("Everything on this receipt was already returned."))

    def _left(self, line_id: str) -> int:
        assert self.sale is not None
        sold = self.sale.receipt.line(line_id).quantity_milli
        return max(0, sold - self.before.get(line_id, 0))

    def _show_lines(self) -> None:
        if self.sale is None:
            return
        refunds = {}
        if self.quote is not None:
            refunds = {line.line_id: line.refund for line in self.quote.priced.lines}
        for row, line in enumerate(self.sale.receipt.lines):
            done = self.before.get(line.line_id, 0)
            asked = self.asked.get(line.line_id, 0)
            refund = refunds.get(line.line_id)
            for col, value in (
                (2, quantity_text(done) if done else ""),
                (3, quantity_text(asked) if asked else ""),
                (4, self._fmt.money(refund) if refund else ""),
            ):
                cell = self.table.item(row, col)
                if cell is not None:
                    cell.setText(value)

    def selected_line(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if self.sale is None or not rows:
            return None
        return self.sale.receipt.lines[rows[0].row()].line_id

    # -- choosing what goes back ------------------------------------------------------------
    def set_quantity(self, line_id: str, milli: int) -> None:
        if self.completed is not None or self.sale is None:
            return
        if milli > self._left(line_id):
            left = quantity_text(self._left(line_id))
            self.message.show_message(
                self.tr("Only {left} of this line is left to return.").format(left=left),
                Kind.WARNING,
            )
            return
        if milli:
            self.asked[line_id] = milli
        else:
            self.asked.pop(line_id, None)
        self._approved_by = None  # another return: the manager approves it again
        self._requote()

    def return_all(self) -> None:
        if self.sale is None or self.completed is not None:
            return
        self.asked = {
            ln.line_id: self._left(ln.line_id)
            for ln in self.sale.receipt.lines
            if self._left(ln.line_id)
        }
        self._approved_by = None
        self._requote()

    def _typed(self) -> None:
        line_id, text = self.selected_line(), self.quantity.text()
        if line_id is None:
            return
        if text.strip() == "+":
            milli: int | None = self._left(line_id)
        else:
            milli = parse_quantity(text)
        if milli is None:
            self.message.show_message(self.tr("Type a quantity such as 2 or 0,350."), Kind.WARNING)
            return
        self.quantity.clear()
        self.set_quantity(line_id, milli)

    def _request(self) -> ReturnRequest | None:
        if self.sale is None or not self.asked:
            return None
        return ReturnRequest(
            self.sale.number,
            dict(self.asked),
            self._staff.id,
            self._approved_by,
            self._approval_reason,
        )

    def _requote(self) -> None:
        self._quotes += 1
        number, req = self._quotes, self._request()
        self.quote = None
        self.confirm.setEnabled(False)
        self._show_lines()
        self._show_quote()
        if req is None:
            return

        def quoted(quote: ReturnQuote) -> None:
            if not self._closed and number == self._quotes:
                self.quote = quote
                self.message.clear_message()
                self._show_lines()
                self._show_quote()

        def refused(exc: Exception) -> None:
            if not self._closed and number == self._quotes:
                self._error(exc)

        Op(self._tasks, lambda: self._port.quote_return(req)).success(quoted).failure(refused).run()

    def _show_quote(self) -> None:
        quote, fmt = self.quote, self._fmt
        if quote is None:
            self.refund.clear()
            self.tenders.clear()
            self.bonus.clear()
            return
        self.refund.setText(self.tr("Refund: {sum}").format(sum=fmt.money(quote.total)))
        self.tenders.setText(self._ways_back(quote.refund, quote.priced.gift_card_total))
        priced = quote.priced
        taken = sum(ln.accrual_reversed + ln.boost_reversed for ln in priced.lines)
        parts = []
        if priced.bonus_restored:
            parts.append(
                self.tr("bonus given back +{points}").format(
                    points=fmt.points(priced.bonus_restored)
                )
            )
        if taken:
            parts.append(self.tr("bonus taken back −{points}").format(points=fmt.points(taken)))
        if priced.debt_added:
            parts.append(
                self.tr("the customer will owe {points}").format(
                    points=fmt.points(priced.debt_added)
                )
            )
        if quote.needs_manager:
            parts.append(self.tr("a manager's PIN is needed"))
        self.bonus.setText("; ".join(parts))
        self.confirm.setEnabled(not self._busy)

    def _ways_back(self, refund: Payment, gift_cards: int) -> str:
        fmt, parts = self._fmt, []
        card, cash = refund.paid_by(TenderKind.CARD), refund.paid_by(TenderKind.CASH)
        if card:
            parts.append(self.tr("to the bank card {sum}").format(sum=fmt.money(card)))
        if cash:
            parts.append(self.tr("in cash {sum}").format(sum=fmt.money(cash)))
        if gift_cards:
            parts.append(self.tr("to the gift card {sum}").format(sum=fmt.money(gift_cards)))
        return " · ".join(parts)

    # -- confirming -------------------------------------------------------------------------
    def confirm_return(self) -> None:
        quote, req = self.quote, self._request()
        if self.completed is not None:
            self.accept()
            return
        if quote is None or req is None or self._busy:
            return
        if quote.needs_manager and self._approved_by is None:
            self._ask_manager(quote)
            return
        self._busy = True
        self.confirm.setEnabled(False)
        changes = Changes(
            sales=True, outbox=True, prints=True, customers=quote.sale.customer_id is not None
        )
        Op(self._tasks, lambda: self._port.return_items(req)).success(self._returned).failure(
            self._commit_failed
        ).changes(changes).run()

    def _ask_manager(self, quote: ReturnQuote) -> None:
        if self.approval is not None:
            return
        reason = self.tr("A refund of {sum} needs a manager's approval.").format(
            sum=self._fmt.money(quote.total)
        )
        self.approval = ManagerPinDialog(self._port, self._tasks, self._fmt, reason, self)
        self.approval.approved.connect(self._approved)
        self.approval.finished.connect(self._approval_closed)
        self.approval.open()

    def _approved(self, manager: StaffBadge, reason: str) -> None:
        self._approved_by, self._approval_reason = manager.id, reason
        if self.quote is not None:
            self.quote = replace(self.quote, needs_manager=False)
        self.confirm_return()

    def _approval_closed(self) -> None:
        if self.approval is not None:
            self.approval.deleteLater()
            self.approval = None
        self.quantity.setFocus()

    def _returned(self, done: CompletedReturn) -> None:
        self._busy = False
        self.completed = done
        if self._closed:
            return
        cash = done.refund_payment.paid_by(TenderKind.CASH)
        text = (
            self.tr("Return No. {number} done: give back {sum} in cash.")
            if cash
            else self.tr("Return No. {number} done.")
        )
        self.message.show_message(
            text.format(number=done.number, sum=self._fmt.money(cash)), Kind.SUCCESS
        )
        self.confirm.setText(self.tr("Close  F12"))
        self.confirm.setEnabled(True)
        self.quantity.setEnabled(False)
        self.returned.emit(done)

    def _commit_failed(self, exc: Exception) -> None:
        self._busy = False
        if not self._closed:
            self._error(exc)
            self._requote()

    def _error(self, exc: Exception) -> None:
        if not self._closed:
            self.message.show_message(describe(exc, self._fmt), Kind.ERROR)

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_F12:
            self.confirm_return()
        elif key == Qt.Key.Key_F4:
            self.return_all()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.sale is not None:
            rows = self.table.selectionModel().selectedRows()
            row = rows[0].row() if rows else -1
            step = 1 if key == Qt.Key.Key_Down else -1
            self.table.selectRow(max(0, min(self.table.rowCount() - 1, row + step)))
        else:
            super().keyPressEvent(event)

    def _stop(self) -> None:
        """Closed: answers still on their way are dropped."""
        self._closed = True
        if self.approval is not None:
            self.approval.reject()
