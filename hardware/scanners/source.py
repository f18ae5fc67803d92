"""What every barcode scanner is to the till: a source of scanned codes.

The keyboard wedge (`WedgeScanner`) and serial/USB-CDC scanners (`SerialScanner`) both implement
`ScanSource`, so the till wraps them the same way: one object that calls `start(emit)` on each
source and turns every call of `emit(code)` into one Qt `scanned(code)` signal, queued to the GUI
thread. The till then routes the code (card, product barcode, receipt barcode).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

ScanCallback = Callable[[str], None]
"""Receives one finished code: the suffix (Enter, Tab, CR/LF) and surrounding whitespace removed,
never empty."""


class ScanSource(Protocol):
    """A scanner delivering codes to a callback.

    `start(on_scan)` begins delivery: each code once, in the order scanned. `stop()` ends it; once
    `stop()` has returned, `on_scan` is not called again. A source may call `on_scan` on any thread
    (a serial scanner calls it on its reader thread), so it must be quick and thread-safe, such as
    emitting a Qt signal. A source stopped can be started again.
    """

    def start(self, on_scan: ScanCallback) -> None: ...

    def stop(self) -> None: ...
