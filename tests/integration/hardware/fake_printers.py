"""Real stand-ins for printers: a raw-TCP printer on a loopback port and a serial printer on a
pseudo-terminal. Both answer ESC/POS status queries (DLE EOT n) the way they are told and record
the queries and the job bytes that follow them."""

from __future__ import annotations

import os
import queue
import select
import socket
import struct
import threading
import tty
from types import TracebackType

STATUS_PREFIX = b"\x10\x04"  # DLE EOT
READY = {2: 0x12, 4: 0x12}
OUT_OF_PAPER = {2: 0x32, 4: 0x72}
COVER_OPEN = {2: 0x16, 4: 0x12}
PAPER_LOW = {2: 0x12, 4: 0x1E}
WAIT = 5.0  # bound for every wait in these fakes, so a broken test fails instead of hanging

Replies = dict[int, int] | None  # None: a printer that never answers status


class PrinterProtocol:
    """Status queries first (answered), then everything else is the job."""

    def __init__(self, replies: Replies) -> None:
        self.replies = replies
        self.pending = b""
        self.queries = bytearray()  # the status queries as they came, e.g. DLE EOT 2 DLE EOT 4
        self.job = bytearray()
        self.printing = False

    def feed(self, data: bytes) -> bytes:
        """Take received bytes; return the answer to send back."""
        if self.printing:
            self.job += data
            return b""
        self.pending += data
        answer = bytearray()
        while self.pending and not self.printing:
            if self.pending.startswith(STATUS_PREFIX) and len(self.pending) >= 3:
                query, self.pending = self.pending[2], self.pending[3:]
                self.queries += STATUS_PREFIX + bytes([query])
                if self.replies is not None and query in self.replies:
                    answer.append(self.replies[query])
            elif len(self.pending) < 3 and STATUS_PREFIX.startswith(self.pending):
                break  # a query cut in two: wait for the rest
            else:
                self.printing = True
                self.job += self.pending
                self.pending = b""
        return bytes(answer)


class LoopbackTcpPrinter:
    """A port-9100 printer on 127.0.0.1: one connection at a time, one job per connection."""

    def __init__(
        self,
        replies: Replies = READY,
        *,
        port: int = 0,
        reset_after: int | None = None,
        hold_open_s: float = 0,
    ) -> None:
        self.replies = replies
        self.reset_after = reset_after  # cut the connection (RST) once this many bytes came
        # Keep the connection open this long after the whole job came (never confirming it).
        self.hold_open_s = hold_open_s
        self.jobs: queue.Queue[bytes] = queue.Queue()
        self.cut_jobs: queue.Queue[bytes] = queue.Queue()  # what came before a cut
        self.status_queries: list[bytes] = []  # per connection, in order; b"" if none was asked
        self._server = socket.create_server(("127.0.0.1", port))
        self.port: int = self._server.getsockname()[1]
        self._handled = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, options: str = "") -> str:
        return f"tcp://127.0.0.1:{self.port}?timeout={WAIT}" + (f"&{options}" if options else "")

    def next_job(self) -> bytes:
        return self.jobs.get(timeout=WAIT)

    def wait_for_connections(self, count: int) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: self._handled >= count, timeout=WAIT)

    def __enter__(self) -> LoopbackTcpPrinter:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT)
        self._server.close()

    def _serve(self) -> None:
        self._server.settimeout(0.05)
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                self._handle(connection)
            with self._changed:
                self._handled += 1
                self._changed.notify_all()

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(WAIT)
        protocol = PrinterProtocol(self.replies)
        while True:
            size = 65536
            if self.reset_after is not None:  # take no more than that before the cut
                size = max(1, self.reset_after - len(protocol.job))
            try:
                data = connection.recv(size)
            except OSError:
                break
            if not data:
                break
            answer = protocol.feed(data)
            if answer:
                connection.sendall(answer)
            if self.reset_after is not None and len(protocol.job) >= self.reset_after:
                # SO_LINGER with a zero timeout: close() sends RST, like a printer that reboots.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.cut_jobs.put(bytes(protocol.job))
                return
        self.status_queries.append(bytes(protocol.queries))
        if protocol.job:
            self.jobs.put(bytes(protocol.job))
        if self.hold_open_s:
            self._stop.wait(self.hold_open_s)


def free_port() -> int:
    """A loopback port nothing listens on (a printer that is switched off)."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


class PtySerialPrinter:
    """A serial printer behind a pseudo-terminal: print to `device` like to /dev/ttyUSB0."""

    def __init__(self, replies: Replies = READY, *, stalled: bool = False) -> None:
        self._master, self._slave = os.openpty()  # holding the slave keeps the pty alive
        tty.setraw(self._slave)  # bytes pass unchanged (no "\n" -> "\r\n"), as pyserial sets it
        self.stalled = stalled  # never reads: the line fills up like a jammed printer's
        self.device = os.ttyname(self._slave)
        self._protocol = PrinterProtocol(replies)
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, options: str = "") -> str:
        return f"serial://{self.device}?baudrate=115200&timeout={WAIT}" + (
            f"&{options}" if options else ""
        )

    def received_job(self, length: int) -> bytes:
        """The job bytes, once `length` of them have arrived."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self._protocol.job) >= length, WAIT)
            return bytes(self._protocol.job)

    def job_so_far(self) -> bytes:
        with self._changed:
            return bytes(self._protocol.job)

    def __enter__(self) -> PtySerialPrinter:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT)
        os.close(self._master)
        os.close(self._slave)

    def _serve(self) -> None:
        while not self._stop.is_set():
            if self.stalled:
                self._stop.wait(0.05)
                continue
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            data = os.read(self._master, 65536)
            with self._changed:
                answer = self._protocol.feed(data)
                self._changed.notify_all()
            if answer:
                os.write(self._master, answer)
