"""The seam between rendered receipts and a physical link.

A transport is used for one job at a time: open(), optionally status(), send_job(), close().
Every method returns within its configured timeout (roughly: no progress for `timeout` seconds
is an error) and raises only PrinterError subclasses.
"""

from __future__ import annotations

from typing import Protocol

from hardware.printer_status import PrinterStatus

STATUS_TIMEOUT = 1.0  # a printer that answers status at all answers within milliseconds
CHUNK_SIZE = 4096


class Transport(Protocol):
    @property
    def name(self) -> str:
        """Where the printer is, for messages: tcp://192.168.1.50:9100, /dev/usb/lp0..."""
        ...

    def open(self) -> None: ...

    def status(self) -> PrinterStatus:
        """The printer's own status, or UNKNOWN_STATUS when it cannot tell."""
        ...

    def send_job(self, job: bytes) -> None:
        """Send the whole job; the last call before close()."""
        ...

    def close(self) -> None:
        """Release the link; never raises."""
        ...
