"""Lock the till after a while with nobody at it: back to the PIN screen, never mid-sale.

An application event filter counts a key, a click or a touch anywhere (a scan too: a
keyboard scanner types keys) as someone at the till and starts the wait again. When the
wait runs out, ``idle`` is emitted; the window locks if no sale is in progress, or waits
again (a sale half rung up is never taken from the cashier).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


class IdleWatch(QObject):
    idle = Signal()  # nobody touched the till for the whole wait

    def __init__(self, wait_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wait_ms = wait_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(wait_ms)
        self._timer.timeout.connect(self.idle)
        self._installed: QCoreApplication | None = None

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._installed is None:
            app.installEventFilter(self)
            self._installed = app
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._installed is not None:
            self._installed.removeEventFilter(self)
            self._installed = None

    def again(self) -> None:
        """Wait the whole time again (the window could not lock just now)."""
        self._timer.start()

    @property
    def waiting(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
