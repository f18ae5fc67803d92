"""The cart as a table: what was scanned, and what the last quote made of each line."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from loyalty_core.receipt import PricedLine, PricedReceipt
from pos_client.ui.checkout.cart import Cart, CartEntry
from pos_client.ui.formatting import Formats

NAME, QTY, PRICE, TOTAL, DISCOUNT, BONUS = range(6)
AnyIndex = QModelIndex | QPersistentModelIndex


class CartTableModel(QAbstractTableModel):
    def __init__(self, cart: Cart, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cart = cart
        self._receipt: PricedReceipt | None = None
        self.formats = Formats()
        self._headers = [
            self.tr("Item"),
            self.tr("Qty"),
            self.tr("Price"),
            self.tr("Total"),
            self.tr("Discount"),
            self.tr("Bonus paid"),
        ]

    def refresh(self, receipt: PricedReceipt | None) -> None:
        """Redraw after the cart changed; ``receipt`` is the quote for this very cart or None."""
        self.beginResetModel()
        self._receipt = receipt
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cart)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section != NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignLeft if column == NAME else Qt.AlignmentFlag.AlignRight
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        entry = self._cart.entries[index.row()]
        return self._text(entry, self._priced(index.row()), column)

    def _priced(self, row: int) -> PricedLine | None:
        if self._receipt is None:
            return None
        line_id = self._cart.entries[row].line_id
        return next((ln for ln in self._receipt.lines if ln.line_id == line_id), None)

    def _text(self, entry: CartEntry, priced: PricedLine | None, column: int) -> str:
        fmt = self.formats
        if column == NAME:
            return entry.name
        if column == QTY:
            return str(entry.pieces)
        if column == PRICE:
            return fmt.money(entry.unit_price)
        if column == TOTAL:
            return fmt.money(entry.gross)
        if column == DISCOUNT:
            loyalty = priced.tier_discount + priced.promo_discount if priced is not None else 0
            discount = entry.discount + loyalty
            return f"−{fmt.money(discount)}" if discount else ""
        if priced is None:
            return ""
        redeemed = priced.redeemed
        return fmt.points(redeemed) if redeemed else ""


class CartTable(QTableView):
    """Rows are selected by Up/Down from the scan field or by touch; it never takes focus."""

    def __init__(self, model: CartTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartTable")
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)  # long product names take two lines rather than an ellipsis
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setMinimumSectionSize(38)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (QTY, PRICE, TOTAL, DISCOUNT, BONUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int | None) -> None:
        count = self.model().rowCount()
        if row is None or count == 0:
            self.clearSelection()
            return
        row = max(0, min(count - 1, row))
        self.selectRow(row)
        self.scrollTo(self.model().index(row, NAME))
