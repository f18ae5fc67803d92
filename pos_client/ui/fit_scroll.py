"""A vertical scroll area that asks its layout for the room its content needs.

A plain ``QScrollArea`` tells its layout nothing about its content: the layout gives it
an arbitrary height. ``FitScroll`` asks for the content's height (at most ``ceiling``) and
gives way down to ``floor`` when the window is too short, scrolling what no longer fits,
so the widgets around it keep the room they need and never draw over one another. It is
never narrower than its content.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QStyle, QWidget


class FitScroll(QScrollArea):
    def __init__(
        self,
        content: QWidget,
        parent: QWidget | None = None,
        *,
        floor: int | None = None,
        ceiling: int | None = None,
    ) -> None:
        """``floor``: the least height it gives way to (None: none, it is as tall as its
        content up to ``ceiling``); ``ceiling``: the most it asks for (None: no limit)."""
        super().__init__(parent)
        self._floor, self._ceiling = floor, ceiling
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setWidgetResizable(True)
        self.setWidget(content)
        content.installEventFilter(self)  # its layout changed: ask for room again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # wrapped text needs another height at another width

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)

    def _content_height(self) -> int:
        content = self.widget()
        if content is None:
            return 0
        width = max(self.viewport().width(), content.minimumSizeHint().width())
        if content.hasHeightForWidth():
            return content.heightForWidth(width)
        return content.sizeHint().height()

    def _needed(self) -> int:
        height = self._content_height()
        return height if self._ceiling is None else min(height, self._ceiling)

    def sizeHint(self) -> QSize:
        content = self.widget()
        width = content.sizeHint().width() if content is not None else 0
        return QSize(width + self._bar(), self._needed())

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 0
        floor = self._needed() if self._floor is None else min(self._floor, self._needed())
        return QSize(width + self._bar(), floor)

    def ensure_visible(self, widget: QWidget) -> None:
        """Scroll so that ``widget`` (inside the content) is in view."""
        self.ensureWidgetVisible(widget, 0, 8)
