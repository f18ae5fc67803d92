"""The till's view of a receipt printer, and the factory that builds one from its settings.

Printing is blocking I/O that can take up to a few timeouts (connect, status, send, wait for the
printer to finish). Call print_receipt from a worker thread, never from the Qt GUI thread; on a
PrinterError keep the receipt queued and show the cashier why.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from hardware.errors import PrinterConfigError
from hardware.escpos_render import ResolvedFormat, render_receipt, resolve_format
from hardware.printer_config import (
    DummyPrinterConfig,
    FilePrinterConfig,
    NetworkPrinterConfig,
    PrinterConfig,
    SerialPrinterConfig,
    UsbPrinterConfig,
    parse_printer_url,
)
from hardware.printer_status import UNKNOWN_STATUS, PrinterStatus, ensure_ready
from hardware.receipt import ReceiptDocument
from hardware.transports.base import Transport
from hardware.transports.dummy import DummyTransport
from hardware.transports.file_device import FileTransport
from hardware.transports.network import NetworkTransport
from hardware.transports.serial_port import SerialTransport
from hardware.transports.usb import UsbTransport

log = logging.getLogger(__name__)


class ReceiptPrinter(Protocol):
    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Print `doc` whole, or raise a PrinterError saying why not. Blocking."""
        ...


class EscposReceiptPrinter:
    """A ReceiptPrinter speaking ESC/POS over one transport; connects afresh for every job.

    Safe to share between threads (jobs are serialised), but every call blocks.
    """

    def __init__(
        self, transport: Transport, print_format: ResolvedFormat, *, check_status: bool
    ) -> None:
        self.transport = transport
        self.print_format = print_format
        self.check_status = check_status
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.transport.name

    def render(self, doc: ReceiptDocument) -> bytes:
        """The exact bytes print_receipt would send (no I/O)."""
        return render_receipt(doc, self.print_format)

    def print_receipt(self, doc: ReceiptDocument) -> None:
        job = self.render(doc)
        with self._lock:
            self.transport.open()
            try:
                if self.check_status:
                    ensure_ready(self.transport.status(), self.name)
                self.transport.send_job(job)
            finally:
                self.transport.close()
        log.info("printed %d bytes on %s", len(job), self.name)

    def query_status(self) -> PrinterStatus:
        """Ask the printer how it is (UNKNOWN_STATUS if it cannot say). Blocking."""
        if not self.check_status:
            return UNKNOWN_STATUS
        with self._lock:
            self.transport.open()
            try:
                return self.transport.status()
            finally:
                self.transport.close()


def open_printer(config: PrinterConfig | str) -> EscposReceiptPrinter:
    """Build the printer for `config` (or a printer URL). Checks the settings, touches no device.

    Raises PrinterConfigError for a bad URL, profile or code page.
    """
    if isinstance(config, str):
        config = parse_printer_url(config)
    print_format = resolve_format(config.print_format)
    if isinstance(config, DummyPrinterConfig):
        return EscposReceiptPrinter(DummyTransport(), print_format, check_status=False)
    return EscposReceiptPrinter(_transport(config), print_format, check_status=config.check_status)


def _transport(
    config: NetworkPrinterConfig | SerialPrinterConfig | UsbPrinterConfig | FilePrinterConfig,
) -> Transport:
    if isinstance(config, NetworkPrinterConfig):
        return NetworkTransport(config)
    if isinstance(config, SerialPrinterConfig):
        return SerialTransport(config)
    if isinstance(config, UsbPrinterConfig):
        return UsbTransport(config)
    if isinstance(config, FilePrinterConfig):
        return FileTransport(config)
    raise PrinterConfigError(f"unsupported printer settings: {config!r}")
