"""The till's side of sync: each step of a round as one blocking call (``SyncPort``).

The Qt runner (``pos_client.sync_runner``) puts the database steps on the DB lane and
the network steps on the IO lane; ``sync_now`` runs a whole round in the caller's thread
(``pos-admin sync``, tests). Pushing: ``claim`` a batch of queued events, ``send`` it,
``record`` the server's answers (or ``release`` the batch when the send failed).
Pulling: read the ``cursor``, ``fetch`` the page after it, ``apply`` it with the new
cursor in one transaction, and drop the wallets whose ledger changed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from loyalty_core.errors import DomainError
from loyalty_core.wire.scorecards import ScorecardsV1
from loyalty_core.wire.survey_link import SurveyLinkV1
from loyalty_core.wire.sync import EventV1, PullResponseV1, PushResponseV1
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.sync_client import SyncClient
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.records import EventResult, EventStatus
from pos_client.services.context import TillContext
from pos_client.services.enrollment import stored_enrollment
from pos_client.services.survey_links import SURVEY_DAYS_KEY, SURVEY_PAGE_KEY, SURVEY_SECRET_KEY
from pos_client.services.wallets import WalletCache
from pos_client.sync_status import PullOutcome, PushOutcome

log = logging.getLogger(__name__)

BATCH_SIZE = 500
ClientFactory = Callable[[str, str], SyncClient]  # (server URL, credential) -> client


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What ``sync_now`` did: events answered by status, rows pulled, pages."""

    pushed: PushOutcome
    pulled_rows: int
    pages: int


class SyncService:
    def __init__(
        self,
        uows: UnitOfWorkFactory,
        ctx: TillContext,
        wallets: WalletCache,
        client_factory: ClientFactory = SyncClient,
        *,
        batch_size: int = BATCH_SIZE,
        pull_limit: int | None = None,
        after_page: Callable[[], None] | None = None,
    ) -> None:
        self._uows = uows
        self._ctx = ctx
        self._wallets = wallets
        self._client_factory = client_factory
        self._batch_size = batch_size
        self._pull_limit = pull_limit
        self._after_page = after_page  # told after each page is written (the WAL's checkpointer)
        self._client: SyncClient | None = None
        self._lock = threading.Lock()
        self._pulled = 0  # rows pulled since the last page without more

    # -- SyncPort ----------------------------------------------------------------
    def configured(self) -> bool:
        """Whether this till is enrolled (and so has a server and a credential)."""
        return self._connection() is not None

    def claim(self) -> list[OutboxEvent] | None:
        with self._uows.writing() as uow:
            batch = uow.outbox.claim(self._batch_size, now=self._ctx.clock())
            uow.commit()
        return batch or None

    def send(self, batch: list[OutboxEvent]) -> PushResponseV1:
        client = self._require_client()
        events = [
            EventV1(
                event_id=e.event_id,
                kind=e.kind,
                aggregate_id=e.aggregate_id,
                created_at=e.created_at,
                payload=e.payload,
            )
            for e in batch
        ]
        return client.push(events, sent_at=self._ctx.clock())

    def record(self, batch: list[OutboxEvent], answer: PushResponseV1) -> PushOutcome:
        sent = {e.event_id for e in batch}
        results = [
            EventResult(str(r.event_id), EventStatus(r.status), r.code, r.message)
            for r in answer.results
            if str(r.event_id) in sent
        ]
        with self._uows.writing() as uow:
            uow.outbox.record(results, now=self._ctx.clock())
            # An event the server did not answer goes back to the queue for the next batch.
            answered = {r.event_id for r in results}
            uow.outbox.release([e for e in sent if e not in answered], reason="no answer")
            uow.commit()
        by_status = {s: sum(1 for r in results if r.status is s) for s in EventStatus}
        for r in results:
            if r.status is EventStatus.REJECTED:
                log.warning("sync: event %s rejected: %s %s", r.event_id, r.code, r.message)
        return PushOutcome(
            sent=len(batch),
            applied=by_status[EventStatus.APPLIED],
            duplicate=by_status[EventStatus.DUPLICATE],
            rejected=by_status[EventStatus.REJECTED],
        )

    def release(self, batch: list[OutboxEvent], reason: str | None = None) -> None:
        with self._uows.writing() as uow:
            uow.outbox.release([e.event_id for e in batch], reason=reason)
            uow.commit()

    def cursor(self) -> int:
        with self._uows.reading() as uow:
            return uow.replica.cursor()

    def fetch(self, cursor: int) -> PullResponseV1:
        return self._require_client().pull(cursor, self._pull_limit)

    def apply(self, page: PullResponseV1) -> PullOutcome:
        with self._uows.writing() as uow:
            applied = uow.replica.apply(page, received_at=self._ctx.clock())
            uow.commit()
        if self._after_page is not None:
            self._after_page()
        self._wallets.forget(applied.customers)  # reloaded from the ledger when next asked
        self._pulled = self._pulled + applied.rows if page.has_more else 0
        return PullOutcome(rows=applied.rows, has_more=page.has_more, done=self._pulled, total=None)

    def counts(self) -> tuple[int, int]:
        """(waiting: queued or sending, refused by the server), one grouped count."""
        with self._uows.reading() as uow:
            by_status = uow.outbox.count_by_status()
        waiting = by_status.get(EventStatus.QUEUED, 0) + by_status.get(EventStatus.SENDING, 0)
        return waiting, by_status.get(EventStatus.REJECTED, 0)

    # -- online-only redemption ----------------------------------------------------------
    def confirm_balance(self, customer_id: str) -> int | None:
        """What the server says the customer may spend now, if the store needs it asked.

        None when the store's policy does not ask the server, when the till is not
        enrolled, or when the server does not answer in time (then nothing is spent).
        Network: call it on the IO lane.
        """
        with self._uows.reading() as uow:
            settings = uow.replica.store_settings()
        if settings is None or settings.redemption_policy != "online_only":
            return None
        client = self._connection()
        if client is None:
            return None
        try:
            return client.balance(customer_id).available
        except DomainError as refused:
            log.info("sync: the server did not confirm a balance: %s", refused.message)
            return None

    # -- the receipts' survey links -------------------------------------------------
    def survey_link_known(self) -> bool:
        """This till keeps its store's survey secret. Database: the DB lane."""
        with self._uows.reading() as uow:
            return bool(uow.state.get(SURVEY_SECRET_KEY))

    def fetch_survey_link(self) -> SurveyLinkV1 | None:
        """How this till signs its receipts' survey links, asked once; None when the till is
        not enrolled or the server did not answer (the next round asks again). Network:
        the IO lane."""
        client = self._connection()
        if client is None:
            return None
        try:
            return client.survey_link()
        except DomainError as refused:
            log.info("sync: no survey link yet: %s", refused.message)
            return None

    def keep_survey_link(self, link: SurveyLinkV1 | None) -> bool:
        """Keep what ``fetch_survey_link`` got; receipts print its signed QR from now on.
        Database: the DB lane."""
        if link is None:
            return False
        with self._uows.writing() as uow:
            uow.state.set(SURVEY_SECRET_KEY, link.secret)
            uow.state.set(SURVEY_DAYS_KEY, str(link.valid_days))
            uow.state.set(SURVEY_PAGE_KEY, link.page_url or "")
            uow.commit()
        return True

    def ensure_survey_link(self) -> bool:
        """The three steps above in one blocking call (the CLI, tests)."""
        return self.survey_link_known() or self.keep_survey_link(self.fetch_survey_link())

    # -- staff scores ----------------------------------------------------------------
    def scorecards(self, staff_id: str) -> ScorecardsV1:
        """The scorecards the server lets this staff member see: a manager the store's
        cashiers, anyone else their own. Network: call it on the IO lane."""
        return self._require_client().scorecards(staff_id)

    # -- a whole round, blocking --------------------------------------------------
    def sync_now(
        self, *, max_pages: int = 10_000, on_page: Callable[[int, bool], None] | None = None
    ) -> RoundResult:
        """Push everything queued, then pull until the server has no more.

        ``on_page(rows pulled so far, more to come)`` is told after each page (progress).
        """
        if not self.configured():
            raise NotEnrolledError()
        pushed = PushOutcome()
        while (batch := self.claim()) is not None:
            try:
                answer = self.send(batch)
            except Exception:
                self.release(batch, reason="send failed")
                raise
            outcome = self.record(batch, answer)
            pushed = PushOutcome(
                pushed.sent + outcome.sent,
                pushed.applied + outcome.applied,
                pushed.duplicate + outcome.duplicate,
                pushed.rejected + outcome.rejected,
            )
        rows = pages = 0
        # The next page is fetched while this one is applied: network and disk overlap.
        with ThreadPoolExecutor(1, thread_name_prefix="pull-ahead") as ahead:
            fetching = ahead.submit(self.fetch, self.cursor())
            while pages < max_pages:
                page = fetching.result()
                if page.has_more and pages + 1 < max_pages:
                    fetching = ahead.submit(self.fetch, page.next_cursor)
                rows += self.apply(page).rows
                pages += 1
                if on_page is not None:
                    on_page(rows, page.has_more)
                if not page.has_more:
                    break
        return RoundResult(pushed, rows, pages)

    # -- the connection ----------------------------------------------------------------
    def _connection(self) -> SyncClient | None:
        with self._lock:
            if self._client is None:
                enrollment = stored_enrollment(self._uows.reading())
                if enrollment is None:
                    return None
                self._client = self._client_factory(enrollment.server_url, enrollment.credential)
            return self._client

    def _require_client(self) -> SyncClient:
        client = self._connection()
        if client is None:
            raise NotEnrolledError()
        return client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


class NotEnrolledError(DomainError):
    code = "sync.not_enrolled"
    template = "This till is not enrolled with a server yet: run pos-admin enroll first."
