"""The sync worker: pushes the outbox and pulls the server's changes, off the GUI thread.

A round is a chain of small operations on the task manager: claim a batch (DB lane),
send it (IO lane), record the answers (DB lane), again until nothing is queued; then
read the cursor (DB), fetch a page (IO) and apply it (DB), again while the server has
more; the next page is fetched while one is applied, so a bootstrap's network and disk
work overlap. Each step's result arrives on the GUI thread, which starts the next one, so
one round runs at a time and the GUI thread only ever waits for nothing.

A round starts as soon as there is something to send (an outbox broadcast) and every
``interval_s`` otherwise. When the server does not answer, the batch goes back to the
queue and the next round waits longer, with jitter, up to ``max_backoff_s``: tills
that lost the network together do not come back in step. (Inside a round the HTTP
client retries a failed request itself, with urllib3's ``Retry``.)
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from pos_client.sync_status import PullOutcome, PushOutcome, SyncPort, SyncStatus
from pos_client.tasks import Changes, Lane, Op, TaskManager

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Ahead:
    """A pull's pipeline: a page being written, and the next one fetched meanwhile."""

    applying: bool = False
    page: Any = None  # fetched while the page before was written
    failed: str | None = None  # the fetch ahead failed: the round ends after the write


class SyncRunner(QObject):
    """Owned by the GUI thread: create, ``start()``, and ``stop()`` before the tasks shut down."""

    status_changed = Signal(object)  # SyncStatus

    def __init__(
        self,
        port: SyncPort,
        tasks: TaskManager,
        *,
        interval_s: float = 5.0,
        max_backoff_s: float = 60.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._port = port
        self._tasks = tasks
        self._interval_ms = int(interval_s * 1000)
        self._max_backoff_s = max_backoff_s
        self._failures = 0
        self._running = False  # a round is under way
        self._again = False  # something arrived during the round: go once more
        self._survey_link = False  # the store's survey secret is kept at this till
        self._ahead = _Ahead()
        self._stopped = True
        self.status = SyncStatus()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)

    # -- lifetime --------------------------------------------------------------
    def start(self) -> None:
        self._stopped = False
        self._tasks.changed.connect(self._on_changed)
        self.sync_now()

    def stop(self) -> None:
        """No new step starts; a step under way finishes on its thread and is ignored."""
        if self._stopped:
            return
        self._stopped = True
        self._timer.stop()
        self._tasks.changed.disconnect(self._on_changed)

    @property
    def idle(self) -> bool:
        return not self._running

    # -- a round ---------------------------------------------------------------
    def sync_now(self) -> None:
        if self._stopped:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        self._timer.stop()
        self._db(self._port.configured, self._configured)

    def _configured(self, configured: bool) -> None:
        if not configured:  # not enrolled yet: nothing to talk to
            self._finish(ok=None, error=None)
            return
        self._claim()

    def _claim(self) -> None:
        self._db(self._port.claim, self._claimed)

    def _claimed(self, batch: object | None) -> None:
        if batch is None:
            self._db(self._port.cursor, self._fetch)
            return
        Op(self._tasks, lambda: self._port.send(batch), Lane.IO).success(
            lambda answer: self._db(lambda: self._port.record(batch, answer), self._recorded)
        ).failure(lambda exc: self._send_failed(batch, exc)).run()

    def _recorded(self, outcome: PushOutcome) -> None:
        self._online()
        if outcome.sent:  # sales changed state; the queue's count comes with the status
            self._tasks.broadcast(Changes(sales=True))
        self._claim()

    def _send_failed(self, batch: object, exc: Exception) -> None:
        reason = getattr(exc, "message", None) or type(exc).__name__
        log.info("sync: push failed (%s); the batch goes back to the queue", reason)
        self._db(
            lambda: self._port.release(batch, reason), lambda _none: self._finish(False, reason)
        )

    def _fetch(self, cursor: int) -> None:
        self._ahead = _Ahead()  # a new pipeline: what an earlier one still sends is ignored
        self._fetch_into(self._ahead, cursor)

    def _fetch_into(self, ahead: _Ahead, cursor: int) -> None:
        Op(self._tasks, lambda: self._port.fetch(cursor), Lane.IO).success(
            self._unless_stopped(lambda page: self._fetched(ahead, page))
        ).failure(lambda exc: self._fetch_failed(ahead, exc)).run()

    def _fetched(self, ahead: _Ahead, page: Any) -> None:
        if ahead is not self._ahead:
            return
        if ahead.applying:  # the page before is still being written: this one waits
            ahead.page = page
        else:
            self._apply(ahead, page)

    def _apply(self, ahead: _Ahead, page: Any) -> None:
        ahead.applying = True
        if page.has_more:  # fetch the next page while this one is written
            self._fetch_into(ahead, page.next_cursor)
        self._db(lambda: self._port.apply(page), lambda outcome: self._applied(ahead, outcome))

    def _applied(self, ahead: _Ahead, outcome: PullOutcome) -> None:
        ahead.applying = False
        self._online()
        if outcome.rows:
            self._tasks.broadcast(Changes(customers=True, staff=True, sales=True))
        catching_up = outcome if outcome.has_more else None
        if catching_up != self.status.catching_up:
            self._publish(replace(self.status, catching_up=catching_up))
        if not outcome.has_more:
            self._finish(ok=True, error=None)
        elif ahead.failed is not None:
            self._finish(False, ahead.failed)
        elif ahead.page is not None:
            page, ahead.page = ahead.page, None
            self._apply(ahead, page)
        # else: the next page is still on its way; ``_fetched`` applies it

    def _fetch_failed(self, ahead: _Ahead, exc: Exception) -> None:
        if ahead is not self._ahead:
            return
        reason = getattr(exc, "message", None) or type(exc).__name__
        log.info("sync: pull failed (%s)", reason)
        if ahead.applying:  # the page being written finishes first
            ahead.failed = reason
        else:
            self._finish(False, reason)

    def _finish(self, ok: bool | None, error: str | None) -> None:
        self._running = False
        if ok and not self._survey_link:  # once online: how receipts' survey links are signed
            self._db(self._port.survey_link_known, self._survey_link_checked)
        self._failures = 0 if ok or ok is None else self._failures + 1
        self._db(self._port.counts, lambda counts: self._counted(counts, ok, error))

    def _survey_link_checked(self, known: bool) -> None:
        self._survey_link = known
        if not known:
            Op(self._tasks, self._port.fetch_survey_link, Lane.IO).success(
                self._unless_stopped(
                    lambda link: self._db(
                        lambda: self._port.keep_survey_link(link), self._survey_link_kept
                    )
                )
            ).failure(lambda exc: log.info("sync: no survey link yet (%s)", exc)).run()

    def _survey_link_kept(self, kept: bool) -> None:
        self._survey_link = kept

    def _counted(self, counts: tuple[int, int], ok: bool | None, error: str | None) -> None:
        queued, rejected = counts
        status = replace(self.status, queued=queued, rejected=rejected, error=error)
        if ok is not None:
            status = replace(status, online=ok)
        if not ok:
            status = replace(status, catching_up=None)
        self._publish(status)
        if self._stopped:
            return
        if self._again and ok:
            self.sync_now()
            return
        self._timer.start(self._next_delay_ms())

    def _next_delay_ms(self) -> int:
        if not self._failures:
            return self._interval_ms
        # Exponential with full jitter, never below the usual interval.
        ceiling = min(self._max_backoff_s, self._interval_ms / 1000 * 2**self._failures)
        return int(1000 * max(self._interval_ms / 1000, random.uniform(0, ceiling)))

    # -- helpers ---------------------------------------------------------------
    def _online(self) -> None:
        now = datetime.now(UTC)
        self._publish(replace(self.status, online=True, last_sync_at=now, error=None))

    def _publish(self, status: SyncStatus) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)

    def _db(self, fn: Any, then: Any) -> None:
        Op(self._tasks, fn).success(self._unless_stopped(then)).failure(self._db_failed).run()

    def _unless_stopped(self, then: Any) -> Any:
        def step(result: Any) -> None:
            if not self._stopped:
                then(result)

        return step

    def _db_failed(self, exc: Exception) -> None:
        log.error("sync: a database step failed: %s", exc, exc_info=exc)
        self._running = False
        self._ahead = _Ahead()  # a page fetched ahead is dropped; the next round re-reads
        if not self._stopped:
            self._failures += 1
            self._timer.start(self._next_delay_ms())

    def _on_changed(self, changes: Changes) -> None:
        if changes.outbox and not self._stopped:
            self.sync_now()
