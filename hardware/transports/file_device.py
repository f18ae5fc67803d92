"""Printing to a device node (/dev/usb/lp0 from the kernel usblp driver), a FIFO, or a plain file.

Device nodes and FIFOs are written non-blocking with poll(), so a printer that stops taking data
(out of paper: usblp then blocks writes forever) raises PrinterTimeoutError instead of hanging.
A missing path under /dev/ means the printer is off or unplugged and is never created as a
plain file (which would silently "print" into the void). Plain files are truncated per job.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import select
import stat
import struct
import time

from hardware.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterTimeoutError,
)
from hardware.printer_config import FilePrinterConfig
from hardware.printer_status import UNKNOWN_STATUS, PrinterStatus, status_from_lp_port
from hardware.transports.base import CHUNK_SIZE

LPGETSTATUS = 0x060B  # linux/lp.h, answered by usblp with the parallel-port status byte


class FileTransport:
    def __init__(self, config: FilePrinterConfig) -> None:
        self.config = config
        self._fd: int | None = None
        self._is_device = False
        self._is_char_device = False

    @property
    def name(self) -> str:
        return self.config.path

    def open(self) -> None:
        path = self.config.path
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as error:
            raise self._open_error(error) from error
        self._is_char_device = mode is not None and stat.S_ISCHR(mode)
        self._is_device = self._is_char_device or (mode is not None and stat.S_ISFIFO(mode))
        if mode is None and path.startswith("/dev/"):
            raise PrinterOfflineError(f"{path} does not exist: printer off or unplugged")
        if self._is_device:
            flags = os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY
        else:
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        try:
            self._fd = os.open(path, flags, 0o644)
        except OSError as error:
            raise self._open_error(error) from error

    def status(self) -> PrinterStatus:
        fd = self._opened()
        if not self._is_char_device:
            return UNKNOWN_STATUS
        try:
            reply = fcntl.ioctl(fd, LPGETSTATUS, struct.pack("i", 0))
        except OSError:
            return UNKNOWN_STATUS  # not a line printer device
        return status_from_lp_port(struct.unpack("i", reply)[0])

    def send_job(self, job: bytes) -> None:
        fd = self._opened()
        view = memoryview(job)
        deadline = time.monotonic() + self.config.timeout
        try:
            while view:
                try:
                    written = os.write(fd, view[:CHUNK_SIZE])
                except BlockingIOError:
                    written = 0
                if written:
                    view = view[written:]
                    deadline = time.monotonic() + self.config.timeout
                elif not self._wait_writable(fd, deadline):
                    raise PrinterTimeoutError(
                        f"{self.name} stopped taking data for {self.config.timeout:g} s "
                        f"({len(job) - len(view)} of {len(job)} bytes sent): "
                        "busy, offline or out of paper"
                    )
        except OSError as error:
            raise self._write_error(error) from error

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def _wait_writable(self, fd: int, deadline: float) -> bool:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        events = poller.poll(left * 1000)
        if any(event & (select.POLLERR | select.POLLHUP) for _, event in events):
            raise PrinterOfflineError(f"{self.name}: the printer went away")
        return bool(events)

    def _open_error(self, error: OSError) -> PrinterError:
        if error.errno in (errno.EACCES, errno.EPERM):
            return PrinterConfigError(
                f"no permission to write {self.name}: add the till's user to the 'lp' group "
                "or install the udev rule from docs/HARDWARE.md"
            )
        if error.errno == errno.EBUSY:
            return PrinterTimeoutError(f"{self.name} is in use by another program")
        if error.errno == errno.ENOENT:
            return PrinterConfigError(f"cannot create {self.name}: its folder does not exist")
        if error.errno in (errno.ENXIO, errno.ENODEV):
            return PrinterOfflineError(
                f"{self.name}: nothing answers there (printer off or unplugged)"
            )
        if error.errno == errno.EISDIR:
            return PrinterConfigError(f"{self.name} is a folder, not a printer or file")
        return PrinterOfflineError(f"cannot open {self.name}: {error.strerror or error}")

    def _write_error(self, error: OSError) -> PrinterError:
        if self._is_device and error.errno == errno.ENOSPC:
            return PrinterOutOfPaperError(f"{self.name} is out of paper")
        return PrinterOfflineError(f"{self.name} failed while sending: {error.strerror or error}")

    def _opened(self) -> int:
        if self._fd is None:
            raise RuntimeError("transport is not open")
        return self._fd
