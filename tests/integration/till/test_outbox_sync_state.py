"""The outbox keeps one sync state per event: claim, record, release, recover, over real SQLite.

Each step is its own unit of work, as the sync worker runs them on the DB lane; a
second unit of work reads what the first committed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from loyalty_core.ids import new_id
from pos_client.adapters import migrate
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.records import EventResult, EventStatus, SyncState

T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
T1 = T0 + timedelta(seconds=5)
T2 = T0 + timedelta(seconds=9)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outbox-template") / "till.sqlite3"
    engines = create_till_engines(path)
    migrate.upgrade(engines.write)
    engines.dispose()
    return path


@pytest.fixture
def uows(migrated: Path, tmp_path: Path) -> Iterator[UnitOfWorkFactory]:
    engines = create_till_engines(Path(shutil.copy(migrated, tmp_path / "till.sqlite3")))
    yield UnitOfWorkFactory(engines)
    engines.dispose()


def _add(uows: UnitOfWorkFactory, *aggregates: str, kind: str = "sale.completed") -> list[str]:
    """One event per aggregate, in this order; returns their event ids."""
    ids = []
    with uows.writing() as uow:
        for aggregate in aggregates:
            event_id = new_id()
            uow.outbox.add(OutboxEvent(event_id, kind, aggregate, {"a": aggregate}, T0))
            ids.append(event_id)
        uow.commit()
    return ids


def _claim(uows: UnitOfWorkFactory, limit: int, now: datetime = T1) -> list[OutboxEvent]:
    with uows.writing() as uow:
        claimed = uow.outbox.claim(limit, now=now)
        uow.commit()
    return claimed


def _record(uows: UnitOfWorkFactory, *results: EventResult) -> int:
    with uows.writing() as uow:
        changed = uow.outbox.record(results, now=T2)
        uow.commit()
    return changed


def _state(uows: UnitOfWorkFactory, aggregate_id: str) -> SyncState | None:
    with uows.reading() as uow:
        return uow.outbox.state_of(aggregate_id)


def _counts(uows: UnitOfWorkFactory) -> dict[str, int]:
    with uows.reading() as uow:
        return uow.outbox.count_by_status()


def test_a_new_event_is_queued_never_sent(uows: UnitOfWorkFactory) -> None:
    _add(uows, "sale-1")
    assert _state(uows, "sale-1") == SyncState(EventStatus.QUEUED)
    assert _state(uows, "no-such-sale") is None
    with uows.reading() as uow:
        assert (uow.outbox.queued(), uow.outbox.pending()) == (1, 1)
        (event,) = uow.outbox.for_aggregate("sale-1")
    assert event.sync == SyncState(EventStatus.QUEUED)
    assert event.payload == {"a": "sale-1"}


def test_claim_takes_the_oldest_in_order_marks_them_sending_and_counts_the_attempt(
    uows: UnitOfWorkFactory,
) -> None:
    ids = _add(uows, "a", "b", "c", "d", "e")
    claimed = _claim(uows, 3)
    assert [e.event_id for e in claimed] == ids[:3]
    assert {e.sync for e in claimed} == {SyncState(EventStatus.SENDING, 1, sent_at=T1)}
    assert _counts(uows) == {"sending": 3, "queued": 2}
    with uows.reading() as uow:
        assert (uow.outbox.queued(), uow.outbox.pending()) == (2, 5)


def test_nothing_is_claimed_while_a_batch_is_in_flight(uows: UnitOfWorkFactory) -> None:
    """A later batch must not reach the server before an earlier one that may be retried."""
    ids = _add(uows, "a", "b", "c")
    first = _claim(uows, 2)
    assert _claim(uows, 10) == []
    _record(uows, *(EventResult(e.event_id, EventStatus.APPLIED) for e in first))
    assert [e.event_id for e in _claim(uows, 10)] == ids[2:]


def test_answers_are_kept_with_code_message_and_time(uows: UnitOfWorkFactory) -> None:
    _add(uows, "sale-1", "sale-2", "sale-3")
    a, b, c = _claim(uows, 3)
    changed = _record(
        uows,
        EventResult(a.event_id, EventStatus.APPLIED),
        EventResult(b.event_id, EventStatus.DUPLICATE),
        EventResult(c.event_id, EventStatus.REJECTED, "customer.unknown", "No such customer"),
    )
    assert changed == 3
    assert _state(uows, "sale-1") == SyncState(EventStatus.APPLIED, 1, None, None, T1, T2)
    assert _state(uows, "sale-2") == SyncState(EventStatus.DUPLICATE, 1, None, None, T1, T2)
    assert _state(uows, "sale-3") == SyncState(
        EventStatus.REJECTED, 1, "customer.unknown", "No such customer", T1, T2
    )
    with uows.reading() as uow:
        (rejected,) = uow.outbox.rejected()
        assert uow.outbox.pending() == 0
    assert (rejected.event_id, rejected.aggregate_id) == (c.event_id, "sale-3")
    assert rejected.sync is not None and rejected.sync.error_code == "customer.unknown"
    assert _counts(uows) == {"applied": 1, "duplicate": 1, "rejected": 1}
    assert _claim(uows, 10) == []  # an answered event is never sent again


def test_the_first_answer_stands_and_unknown_events_change_nothing(
    uows: UnitOfWorkFactory,
) -> None:
    _add(uows, "sale-1")
    (event,) = _claim(uows, 1)
    assert _record(uows, EventResult(event.event_id, EventStatus.APPLIED)) == 1
    again = EventResult(event.event_id, EventStatus.REJECTED, "late", "a second answer")
    assert _record(uows, again, EventResult(new_id(), EventStatus.APPLIED)) == 0
    state = _state(uows, "sale-1")
    assert state is not None and (state.status, state.error_code) == (EventStatus.APPLIED, None)


def test_an_answer_must_be_final_and_a_rejection_needs_a_code() -> None:
    with pytest.raises(ValueError, match="not a server's answer"):
        EventResult("e", EventStatus.SENDING)
    with pytest.raises(ValueError, match="needs a code"):
        EventResult("e", EventStatus.REJECTED)


def test_a_failed_send_releases_the_batch_to_be_claimed_again_in_the_same_order(
    uows: UnitOfWorkFactory,
) -> None:
    ids = _add(uows, "a", "b", "c")
    batch = _claim(uows, 2)
    with uows.writing() as uow:
        released = uow.outbox.release([e.event_id for e in batch], reason="connection refused")
        uow.commit()
    assert released == 2
    state = _state(uows, "a")
    assert state is not None
    assert (state.status, state.attempts, state.error_message) == (
        EventStatus.QUEUED,
        1,
        "connection refused",
    )
    again = _claim(uows, 10, now=T2)
    assert [e.event_id for e in again] == ids
    assert [e.sync.attempts for e in again if e.sync] == [2, 2, 1]
    _record(uows, *(EventResult(e.event_id, EventStatus.APPLIED) for e in again))
    state = _state(uows, "a")
    assert state is not None and state.error_message is None  # the answer clears it


def test_a_crash_mid_send_is_recovered_at_start_up(tmp_path: Path) -> None:
    """A till stopped with a batch ``sending`` sends it again after the restart."""
    from pos_client.bootstrap import bootstrap
    from pos_client.config import load_settings

    settings = load_settings(data_dir=tmp_path)
    till = bootstrap(settings, logs=False)
    uows = till.services.uows
    ids = _add(uows, "a", "b")
    _claim(uows, 5)
    assert _claim(uows, 5) == []
    till.close()  # as if killed: nobody released the batch

    till = bootstrap(settings, logs=False)
    try:
        assert _counts(till.services.uows) == {"queued": 2}
        assert [e.event_id for e in _claim(till.services.uows, 5)] == ids
    finally:
        till.close()


def test_recover_puts_only_sending_events_back(uows: UnitOfWorkFactory) -> None:
    _add(uows, "a", "b", "c")
    a, _in_flight = _claim(uows, 2)
    _record(uows, EventResult(a.event_id, EventStatus.APPLIED))
    with uows.writing() as uow:
        assert uow.outbox.recover() == 1
        uow.commit()
    assert _counts(uows) == {"applied": 1, "queued": 2}


def test_a_claim_rolled_back_leaves_the_events_queued(uows: UnitOfWorkFactory) -> None:
    _add(uows, "a")
    with uows.writing() as uow:
        assert len(uow.outbox.claim(5, now=T1)) == 1
        # no commit: a crash before the claim was durable
    assert _state(uows, "a") == SyncState(EventStatus.QUEUED)


def test_an_aggregate_with_several_events_shows_what_needs_attention(
    uows: UnitOfWorkFactory,
) -> None:
    """A customer registered (answered), then a card reissued (not yet): still pending; a
    rejected one is shown above all."""
    first, second = _add(uows, "cust", "cust", kind="customer.registered")
    _claim(uows, 1)
    _record(uows, EventResult(first, EventStatus.APPLIED))
    state = _state(uows, "cust")
    assert state is not None and state.status is EventStatus.QUEUED
    _claim(uows, 1)
    _record(uows, EventResult(second, EventStatus.APPLIED))
    state = _state(uows, "cust")
    assert state is not None and state.status is EventStatus.APPLIED
    (third,) = _add(uows, "cust", kind="card.reissued")
    _claim(uows, 1)
    _record(uows, EventResult(third, EventStatus.REJECTED, "card.unknown", "?"))
    state = _state(uows, "cust")
    assert state is not None and state.status is EventStatus.REJECTED


def test_claim_needs_a_positive_limit(uows: UnitOfWorkFactory) -> None:
    with uows.writing() as uow, pytest.raises(ValueError, match="at least one"):
        uow.outbox.claim(0, now=T1)


def test_a_status_outside_the_five_is_refused_by_the_database(uows: UnitOfWorkFactory) -> None:
    _add(uows, "a")
    with uows.writing() as uow, pytest.raises(Exception, match="CHECK constraint failed"):
        uow.outbox._c.exec_driver_sql("UPDATE outbox SET status = 'sent'")
