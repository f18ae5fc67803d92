"""The transactional outbox: each business fact's event, committed with the fact itself.

Each event carries the one sync state the till keeps for it (``EventStatus``): a sale's
or a return's state is read from its event (``state_of``), never stored a second time.

The sync worker's cycle, each step its own short write transaction on the DB lane:
``claim`` the oldest queued events (in ``seq`` order, marked ``sending``), send them,
then ``record`` the server's answers, or ``release`` them back to the queue when the
send failed. At start-up ``recover`` puts back what a crash left ``sending``. One
batch is in flight at a time: ``claim`` takes nothing while any event is ``sending``,
so a retried batch is never overtaken by a later one and each customer's events
reach the server in the order they happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from pos_client.adapters.repositories.driver_sql import driver, json_text, stamp
from pos_client.adapters.tables import OutboxRow, table_of
from pos_client.records import EventResult, EventStatus, SyncState

_T = table_of(OutboxRow)
_UNANSWERED = (EventStatus.QUEUED.value, EventStatus.SENDING.value)


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    event_id: str
    kind: str
    aggregate_id: str
    payload: dict[str, Any]
    created_at: datetime
    sync: SyncState | None = None  # as stored; ignored by ``add`` (a new event is queued)


def _state(row: Any) -> SyncState:
    return SyncState(
        status=EventStatus(row.status),
        attempts=row.attempts,
        error_code=row.error_code,
        error_message=row.error_message,
        sent_at=row.sent_at,
        confirmed_at=row.confirmed_at,
    )


def _event(row: Any) -> OutboxEvent:
    return OutboxEvent(
        row.event_id,
        row.kind,
        row.aggregate_id,
        json.loads(row.payload),
        row.created_at,
        _state(row),
    )


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, event: OutboxEvent) -> None:
        driver(self._c).execute(
            "INSERT INTO outbox (event_id, kind, aggregate_id, payload, created_at, status,"
            " attempts) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (
                event.event_id,
                event.kind,
                event.aggregate_id,
                json_text(event.payload),
                stamp(event.created_at),
                EventStatus.QUEUED.value,
            ),
        )

    def for_aggregate(self, aggregate_id: str) -> list[OutboxEvent]:
        rows = self._c.execute(
            select(_T).where(_T.c.aggregate_id == aggregate_id).order_by(_T.c.seq)
        ).all()
        return [_event(r) for r in rows]

    def of_kind(self, kind: str, limit: int = 100) -> list[OutboxEvent]:
        """The newest events of one kind, newest first (e.g. the overrides' audit log)."""
        rows = self._c.execute(
            select(_T).where(_T.c.kind == kind).order_by(_T.c.seq.desc()).limit(limit)
        ).all()
        return [_event(r) for r in rows]

    # -- the sync worker's cycle -------------------------------------------------------
    def claim(self, limit: int, *, now: datetime) -> list[OutboxEvent]:
        """The oldest ``limit`` queued events in ``seq`` order, now ``sending`` (attempts + 1).

        Nothing while an earlier batch is still ``sending``: it must be recorded or
        released first, or later events could reach the server before it.
        """
        if limit <= 0:
            raise ValueError("claim at least one event")
        in_flight = self._c.execute(
            select(_T.c.seq).where(_T.c.status == EventStatus.SENDING.value).limit(1)
        ).first()
        if in_flight is not None:
            return []
        seqs = (
            self._c.execute(
                select(_T.c.seq)
                .where(_T.c.status == EventStatus.QUEUED.value)
                .order_by(_T.c.seq)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        if not seqs:
            return []
        self._c.execute(
            update(_T)
            .where((_T.c.status == EventStatus.QUEUED.value) & (_T.c.seq <= seqs[-1]))
            .values(status=EventStatus.SENDING.value, attempts=_T.c.attempts + 1, sent_at=now)
        )
        rows = self._c.execute(
            select(_T).where(_T.c.seq.between(seqs[0], seqs[-1])).order_by(_T.c.seq)
        ).all()
        return [_event(r) for r in rows if r.status == EventStatus.SENDING.value]

    def record(self, results: Iterable[EventResult], *, now: datetime) -> int:
        """Keep the server's answers; returns how many events they changed.

        An answer for an event the till does not hold, or one already answered, changes
        nothing: the first final answer stands.
        """
        changed = 0
        for result in results:
            rejected = result.status is EventStatus.REJECTED
            changed += self._c.execute(
                update(_T)
                .where((_T.c.event_id == result.event_id) & _T.c.status.in_(_UNANSWERED))
                .values(
                    status=result.status.value,
                    error_code=result.code if rejected else None,
                    error_message=result.message if rejected else None,
                    confirmed_at=now,
                )
            ).rowcount
        return changed

    def release(self, event_ids: Sequence[str], *, reason: str | None = None) -> int:
        """Put events whose send failed back in the queue (attempts are kept), noting why."""
        if not event_ids:
            return 0
        return self._c.execute(
            update(_T)
            .where(_T.c.event_id.in_(event_ids) & (_T.c.status == EventStatus.SENDING.value))
            .values(status=EventStatus.QUEUED.value, error_message=reason)
        ).rowcount

    def recover(self) -> int:
        """At start-up: events left ``sending`` by a crash mid-send go back in the queue
        (the server answers ``duplicate`` for any it had already applied)."""
        return self._c.execute(
            update(_T)
            .where(_T.c.status == EventStatus.SENDING.value)
            .values(status=EventStatus.QUEUED.value)
        ).rowcount

    # -- what the till shows ---------------------------------------------------------------
    def state_of(self, aggregate_id: str) -> SyncState | None:
        """The sync state of a sale, a return or a customer, read from its events.

        A sale or a return has one event. With several (a customer registered, then a
        card reissued) a rejected one is what matters; else the first not yet answered;
        else the last one. None: no event for that id.
        """
        rows = self._c.execute(
            select(_T).where(_T.c.aggregate_id == aggregate_id).order_by(_T.c.seq)
        ).all()
        if not rows:
            return None
        for wanted in ((EventStatus.REJECTED.value,), _UNANSWERED):
            row = next((r for r in rows if r.status in wanted), None)
            if row is not None:
                return _state(row)
        return _state(rows[-1])

    def rejected(self, limit: int = 100) -> list[OutboxEvent]:
        """Events the server refused, oldest first, each with its code and message."""
        rows = self._c.execute(
            select(_T)
            .where(_T.c.status == EventStatus.REJECTED.value)
            .order_by(_T.c.seq)
            .limit(limit)
        ).all()
        return [_event(r) for r in rows]

    def queued(self) -> int:
        """How many events wait in the queue: an index range, however long the history."""
        return self._count(EventStatus.QUEUED.value)

    def pending(self) -> int:
        """How many events the server has not answered yet (queued or sending)."""
        return self._count(*_UNANSWERED)

    def _count(self, *statuses: str) -> int:
        return int(
            self._c.execute(select(func.count()).where(_T.c.status.in_(statuses))).scalar_one()
        )

    def count_by_status(self) -> dict[str, int]:
        rows = self._c.execute(select(_T.c.status, func.count()).group_by(_T.c.status)).all()
        return dict(rows)
