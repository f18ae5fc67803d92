"""An inline message line: errors and confirmations that never steal the keyboard."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a property it selects on (``[kind=...]``) changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class Kind(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class MessageBar(QLabel):
    """Shows one message at a time, styled by its ``kind`` property (see the QSS).

    It keeps its place when empty so the screen does not jump under the cashier's eyes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.kind: Kind | None = None
        self.clear_message()

    def show_message(self, text: str, kind: Kind = Kind.INFO) -> None:
        self.kind = kind
        self.setProperty("kind", kind.value)
        self.setText(text)
        repolish(self)

    def error(self, text: str) -> None:
        self.show_message(text, Kind.ERROR)

    def clear_message(self) -> None:
        self.kind = None
        self.setProperty("kind", "")
        self.setText("")
        repolish(self)
