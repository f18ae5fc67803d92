"""Background work for the Qt till, so the GUI thread never waits on disk, network or printer.

One worker thread does every database operation (SQLite has one writer anyway,
and a queue keeps operations in the order the cashier made them); a small pool
does network and printer I/O. Results come back to the GUI thread through a Qt
signal. Screens use ``Op``::

    Op(tasks, lambda: services.identify(text)).success(show).failure(show_error).run()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


class Lane(Enum):
    DB = "db"
    IO = "io"  # network, printer, scanner


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed, broadcast so each screen refreshes itself."""

    customers: bool = False
    sales: bool = False
    staff: bool = False
    outbox: bool = False


class TaskManager(QObject):
    _finished = Signal(object)  # a zero-argument callable to run on the GUI thread
    changed = Signal(object)  # Changes

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {
            Lane.DB: ThreadPoolExecutor(1, thread_name_prefix="till-db"),
            Lane.IO: ThreadPoolExecutor(4, thread_name_prefix="till-io"),
        }
        self._pending: set[Future[Any]] = set()
        self._finished.connect(self._on_finished)

    def submit(
        self,
        lane: Lane,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[Exception], None],
    ) -> Future[T]:
        future = self._pools[lane].submit(fn)
        self._pending.add(future)

        def deliver(done: Future[T]) -> None:
            self._pending.discard(done)
            if done.cancelled():  # it never ran: there is no result to hand over
                return
            exc = done.exception()
            if exc is None:
                result = done.result()
                self._finished.emit(lambda: on_success(result))
            elif isinstance(exc, Exception):
                self._finished.emit(lambda: on_failure(exc))

        future.add_done_callback(deliver)
        return future

    def _on_finished(self, callback: Callable[[], None]) -> None:
        try:
            callback()
        except Exception:
            log.exception("a task's result handler failed")

    def broadcast(self, changes: Changes) -> None:
        self.changed.emit(changes)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def shutdown(self) -> None:
        """Let queued operations finish, then stop every worker thread and wait for it."""
        for pool in self._pools.values():
            pool.shutdown(wait=True)


class Op(Generic[T]):
    """A small background operation with its success and failure handlers."""

    def __init__(self, tasks: TaskManager, fn: Callable[[], T], lane: Lane = Lane.DB) -> None:
        self._tasks = tasks
        self._fn = fn
        self._lane = lane
        self._success: Callable[[T], None] = lambda _result: None
        self._failure: Callable[[Exception], None] = _log_failure
        self._changes: Changes | None = None

    def success(self, fn: Callable[[T], None]) -> Op[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[Exception], None]) -> Op[T]:
        self._failure = fn
        return self

    def changes(self, changes: Changes) -> Op[T]:
        """Broadcast ``changes`` after a successful run."""
        self._changes = changes
        return self

    def run(self) -> Future[T]:
        def on_success(result: T) -> None:
            self._success(result)
            if self._changes is not None:
                self._tasks.broadcast(self._changes)

        return self._tasks.submit(self._lane, self._fn, on_success, self._failure)


def _log_failure(exc: Exception) -> None:
    log.error("background operation failed: %s", exc, exc_info=exc)
