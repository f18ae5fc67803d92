"""The till's sync service keeping the server's answers (``SyncService.record``), on a real
till database: what the status bar counts and each sale's state shows afterwards.

The answers are ``PushResponseV1`` values as the server sends them; what the service does
with them is under test, not the network (the e2e tests in tests/e2e/sync do that)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from loyalty_core.ids import new_id
from loyalty_core.wire.sync import EventResultV1, PushResponseV1
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.messages import CartItem, CheckoutRequest
from pos_client.services.sync import SyncService

MILK = CartItem(sku="milk", name="Молоко", unit_price=8_990)
SERVER_TIME = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _sync(till: Till) -> SyncService:
    sv = till.services
    sync = SyncService(sv.uows, sv.ctx, sv.wallets, batch_size=10)
    # The demo shift's opening is already with the server: each test starts from no events.
    earlier = sync.claim()
    assert earlier is not None and [e.kind for e in earlier] == ["shift.opened"]
    applied = [
        EventResultV1(event_id=UUID(e.event_id), status=EventStatus.APPLIED) for e in earlier
    ]
    sync.record(earlier, _answer(*applied))
    assert sync.counts() == (0, 0)
    return sync


def _three_sales(till: Till) -> list[str]:
    staff = till.services.staff_list()[0].id
    return [till.services.checkout(CheckoutRequest((MILK,), staff)).sale_id for _ in range(3)]


def _answer(*results: EventResultV1) -> PushResponseV1:
    return PushResponseV1(results=list(results), server_time=SERVER_TIME)


def test_answers_are_kept_per_event_and_an_unanswered_one_goes_back_to_the_queue(
    seeded_till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    sync = _sync(seeded_till)
    sv = seeded_till.services
    applied, refused, unanswered = _three_sales(seeded_till)
    batch = sync.claim()
    assert batch is not None
    by_sale = {e.aggregate_id: e.event_id for e in batch}
    assert sync.counts() == (3, 0)  # claimed: still waiting, being sent

    stranger = EventResultV1(event_id=UUID(new_id()), status=EventStatus.APPLIED)
    answer = _answer(
        EventResultV1(event_id=UUID(by_sale[applied]), status=EventStatus.APPLIED),
        EventResultV1(
            event_id=UUID(by_sale[refused]),
            status=EventStatus.REJECTED,
            code="sale.entries_mismatch",
            message="Sale 2: 2 sent, 3 expected or different.",
        ),
        stranger,  # an answer for an event this till never sent changes nothing
    )
    with caplog.at_level(logging.WARNING, logger="pos_client.services.sync"):
        outcome = sync.record(batch, answer)

    assert (outcome.sent, outcome.applied, outcome.duplicate, outcome.rejected) == (3, 1, 0, 1)
    assert sv.sync_state(applied).status is EventStatus.APPLIED  # type: ignore[union-attr]
    rejected = sv.sync_state(refused)
    assert rejected is not None and rejected.status is EventStatus.REJECTED
    assert rejected.error_code == "sale.entries_mismatch"
    assert rejected.error_message == "Sale 2: 2 sent, 3 expected or different."
    waiting = sv.sync_state(unanswered)
    assert waiting is not None
    assert (waiting.status, waiting.error_message) == (EventStatus.QUEUED, "no answer")
    assert sync.counts() == (1, 1)  # the unanswered one waits; the refused one is listed
    assert [m for m in caplog.messages if "rejected" in m] == [
        f"sync: event {by_sale[refused]} rejected: sale.entries_mismatch"
        " Sale 2: 2 sent, 3 expected or different."
    ]

    again = sync.claim()  # the next batch carries only the event without an answer
    assert again is not None and [e.aggregate_id for e in again] == [unanswered]


def test_a_duplicate_answer_counts_as_duplicate_and_confirms_the_sale(seeded_till: Till) -> None:
    sync = _sync(seeded_till)
    sale = _three_sales(seeded_till)[0]
    batch = sync.claim()
    assert batch is not None
    answer = _answer(
        *(EventResultV1(event_id=UUID(e.event_id), status=EventStatus.DUPLICATE) for e in batch)
    )
    outcome = sync.record(batch, answer)
    assert (outcome.sent, outcome.applied, outcome.duplicate, outcome.rejected) == (3, 0, 3, 0)
    assert seeded_till.services.sync_state(sale).status is EventStatus.DUPLICATE  # type: ignore[union-attr]
    assert sync.counts() == (0, 0)
    assert sync.claim() is None  # nothing left to send


def test_a_batch_whose_send_failed_waits_again_and_says_why(seeded_till: Till) -> None:
    sync = _sync(seeded_till)
    sales = _three_sales(seeded_till)
    batch = sync.claim()
    assert batch is not None and len(batch) == 3
    sync.release(batch, reason="The server did not answer")
    now = seeded_till.services.ctx.clock()
    for sale in sales:
        state = seeded_till.services.sync_state(sale)
        assert state is not None
        assert (state.status, state.attempts) == (EventStatus.QUEUED, 1)
        assert state.error_message == "The server did not answer"
        assert state.sent_at is not None  # when it was claimed, by the till's clock
        assert timedelta(0) <= now - state.sent_at < timedelta(minutes=1)
    assert sync.counts() == (3, 0)
    again = sync.claim()
    assert again is not None and sorted(e.aggregate_id for e in again) == sorted(sales)
