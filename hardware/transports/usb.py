"""Direct USB printing through python-escpos' Usb printer (pyusb + libusb).

pyusb is optional: without it this backend reports a PrinterConfigError; on Linux the kernel's
usblp driver (file:///dev/usb/lp0) needs nothing extra. Writes go in chunks, each with its own
timeout, so a long receipt is fine but a printer that stops taking data is an error.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
from typing import Any

from hardware.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterOfflineError,
    PrinterTimeoutError,
)
from hardware.printer_config import UsbPrinterConfig
from hardware.printer_status import PrinterStatus, query_realtime_status
from hardware.transports.base import CHUNK_SIZE


class UsbTransport:
    def __init__(self, config: UsbPrinterConfig) -> None:
        self.config = config
        self._printer: Any = None
        self._usb_error: type[Exception] = OSError

    @property
    def name(self) -> str:
        return f"USB printer {self.config.vendor_id:04x}:{self.config.product_id:04x}"

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        if not Usb.is_usable():
            raise PrinterConfigError(
                f"{self.name}: direct USB needs pyusb and libusb (pip install pyusb); "
                "on Linux file:///dev/usb/lp0 works without them"
            )
        self._usb_error = importlib.import_module("usb.core").USBError  # pyusb, untyped
        printer = Usb(
            self.config.vendor_id,
            self.config.product_id,
            timeout=int(self.config.timeout * 1000),  # pyusb counts milliseconds
            in_ep=self.config.in_endpoint,
            out_ep=self.config.out_endpoint,
        )
        try:
            printer.open()
        except DeviceNotFoundError as error:
            printer._device = False  # nothing to release
            raise PrinterOfflineError(
                f"{self.name} not found: printer off or unplugged, or wrong vendor/product id"
            ) from error
        except Exception as error:  # pyusb's NoBackendError and friends
            printer._device = False
            if type(error).__name__ == "NoBackendError":
                raise PrinterConfigError(f"{self.name}: libusb is not installed") from error
            raise PrinterOfflineError(f"cannot open {self.name}: {error}") from error
        self._printer = printer

    def status(self) -> PrinterStatus:
        return query_realtime_status(self._exchange)

    def send_job(self, job: bytes) -> None:
        printer = self._opened()
        for start in range(0, len(job), CHUNK_SIZE):
            try:
                printer._raw(job[start : start + CHUNK_SIZE])
            except self._usb_error as error:
                raise self._io_error(error, f"{start} of {len(job)} bytes sent") from error

    def close(self) -> None:
        if self._printer is not None:
            with contextlib.suppress(Exception):
                self._printer.close()
            self._printer = None

    def _exchange(self, query: bytes) -> bytes:
        printer = self._opened()
        try:
            printer._raw(query)
            return bytes(printer._read())
        except self._usb_error as error:
            if _is_usb_timeout(error):
                return b""
            raise self._io_error(error, "status query") from error

    def _io_error(self, error: Exception, progress: str) -> PrinterError:
        code = getattr(error, "errno", None)
        if _is_usb_timeout(error):
            return PrinterTimeoutError(
                f"{self.name} stopped taking data ({progress}): busy, offline or out of paper"
            )
        if code in (errno.EACCES, errno.EPERM):
            return PrinterConfigError(
                f"no permission to use {self.name}: install the udev rule from docs/HARDWARE.md"
            )
        return PrinterOfflineError(f"{self.name} failed ({progress}): {error}")

    def _opened(self) -> Any:
        if self._printer is None:
            raise RuntimeError("transport is not open")
        return self._printer


def _is_usb_timeout(error: Exception) -> bool:
    return (
        type(error).__name__ == "USBTimeoutError"
        or getattr(error, "errno", None) == errno.ETIMEDOUT
    )
