"""Serial and USB-CDC scanners: codes read line by line with pyserial on a background thread.

The port is a path (`/dev/ttyACM0`, `/dev/serial/by-id/...`, `COM4`) or any pyserial URL
(`socket://host:port` for a serial-to-network adapter, `loop://` in tests). Each line, ended by
CR or LF (or the configured suffix), is decoded as UTF-8 (bad bytes replaced), stripped of
whitespace, and delivered once to `on_scan` unless empty. State changes (connected; disconnected
and why) go to `on_state`. After an unplug the reader closes the port and opens it again, waiting
a little longer after each failure (up to `retry_max_s`), until `stop()`.

Both callbacks run on the reader thread; an exception from one is logged, and reading goes on.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import serial

from hardware.scanners.source import ScanCallback

log = logging.getLogger(__name__)

_CR_OR_LF = re.compile(rb"[\r\n]")


@dataclass(frozen=True, slots=True)
class ScannerState:
    connected: bool
    reason: str = ""
    """Why it is disconnected, in plain technical English for the log and the administrator."""


StateCallback = Callable[[ScannerState], None]
STOPPED = ScannerState(connected=False, reason="stopped")


@dataclass(frozen=True, slots=True)
class SerialScannerSettings:
    baudrate: int = 9600
    """Ignored by USB-CDC scanners; must match the scanner's setting on a real serial line."""
    suffix: bytes | None = None
    """The bytes that end a code; None: CR or LF (CR LF gives one code)."""
    read_timeout_s: float = 0.2
    """How long one read waits; bounds how late `stop()` is noticed when cancelling fails."""
    retry_initial_s: float = 0.25
    retry_max_s: float = 5.0
    stop_timeout_s: float = 5.0
    max_code_length: int = 4096
    """Bytes without an end, past which they are dropped as noise (such as a wrong baud rate)."""

    def __post_init__(self) -> None:
        if self.suffix is not None and not self.suffix:
            raise ValueError("suffix must not be empty (None means CR or LF)")
        if not 0 < self.retry_initial_s <= self.retry_max_s:
            raise ValueError("need 0 < retry_initial_s <= retry_max_s")
        if self.read_timeout_s <= 0 or self.stop_timeout_s <= 0 or self.max_code_length < 1:
            raise ValueError("timeouts and max_code_length must be positive")


class SerialPort(Protocol):
    """What the scanner uses of a pyserial port."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def cancel_read(self) -> None: ...

    def close(self) -> None: ...


PortOpener = Callable[[], SerialPort]


class CodeSplitter:
    """Bytes in, finished codes out: split at the suffix, decoded, stripped, empty ones dropped."""

    def __init__(self, suffix: bytes | None = None, max_code_length: int = 4096) -> None:
        self.suffix = suffix
        self.max_code_length = max_code_length
        self._pending = b""
        self._overflowed = False  # dropping bytes until the next end of code

    def feed(self, data: bytes) -> list[str]:
        parts = self._split(self._pending + data)
        self._pending = parts.pop()
        codes = []
        for part in parts:
            if self._overflowed:  # the end of a code already dropped as too long
                self._overflowed = False
            elif len(part) > self.max_code_length:
                self._drop(part)
            elif code := part.decode("utf-8", errors="replace").strip():
                codes.append(code)
        if len(self._pending) > self.max_code_length:
            self._drop(self._pending)
            self._pending, self._overflowed = b"", True
        return codes

    def _drop(self, data: bytes) -> None:
        log.warning(
            "scanner sent %d bytes without an end of code (at most %d): dropped as noise",
            len(data),
            self.max_code_length,
        )

    def _split(self, data: bytes) -> list[bytes]:
        if self.suffix is None:
            return _CR_OR_LF.split(data)
        return data.split(self.suffix)


class SerialScanner:
    """A `ScanSource` reading a serial or USB-CDC scanner on its own daemon thread."""

    def __init__(
        self,
        url: str,
        settings: SerialScannerSettings | None = None,
        *,
        on_state: StateCallback | None = None,
        opener: PortOpener | None = None,
    ) -> None:
        self.url = url
        self.settings = settings or SerialScannerSettings()
        self._on_state = on_state
        self._open_port = opener or self._open_by_url
        self._on_scan: ScanCallback | None = None
        self._state = STOPPED
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # guards _port against stop() cancelling a read
        self._port: SerialPort | None = None

    @property
    def state(self) -> ScannerState:
        return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, on_scan: ScanCallback) -> None:
        if self.running:
            raise RuntimeError(f"the scanner on {self.url} is already running")
        self._on_scan = on_scan
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops reading and closes the port; returns once the reader has ended (bounded)."""
        thread = self._thread
        if thread is None:
            return
        self._stopping.set()
        with self._lock:
            if self._port is not None:
                with contextlib.suppress(Exception):
                    self._port.cancel_read()
        thread.join(self.settings.stop_timeout_s)
        if thread.is_alive():
            log.warning("the scanner reader on %s did not stop in time", self.url)
        self._thread = None

    def _run(self) -> None:
        delay = self.settings.retry_initial_s
        while not self._stopping.is_set():
            port = self._try_open()
            if port is not None:
                opened_at = time.monotonic()
                reason = self._read(port)
                self._close(port)
                if reason is None:
                    break
                self._report(ScannerState(connected=False, reason=reason))
                if time.monotonic() - opened_at >= self.settings.retry_max_s:
                    delay = self.settings.retry_initial_s  # it worked a while: retry soon
            if self._stopping.wait(delay):
                break
            delay = min(delay * 2, self.settings.retry_max_s)
        self._report(STOPPED)

    def _try_open(self) -> SerialPort | None:
        try:
            port = self._open_port()
        except ValueError as error:  # pyserial: bad URL or setting
            self._report(ScannerState(False, f"cannot use {self.url}: {error}"))
            return None
        except (serial.SerialException, OSError) as error:
            self._report(ScannerState(False, _open_failure(self.url, error)))
            return None
        with self._lock:
            self._port = port
        if self._stopping.is_set():  # stop() came while opening, and cancelled nothing
            self._close(port)
            return None
        self._report(ScannerState(connected=True))
        return port

    def _read(self, port: SerialPort) -> str | None:
        """Delivers codes until the port fails (returns why) or stop() (returns None)."""
        splitter = CodeSplitter(self.settings.suffix, self.settings.max_code_length)
        while not self._stopping.is_set():
            try:
                data = port.read(max(1, port.in_waiting))
            except (serial.SerialException, OSError) as error:
                return f"lost {self.url}: scanner unplugged or port gone ({error})"
            for code in splitter.feed(data):
                self._deliver(code)
        return None

    def _deliver(self, code: str) -> None:
        on_scan = self._on_scan
        if on_scan is None:
            return
        try:
            on_scan(code)
        except Exception:
            log.exception("on_scan failed for a code from %s", self.url)

    def _report(self, state: ScannerState) -> None:
        if state == self._state:
            return
        self._state = state
        if state.connected:
            log.info("scanner on %s connected", self.url)
        else:
            log.info("scanner on %s disconnected: %s", self.url, state.reason)
        if self._on_state is None:
            return
        try:
            self._on_state(state)
        except Exception:
            log.exception("on_state failed for the scanner on %s", self.url)

    def _close(self, port: SerialPort) -> None:
        with self._lock:
            self._port = None
        with contextlib.suppress(Exception):
            port.close()

    def _open_by_url(self) -> SerialPort:
        port: SerialPort = serial.serial_for_url(
            self.url,
            baudrate=self.settings.baudrate,
            timeout=self.settings.read_timeout_s,
            exclusive=True,
        )
        return port


def _open_failure(url: str, error: Exception) -> str:
    code = getattr(error, "errno", None)
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return f"{url} not found: scanner unplugged, or wrong port"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"no permission to open {url}: add the till's user to the 'dialout' group (Linux) "
            "and log in again"
        )
    if code in (errno.EAGAIN, errno.EBUSY):
        return f"{url} is in use by another program"
    return f"cannot open {url}: {error}"
