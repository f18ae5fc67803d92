"""A serial or USB-CDC scanner for the till: read on its own thread, delivered on the GUI thread.

`hardware.scanners.SerialScanner` reads the port on a daemon thread and calls back from there,
reopening the port after an unplug. This object, owned by the GUI thread, turns each call into a
queued Qt signal: `scanned(code)` and `state_changed(ScannerState)` are emitted on the GUI thread,
so nothing on the reader thread ever touches a widget. Connect `scanned` to the window's
`ScanHub.deliver` (`pos_client.ui.scanning`), where keyboard-wedge scans arrive too.

Create it, `start()` once the window shows, `stop()` before the task manager shuts down; `stop()`
returns once the reader thread has ended, and a code still queued then is dropped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal

from hardware.scanners.serial_scanner import (
    STOPPED,
    ScannerState,
    SerialScanner,
    SerialScannerSettings,
)

log = logging.getLogger(__name__)


class ScannerBridge(QObject):
    scanned = Signal(str)  # a code, on the GUI thread
    state_changed = Signal(object)  # ScannerState, on the GUI thread
    # Emitted on the reader thread; queued to this object's (the GUI) thread.
    _code_read = Signal(str)
    _state_read = Signal(object)

    def __init__(
        self,
        url: str,
        settings: SerialScannerSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.url = url
        self.state: ScannerState = STOPPED
        self._running = False
        self._code_read.connect(self._deliver_code, Qt.ConnectionType.QueuedConnection)
        self._state_read.connect(self._deliver_state, Qt.ConnectionType.QueuedConnection)
        self._scanner = SerialScanner(url, settings, on_state=self._state_read.emit)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._scanner.start(self._code_read.emit)

    def stop(self) -> None:
        """Stops the reader (bounded wait for its thread); no signal from it after this."""
        if not self._running:
            return
        self._running = False
        self._scanner.stop()
        self._set_state(self._scanner.state)

    def _deliver_code(self, code: str) -> None:
        if self._running:
            self.scanned.emit(code)

    def _deliver_state(self, state: ScannerState) -> None:
        if self._running:  # one still queued from before stop() is old news
            self._set_state(state)

    def _set_state(self, state: ScannerState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
