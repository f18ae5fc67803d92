"""An on-screen digit keypad for touch screens; it types into a line edit it does not own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

BACKSPACE = "⌫"


class Keypad(QWidget):
    """Digits 0-9, clear and backspace; buttons never take the keyboard focus."""

    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keypad")
        self._target = target
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        clear = self.tr("C")
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", clear, "0", BACKSPACE]
        for index, label in enumerate(keys):
            button = QPushButton(label, self)
            button.setObjectName("keypadKey")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(72, 56)
            button.clicked.connect(lambda _=False, key=label: self._press(key))
            grid.addWidget(button, index // 3, index % 3)
        self._clear_label = clear

    def _press(self, key: str) -> None:
        if key == self._clear_label:
            self._target.clear()
        elif key == BACKSPACE:
            self._target.backspace()
        else:
            self._target.insert(key)
        self._target.setFocus()
