"""The print worker: prints the queue's receipts one at a time, off the GUI thread.

A step is a chain on the task manager: take the oldest waiting job (DB lane), compose its
paper in the till's language (GUI thread, microseconds), print it (IO lane), then take the
next. The printed mark is written on the printing thread the moment the printer took the
job whole, so a till closed mid-print still records it (and never prints it again).

If the database refuses that mark (locked past its busy timeout, disk full), the job is
kept in memory as printed and only its mark is retried: it never prints a second time.

A printer that is off, unplugged, busy, out of paper or cut off mid-job fails the step: the
job stays first in the queue with why (DB lane), the status bar says it in plain words, and
the job is tried again after ``retry_s``, doubling up to ``max_retry_s``. Between jobs the
printer's own status is polled every ``poll_s`` (paper near its end, cover open), so the
cashier learns of a problem before the next sale. A sale never waits for any of this.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from hardware.errors import PrinterError, PrinterUnconfirmedError
from hardware.printer_status import PrinterStatus, ensure_ready
from hardware.receipt import ReceiptDocument
from pos_client.print_status import PrinterState, PrintPort, ReceiptPrinter, problem_kind
from pos_client.services.context import utc_now
from pos_client.services.messages import QueueState, ReceiptToPrint
from pos_client.tasks import Changes, Lane, Op, TaskManager

log = logging.getLogger(__name__)


class PrintRunner(QObject):
    """Owned by the GUI thread: create, ``start()``, and ``stop()`` before the tasks shut down."""

    state_changed = Signal(object)  # PrinterState

    def __init__(
        self,
        port: PrintPort,
        printer: ReceiptPrinter | None,
        compose: Callable[[ReceiptToPrint], ReceiptDocument],
        tasks: TaskManager,
        *,
        problem: str | None = None,
        retry_s: float = 3.0,
        max_retry_s: float = 30.0,
        poll_s: float = 15.0,
        stale_after: timedelta = timedelta(minutes=30),
        clock: Callable[[], datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._port, self._printer, self._compose, self._tasks = port, printer, compose, tasks
        self._retry_ms, self._max_retry_ms = int(retry_s * 1000), int(max_retry_s * 1000)
        self._failures = 0
        self._unrecorded: set[int] = set()  # printed, but the database refused the mark
        self._stale_after, self._clock = stale_after, clock
        self._running = False  # a job is being taken or printed
        self._again = False
        self._stopped = True
        self.state = PrinterState(configured=printer is not None or problem is not None)
        if problem is not None:
            self.state = replace(self.state, ready=False, problem=problem, problem_kind="settings")
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.kick)
        self._poll = QTimer(self)
        self._poll.setInterval(int(poll_s * 1000))
        self._poll.timeout.connect(self._poll_status)

    # -- lifetime --------------------------------------------------------------
    def start(self) -> None:
        self._stopped = False
        self._tasks.changed.connect(self._on_changed)
        self._publish(self.state)
        self._poll.start()
        self.kick()

    def stop(self) -> None:
        """No new step starts; a print under way finishes on its thread and records itself."""
        if self._stopped:
            return
        self._stopped = True
        self._retry.stop()
        self._poll.stop()
        self._tasks.changed.disconnect(self._on_changed)

    @property
    def idle(self) -> bool:
        return not self._running

    # -- a step ------------------------------------------------------------------
    def kick(self) -> None:
        """Print what waits, now (a sale was made, a copy asked for, the printer came back)."""
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running, self._again = True, False
        self._retry.stop()
        Op(self._tasks, self._port.next_to_print).success(self._got).failure(self._broken).run()

    def _got(self, item: ReceiptToPrint | None) -> None:
        if self._stopped:
            self._running = False
            return
        if item is None:
            self._failures = 0
            self._done()
            return
        if self._printer is None:  # its settings are wrong: it waits for them to be fixed
            self._done()
            return
        if item.job.id in self._unrecorded:  # on paper already: only its mark is missing
            self._record(item.job.id)
            return
        try:
            document = self._compose(item)
        except Exception as exc:  # a bug, not the printer: retrying would block the queue
            log.exception("receipt job %s could not be laid out: set aside", item.job.id)
            self._set_aside(item.job.id, f"could not be laid out: {exc}")
            return
        printer, port, job_id = self._printer, self._port, item.job.id

        def print_it() -> Exception | None:
            printer.print_receipt(document)
            try:
                port.printed(job_id)  # at once, on this thread: a closing till records it too
            except Exception as not_recorded:
                return not_recorded  # printed: it must not print again, only be recorded
            return None

        Op(self._tasks, print_it, Lane.IO).success(
            lambda not_recorded: self._took(job_id, not_recorded)
        ).failure(lambda exc: self._failed(item, exc)).run()

    def _took(self, job_id: int, not_recorded: Exception | None) -> None:
        if not_recorded is None:
            self._printed()
            return
        log.error("receipt job %s printed but not recorded: %s", job_id, not_recorded)
        self._unrecorded.add(job_id)
        self._running = False
        self._failures += 1
        self._done(retry=True)

    def _record(self, job_id: int) -> None:
        """Write the mark of a job the printer took while the database refused it."""

        def recorded(_none: None) -> None:
            self._unrecorded.discard(job_id)
            self._printed()

        def still_not(exc: Exception) -> None:
            log.error("receipt job %s still not recorded as printed: %s", job_id, exc)
            self._failures += 1
            self._done(retry=True)

        Op(self._tasks, lambda: self._port.printed(job_id)).success(recorded).failure(
            still_not
        ).run()

    def _printed(self) -> None:
        self._failures = 0
        self._running = False
        if self.state.problem is not None:
            self._publish(replace(self.state, ready=True, problem=None, problem_kind=None))
        if not self._stopped:
            self._again = False
            self.kick()

    def _unconfirmed(self, job_id: int, exc: Exception) -> None:
        """Sent whole, never confirmed: it may have printed, so it is not sent again; the
        cashier is told to check it (F9 prints a copy) until the next receipt prints."""
        reason = str(exc)
        log.warning("receipt job %s sent but not confirmed: %s", job_id, reason)
        self._publish(replace(self.state, problem=reason, problem_kind="unconfirmed"))
        self._record_then_next(lambda: self._port.print_unconfirmed(job_id, reason))

    def _set_aside(self, job_id: int, reason: str) -> None:
        self._record_then_next(lambda: self._port.print_set_aside(job_id, reason))

    def _record_then_next(self, record: Callable[[], None]) -> None:
        """Write what became of a job that is not retried, then take the next one."""

        def next_one(_none: None) -> None:
            self._running = False
            if not self._stopped:
                self.kick()

        Op(self._tasks, record).success(next_one).failure(self._broken).run()

    def _failed(self, item: ReceiptToPrint, exc: Exception) -> None:
        if isinstance(exc, PrinterUnconfirmedError):
            self._unconfirmed(item.job.id, exc)
            return
        reason = str(exc) or type(exc).__name__
        log.warning("receipt job %s not printed: %s", item.job.id, reason)
        self._failures += 1
        self._publish(
            replace(self.state, ready=False, problem=reason, problem_kind=problem_kind(exc))
        )
        Op(self._tasks, lambda: self._port.print_failed(item.job.id, reason)).run()
        self._done(retry=True)

    def _broken(self, exc: Exception) -> None:
        log.error("the print queue could not be read: %s", exc, exc_info=exc)
        self._failures += 1
        self._done(retry=True)

    def _done(self, *, retry: bool = False) -> None:
        self._running = False
        if self._stopped:
            return
        Op(self._tasks, self._port.print_queue).success(self._show_queue).run()
        if self._again:
            self.kick()
        elif retry:
            delay = min(self._max_retry_ms, self._retry_ms * 2 ** (self._failures - 1))
            self._retry.start(delay)

    def _show_queue(self, queue: QueueState) -> None:
        if self._stopped:
            return
        stale = queue.oldest_at is not None and self._clock() - queue.oldest_at > self._stale_after
        self._publish(
            replace(self.state, waiting=queue.waiting, oldest_at=queue.oldest_at, stale=stale)
        )

    # -- the printer's own word ------------------------------------------------------
    def _poll_status(self) -> None:
        """Every ``poll_s``: how long receipts have waited (even with no printer to try), and
        what the printer says of itself."""
        printer = self._printer
        if self._stopped or self._running:
            return
        if self.state.waiting:
            Op(self._tasks, self._port.print_queue).success(self._show_queue).run()
        if printer is None:
            return
        query = getattr(printer, "query_status", None)
        if query is None:
            return
        Op(self._tasks, query, Lane.IO).success(self._status).failure(self._unreachable).run()

    def _status(self, status: PrinterStatus) -> None:
        if self._stopped or not status.known:  # it cannot say: the next print will tell
            return
        problem = kind = None
        try:
            ensure_ready(status, getattr(self._printer, "name", "printer"))
        except PrinterError as not_ready:
            problem, kind = str(not_ready), problem_kind(not_ready)
        was_failing = self.state.problem is not None
        self._publish(
            replace(
                self.state,
                ready=problem is None,
                problem=problem,
                problem_kind=kind,
                paper_low=status.paper_low,
            )
        )
        if was_failing and problem is None and self.state.waiting:
            self.kick()  # it is back: print what waits now, not at the next retry

    def _unreachable(self, exc: Exception) -> None:
        if not self._stopped:
            self._publish(
                replace(self.state, ready=False, problem=str(exc), problem_kind=problem_kind(exc))
            )

    def _on_changed(self, changes: Changes) -> None:
        if changes.sales or changes.prints:
            self.kick()

    def _publish(self, state: PrinterState) -> None:
        self.state = state
        self.state_changed.emit(state)
