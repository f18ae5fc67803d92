"""Serial printing with pyserial: a port name (/dev/ttyUSB0, COM3) or a pyserial URL (loop://).

Writes go in chunks, each allowed `timeout` plus its own transmission time at the baud rate,
so a long receipt on a slow line is fine but a stalled printer (flow control holding) is not.
"""

from __future__ import annotations

import contextlib
import errno
from typing import Any

import serial

from hardware.errors import PrinterConfigError, PrinterOfflineError, PrinterTimeoutError
from hardware.printer_config import SerialPrinterConfig
from hardware.printer_status import PrinterStatus, query_realtime_status
from hardware.transports.base import STATUS_TIMEOUT

SERIAL_CHUNK_SIZE = 256
_BITS_PER_BYTE = 10  # start + 8 data + stop


class SerialTransport:
    def __init__(self, config: SerialPrinterConfig) -> None:
        self.config = config
        self._port: Any = None

    @property
    def name(self) -> str:
        return f"serial port {self.config.device}"

    def open(self) -> None:
        flow = self.config.flow
        try:
            self._port = serial.serial_for_url(
                self.config.device,
                baudrate=self.config.baudrate,
                timeout=min(STATUS_TIMEOUT, self.config.timeout),
                write_timeout=self.config.timeout,
                rtscts=flow == "rtscts",
                xonxoff=flow == "xonxoff",
                dsrdtr=flow == "dsrdtr",
                exclusive=True,
            )
        except ValueError as error:
            raise PrinterConfigError(f"cannot use {self.name}: {error}") from error
        except serial.SerialException as error:
            raise self._open_error(error) from error

    def status(self) -> PrinterStatus:
        return query_realtime_status(self._exchange)

    def send_job(self, job: bytes) -> None:
        port = self._opened()
        chunk_time = SERIAL_CHUNK_SIZE * _BITS_PER_BYTE / self.config.baudrate
        port.write_timeout = self.config.timeout + chunk_time
        sent = 0
        try:
            for start in range(0, len(job), SERIAL_CHUNK_SIZE):
                port.write(job[start : start + SERIAL_CHUNK_SIZE])
                sent = min(start + SERIAL_CHUNK_SIZE, len(job))
        except serial.SerialTimeoutException as error:
            with contextlib.suppress(Exception):
                port.reset_output_buffer()  # else closing the port waits for it to drain
            raise PrinterTimeoutError(
                f"{self.name}: the printer stopped taking data ({sent} of {len(job)} bytes "
                "sent): busy, offline, out of paper, or flow control/baud rate mismatch"
            ) from error
        except serial.SerialException as error:
            raise PrinterOfflineError(f"{self.name} failed while sending: {error}") from error

    def close(self) -> None:
        if self._port is not None:
            with contextlib.suppress(Exception):
                self._port.close()
            self._port = None

    def _exchange(self, query: bytes) -> bytes:
        port = self._opened()
        try:
            port.reset_input_buffer()
            port.write(query)
            return bytes(port.read(1))
        except serial.SerialTimeoutException:
            return b""
        except serial.SerialException as error:
            raise PrinterOfflineError(f"{self.name} failed: {error}") from error

    def _open_error(self, error: Any) -> Exception:
        code = getattr(error, "errno", None)
        if code in (errno.EACCES, errno.EPERM):
            return PrinterConfigError(
                f"no permission to open {self.name}: add the till's user to the 'dialout' "
                "group (Linux) and log in again"
            )
        if code in (errno.EAGAIN, errno.EBUSY):
            return PrinterTimeoutError(f"{self.name} is in use by another program")
        return PrinterOfflineError(
            f"cannot open {self.name}: printer or USB-serial adapter unplugged, or wrong port "
            f"({error})"
        )

    def _opened(self) -> Any:
        if self._port is None:
            raise RuntimeError("transport is not open")
        return self._port
