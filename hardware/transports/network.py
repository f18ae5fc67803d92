"""Raw TCP printing ("port 9100"): connect, optionally ask status, send, half-close, wait for EOF.

Waiting for the printer to close its side after our FIN (as CUPS' socket backend does) confirms
it took the whole job and avoids a reset that could make it drop the tail of the receipt. A
printer that resets the connection instead, or does not close it in time, has not confirmed
the job: that is an error, never "printed".
"""

from __future__ import annotations

import contextlib
import socket
import time

from hardware.errors import PrinterOfflineError, PrinterTimeoutError, PrinterUnconfirmedError
from hardware.printer_config import NetworkPrinterConfig
from hardware.printer_status import PrinterStatus, query_realtime_status
from hardware.transports.base import CHUNK_SIZE, STATUS_TIMEOUT


class NetworkTransport:
    def __init__(self, config: NetworkPrinterConfig) -> None:
        self.config = config
        host = f"[{config.host}]" if ":" in config.host else config.host
        self._name = f"tcp://{host}:{config.port}"
        self._sock: socket.socket | None = None

    @property
    def name(self) -> str:
        return self._name

    def open(self) -> None:
        timeout = self.config.timeout
        try:
            self._sock = socket.create_connection((self.config.host, self.config.port), timeout)
        except socket.gaierror as error:
            raise PrinterOfflineError(
                f"cannot resolve printer host {self.config.host!r}: {error.strerror}"
            ) from error
        except TimeoutError as error:
            raise PrinterTimeoutError(
                f"{self.name} did not accept a connection within {timeout:g} s: "
                "busy with another job, off, or unreachable"
            ) from error
        except ConnectionRefusedError as error:
            raise PrinterOfflineError(
                f"{self.name} refused the connection: printer off, restarting, "
                "or not listening on this port"
            ) from error
        except OSError as error:
            raise PrinterOfflineError(
                f"cannot reach {self.name}: {error.strerror or error}"
            ) from error

    def status(self) -> PrinterStatus:
        return query_realtime_status(self._exchange)

    def send_job(self, job: bytes) -> None:
        sock = self._connected()
        sock.settimeout(self.config.timeout)  # per send(): no progress for `timeout` is an error
        view = memoryview(job)
        try:
            while view:
                sent = sock.send(view[:CHUNK_SIZE])
                view = view[sent:]
            sock.shutdown(socket.SHUT_WR)
        except TimeoutError as error:
            raise PrinterTimeoutError(
                f"{self.name} stopped taking data for {self.config.timeout:g} s "
                f"({len(job) - len(view)} of {len(job)} bytes sent): busy or stalled"
            ) from error
        except OSError as error:
            raise PrinterOfflineError(
                f"connection to {self.name} lost while sending: {error.strerror or error}"
            ) from error
        self._wait_for_eof(sock)

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    def _exchange(self, query: bytes) -> bytes:
        sock = self._connected()
        try:
            sock.settimeout(min(STATUS_TIMEOUT, self.config.timeout))
            sock.sendall(query)
            return sock.recv(1)
        except TimeoutError:
            return b""
        except OSError as error:
            raise PrinterOfflineError(f"connection to {self.name} lost: {error}") from error

    def _wait_for_eof(self, sock: socket.socket) -> None:
        """Read (and drop) anything the printer sends until it closes, at most `timeout` s.

        Only that close confirms the job. A reset means the printer may have dropped part of
        it: the job failed and stays queued. No close in time, after every byte went out, is
        ``PrinterUnconfirmedError``: it may have printed, so it is not sent again by itself."""
        deadline = time.monotonic() + self.config.timeout
        unconfirmed = (
            f"{self.name} took the job but did not confirm it within {self.config.timeout:g} s;"
            " it may not have printed whole"
        )
        try:
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                if not sock.recv(1024):
                    return
        except TimeoutError as error:
            raise PrinterUnconfirmedError(unconfirmed) from error
        except OSError as error:
            raise PrinterOfflineError(
                f"connection to {self.name} lost before it confirmed the job:"
                f" {error.strerror or error}"
            ) from error
        raise PrinterUnconfirmedError(unconfirmed)

    def _connected(self) -> socket.socket:
        if self._sock is None:
            raise RuntimeError("transport is not open")
        return self._sock
