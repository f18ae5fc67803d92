"""Keeps every job in memory in a python-escpos Dummy printer: for tests and demos."""

from __future__ import annotations

from typing import Any

from hardware.printer_status import UNKNOWN_STATUS, PrinterStatus


class DummyTransport:
    def __init__(self) -> None:
        from escpos.printer import Dummy

        self._dummy: Any = Dummy()

    @property
    def name(self) -> str:
        return "dummy://"

    @property
    def output(self) -> bytes:
        """All bytes sent so far."""
        return bytes(self._dummy.output)

    def clear(self) -> None:
        self._dummy.clear()

    def open(self) -> None:
        pass

    def status(self) -> PrinterStatus:
        return UNKNOWN_STATUS

    def send_job(self, job: bytes) -> None:
        self._dummy._raw(job)

    def close(self) -> None:
        pass
