"""Background work for the Qt till, so the GUI thread never waits on disk, network or printer.

One worker thread does every database operation (SQLite has one writer anyway,
and a queue keeps operations in the order the cashier made them); a small pool
does network and printer I/O. Results come back to the GUI thread through a Qt
signal. Screens use ``Op``::

    Op(tasks, lambda: services.identify(text)).success(show).failure(show_error).run()

Lifetimes. An operation's function and handlers are closures that usually capture a
widget, and a Python object that holds a Qt object may only be freed on the GUI thread
(freeing it elsewhere can delete the Qt object from the wrong thread). So the GUI thread
owns every job, from ``submit`` until its handler has run: a worker borrows the job,
leaves the result or the exception in it, lets go of it, and only then tells the GUI
thread the job's number. A worker therefore never holds the last reference to a
closure, a result or an exception. An exception's traceback frames are cleared before it
is handed over: a frame that holds the exception (``raise refusal``) makes a reference
cycle, and a cycle that reaches a closure's widget would be freed by whichever thread the
garbage collector happens to run on, a worker's mid-query included.
"""

from __future__ import annotations

import itertools
import logging
import traceback
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
    prints: bool = False  # a print job was queued (a copy, a card)


@dataclass(eq=False, slots=True)
class _Job:
    """One operation; only the GUI thread creates and drops it (see the module's docstring)."""

    fn: Callable[[], Any]
    on_success: Callable[[Any], None]
    on_failure: Callable[[Exception], None]
    future: Future[Any]  # the caller's handle; holds the result or the exception


class TaskManager(QObject):
    """Runs jobs on the lanes' threads and their handlers on the GUI thread.

    Create it, use it and ``shutdown()`` it on the GUI thread, before it is dropped.
    """

    _finished = Signal(int)  # the number of a job its worker has let go of
    changed = Signal(object)  # Changes

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {
            Lane.DB: ThreadPoolExecutor(1, thread_name_prefix="till-db"),
            Lane.IO: ThreadPoolExecutor(4, thread_name_prefix="till-io"),
        }
        self._jobs: dict[int, _Job] = {}  # submitted, handler not run yet: the GUI thread's
        self._numbers = itertools.count(1)
        self._finished.connect(self._on_finished)

    def submit(
        self,
        lane: Lane,
        fn: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[Exception], None],
    ) -> Future[T]:
        future: Future[T] = Future()
        number = next(self._numbers)
        self._jobs[number] = _Job(fn, on_success, on_failure, future)  # before a worker looks
        try:
            self._pools[lane].submit(_run, self._jobs, number, self._finished.emit)
        except BaseException:
            del self._jobs[number]
            raise
        return future

    def _on_finished(self, number: int) -> None:
        job = self._jobs.pop(number, None)
        if job is None:  # shutdown() dropped it: nobody is left to show its result
            return
        future = job.future
        if future.cancelled():  # it never ran: there is no result to hand over
            return
        exc = future.exception()
        try:
            if exc is None:
                job.on_success(future.result())
            elif isinstance(exc, Exception):
                job.on_failure(exc)
        except Exception:
            log.exception("a task's result handler failed")

    def broadcast(self, changes: Changes) -> None:
        self.changed.emit(changes)

    @property
    def busy(self) -> bool:
        """Whether a job is queued, running, or waiting for its handler to run."""
        return bool(self._jobs)

    def shutdown(self) -> None:
        """Let queued operations finish, then stop every worker thread and wait for it.

        Results that have not been handled yet are dropped (here, on the GUI thread): call
        it once the screens are closed, so no handler runs on a widget that is gone.
        """
        for pool in self._pools.values():
            pool.shutdown(wait=True)
        self._jobs.clear()


def _run(jobs: dict[int, _Job], number: int, notify: Callable[[int], None]) -> None:
    """On a worker thread: do job ``number``, then tell the GUI thread, which drops it."""
    _settle(jobs[number])
    notify(number)  # only now: this thread no longer holds the job or its outcome


def _settle(job: _Job) -> None:
    """Run the job and leave its result or its exception in its future."""
    future = job.future
    try:
        if future.set_running_or_notify_cancel():  # False: cancelled while queued
            future.set_result(job.fn())
    except BaseException as exc:
        _clear_frames(exc)
        future.set_exception(exc)
    finally:
        # A failure's traceback keeps this frame (and the job's frames keep it as their
        # caller): it must not lead back to the future, or the exception is in a cycle.
        del job, future


def _clear_frames(exc: BaseException) -> None:
    """Clear the local variables of the finished frames in the tracebacks of ``exc`` and of
    the exceptions chained to it: a frame that holds the exception it raised (``raise
    refusal``) is a cycle. The tracebacks keep their files, lines and names for the log."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)  # skips the frames still running
        todo += [current.__cause__, current.__context__]


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
