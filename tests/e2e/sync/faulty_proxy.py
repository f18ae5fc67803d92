"""A fault-injecting HTTP proxy on loopback, between a till's ``SyncClient`` and the server.

It speaks just enough HTTP/1.1 to see where one request ends (the head, then
``Content-Length`` bytes of body) and where its answer ends, and keeps the till's
connection alive between requests as a real network path would. For each request a
*plan* picks one ``Fault``:

- ``PASS``: forwarded, the whole answer sent back;
- ``DELAY``: the same after ``delay_s``;
- ``DROP``: the till's connection is closed before anything reaches the server;
- ``DUPLICATE``: the request reaches the server twice, one copy after the other (a
  network that re-sends); the till gets the second answer;
- ``CONCURRENT``: the request reaches the server twice at the same time, on two
  connections; the till gets one of the answers;
- ``CUT``: forwarded and answered by the server, but the till gets only the head and
  half the body, then the connection is cut (the server applied what the till never
  heard about);
- ``LOSE``: the same with not one byte of the answer;
- ``HOLD``: forwarded and answered, then the answer waits until ``release()`` (a test
  kills the till meanwhile).

Each upstream exchange is its own connection to the server, so a fault never leaves a
half-read answer on a pooled connection. What happened is logged (``log``) and tests
wait on it (``wait_until``).
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO
from urllib.parse import urlsplit

MAX_HEAD_BYTES = 64 * 1024
UPSTREAM_TIMEOUT_S = 60.0


class Fault(StrEnum):
    PASS = "pass"
    DELAY = "delay"
    DROP = "drop"
    DUPLICATE = "duplicate"
    CONCURRENT = "concurrent"
    CUT = "cut"
    LOSE = "lose"
    HOLD = "hold"


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # without the query
    raw: bytes

    @property
    def route(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class Record:
    """One request as the proxy handled it: ``forwarded`` copies reached the server,
    ``answered`` is whether the server answered one of them."""

    route: str
    fault: Fault
    forwarded: int
    answered: bool
    statuses: tuple[int, ...] = ()  # the server's HTTP status for each copy it answered


Plan = Callable[[Request], Fault]
PUSH = "POST /v1/sync/push"


def passing(_: Request) -> Fault:
    return Fault.PASS


def cycling(faults: Iterable[Fault], routes: tuple[str, ...] = (PUSH,)) -> Plan:
    """The faults in turn, over and over, for requests to ``routes``; the rest pass.

    Deterministic: a run with the same requests meets the same faults.
    """
    turn = itertools.cycle(list(faults))
    lock = threading.Lock()

    def plan(request: Request) -> Fault:
        if request.route not in routes:
            return Fault.PASS
        with lock:
            return next(turn)

    return plan


class FaultyProxy:
    def __init__(self, upstream: str, *, delay_s: float = 0.2) -> None:
        parts = urlsplit(upstream)
        assert parts.scheme == "http" and parts.hostname and parts.port, upstream
        self._upstream = (parts.hostname, parts.port)
        self.delay_s = delay_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._plan: Plan = passing
        self._changed = threading.Condition()
        self._released = threading.Event()
        self._closed = False
        self._clients: set[socket.socket] = set()
        self.log: list[Record] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True, name="proxy")
        self._acceptor.start()

    # -- what tests do ---------------------------------------------------------------
    def plan(self, plan: Plan) -> None:
        self._plan = plan

    def heal(self) -> None:
        """Every request passes from now on; answers held so far are released."""
        self._plan = passing
        self.release()

    def release(self) -> None:
        self._released.set()

    def faults_met(self) -> dict[Fault, int]:
        with self._changed:
            return {f: sum(1 for r in self.log if r.fault is f) for f in Fault}

    def wait_until(self, test: Callable[[list[Record]], bool], timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not test(self.log):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the proxy did not see that within {timeout_s} s")
                self._changed.wait(left)

    def close(self) -> None:
        self._closed = True
        self._released.set()
        _shut(self._listener)  # wakes the blocked accept(), which close() alone does not
        with self._changed:
            clients = list(self._clients)
        for client in clients:
            _shut(client)
        self._acceptor.join(timeout=5)

    # -- the proxy -------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._changed:
                self._clients.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            reader = client.makefile("rb")
            while (request := _read_request(reader)) is not None:
                if not self._handle(client, request):
                    return
        except OSError:
            return
        finally:
            with self._changed:
                self._clients.discard(client)
            _shut(client)

    def _handle(self, client: socket.socket, request: Request) -> bool:
        """One request; False when the till's connection is to be closed."""
        fault = self._plan(request)
        if fault is Fault.DROP:
            self._note(request, fault, 0, False)
            return False
        if fault is Fault.DELAY:
            time.sleep(self.delay_s)
        copies = 2 if fault in (Fault.DUPLICATE, Fault.CONCURRENT) else 1
        if fault is Fault.CONCURRENT:
            answers: list[bytes | None] = [None, None]
            both = [
                threading.Thread(target=lambda i=i: answers.__setitem__(i, self._exchange(request)))
                for i in range(2)
            ]
            for thread in both:
                thread.start()
            for thread in both:
                thread.join()
            answer = answers[0] if answers[0] is not None else answers[1]
        else:
            answers = [self._exchange(request) for _ in range(copies)]
            answer = answers[-1]
        statuses = tuple(_status(a) for a in answers if a is not None)
        self._note(request, fault, copies, answer is not None, statuses)
        if answer is None:  # the server is gone: so is the till's connection
            return False
        if fault is Fault.HOLD:
            self._released.wait(UPSTREAM_TIMEOUT_S)
        if fault is Fault.CUT:
            head_end = answer.index(b"\r\n\r\n") + 4
            client.sendall(answer[: head_end + (len(answer) - head_end) // 2])
            return False
        if fault is Fault.LOSE:
            return False
        client.sendall(answer)
        return True

    def _exchange(self, request: Request) -> bytes | None:
        """Send the request to the server on a fresh connection; its whole answer, or
        None if the server refused the connection or went away before answering."""
        try:
            with socket.create_connection(self._upstream, timeout=UPSTREAM_TIMEOUT_S) as up:
                up.sendall(request.raw)
                return _read_response(up.makefile("rb"))
        except (OSError, ValueError):
            return None

    def _note(
        self,
        request: Request,
        fault: Fault,
        forwarded: int,
        answered: bool,
        statuses: tuple[int, ...] = (),
    ) -> None:
        with self._changed:
            self.log.append(Record(request.route, fault, forwarded, answered, statuses))
            self._changed.notify_all()


@contextmanager
def faulty_proxy(upstream: str, *, delay_s: float = 0.2) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(upstream, delay_s=delay_s)
    try:
        yield proxy
    finally:
        proxy.close()


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _read_head(reader: BinaryIO) -> tuple[bytes, dict[str, str]] | None:
    lines: list[bytes] = []
    size = 0
    while True:
        line = reader.readline(MAX_HEAD_BYTES)
        if not line:
            if lines:
                raise ValueError("the connection closed inside a message head")
            return None
        lines.append(line)
        size += len(line)
        if size > MAX_HEAD_BYTES:
            raise ValueError("message head too long")
        if line in (b"\r\n", b"\n"):
            break
    headers: dict[str, str] = {}
    for line in lines[1:-1]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return b"".join(lines), headers


def _read_body(reader: BinaryIO, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise ValueError("chunked bodies are not proxied")  # neither side sends them here
    length = int(headers.get("content-length", "0"))
    body = reader.read(length) if length else b""
    if len(body) != length:
        raise ValueError("the connection closed inside a message body")
    return body


def _read_request(reader: BinaryIO) -> Request | None:
    read = _read_head(reader)
    if read is None:
        return None
    head, headers = read
    method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    return Request(method, target.split("?", 1)[0], head + _read_body(reader, headers))


def _read_response(reader: BinaryIO) -> bytes | None:
    read = _read_head(reader)
    if read is None:
        return None
    head, headers = read
    return head + _read_body(reader, headers)
