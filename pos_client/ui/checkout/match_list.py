"""A short list of matches under a field: the field keeps the keyboard, Up/Down choose."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

SHOWN_ROWS = 6  # rows visible before the list scrolls


class MatchList(QListWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the keyboard
        self.setVisible(False)

    def show_labels(self, labels: Sequence[str]) -> None:
        """One row per label, the first chosen; hidden when there are none."""
        self.clear()
        for label in labels:
            self.addItem(QListWidgetItem(label))
        if labels:
            self.setCurrentRow(0)
            row = self.sizeHintForRow(0)
            self.setFixedHeight(row * min(SHOWN_ROWS, len(labels)) + 2 * self.frameWidth())
        self.setVisible(bool(labels))

    def step(self, by: int) -> None:
        if self.count():
            self.setCurrentRow(max(0, min(self.count() - 1, self.currentRow() + by)))

    def chosen_row(self) -> int | None:
        row = self.currentRow()
        return row if self.isVisible() and 0 <= row < self.count() else None
