"""Staff scores (F11), read from the server: a manager sees every cashier of the store, a
cashier their own card, with the comments customers left on low ratings.

The till asks the server once when the window opens (on the IO lane: it never waits on
the network); offline, it says the scores need the server. Esc closes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.wire.scorecards import ScorecardsV1, ScorecardV1
from pos_client.services.messages import StaffBadge
from pos_client.tasks import Lane, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats, percent
from pos_client.ui.message_bar import Kind, MessageBar
from pos_client.ui.ports import TillPort


class ScoresDialog(QDialog):
    def __init__(
        self,
        port: TillPort,
        tasks: TaskManager,
        formats: Formats,
        staff: StaffBadge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scoresDialog")
        self.setWindowTitle(self.tr("Staff scores"))
        self.setMinimumSize(760, 560)
        self._fmt = formats
        self._closed = False
        self.scores: ScorecardsV1 | None = None
        self.state = QLabel(self.tr("Asking the server for the scores…"), self)
        self.state.setObjectName("scoresState")
        self.state.setWordWrap(True)
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("scoresTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Cashier"),
                self.tr("Score"),
                self.tr("Votes"),
                self.tr("Average"),
                self.tr("With card"),
                self.tr("Sales"),
                self.tr("Average check"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.comments_title = QLabel(self.tr("Comments on low ratings"), self)
        self.comments = QListWidget(self)
        self.comments.setObjectName("scoresComments")
        self.comments.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = MessageBar(self)
        leave = QPushButton(self.tr("Back  Esc"), self)
        leave.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        leave.setAutoDefault(False)
        leave.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(leave)
        column = QVBoxLayout(self)
        column.addWidget(self.state)
        column.addWidget(self.table, 3)
        column.addWidget(self.comments_title)
        column.addWidget(self.comments, 2)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.finished.connect(self._stop)
        Op(tasks, lambda: port.scorecards(staff.id), Lane.IO).success(self._loaded).failure(
            self._error
        ).run()

    def _loaded(self, scores: ScorecardsV1) -> None:
        if self._closed:
            return
        self.scores = scores
        period = self.tr("{first} to {last}").format(first=scores.first, last=scores.last)
        if scores.whole_store:
            text = self.tr(
                "The store's cashiers, {period}, best served first. The score is the average "
                "rating weighed by the number of votes (the store's mean is {mean})."
            )
        else:
            text = self.tr(
                "Your score, {period}: the average rating weighed by the number of votes "
                "(the store's mean is {mean})."
            )
        self.state.setText(text.format(period=period, mean=scores.prior_mean))
        self.table.setRowCount(len(scores.cards))
        for row, card in enumerate(scores.cards):
            cells = (
                card.name,
                str(card.score),
                str(card.votes),
                "—" if card.average is None else str(card.average),
                percent(card.card_share_bp),
                str(card.sales),
                self._fmt.money(card.average_check),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if scores.cards:
            self.table.selectRow(0)
        self.table.setFocus()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self.scores is None or not rows:
            return
        self._show_comments(self.scores.cards[rows[0].row()])

    def _show_comments(self, card: ScorecardV1) -> None:
        self.comments.clear()
        self.comments.addItems(card.low_comments or [self.tr("No comments on low ratings.")])

    def _error(self, exc: Exception) -> None:
        if self._closed:
            return
        self.state.setText(self.tr("The scores need the server, and it did not answer."))
        self.message.show_message(describe(exc, self._fmt), Kind.ERROR)

    def _stop(self) -> None:
        self._closed = True
