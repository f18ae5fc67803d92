"""An in-memory ReceiptPrinter for the till's tests: records documents, fails on request."""

from __future__ import annotations

import threading
from collections import deque

from hardware.errors import PrinterError
from hardware.receipt import ReceiptDocument


class FakeReceiptPrinter:
    def __init__(self) -> None:
        self.printed: list[ReceiptDocument] = []
        self._failures: deque[PrinterError] = deque()
        self._lock = threading.Lock()

    def fail_next(self, *errors: PrinterError) -> None:
        """The next print_receipt calls raise these errors, one per call, in order."""
        with self._lock:
            self._failures.extend(errors)

    def print_receipt(self, doc: ReceiptDocument) -> None:
        with self._lock:
            if self._failures:
                raise self._failures.popleft()
            self.printed.append(doc)
