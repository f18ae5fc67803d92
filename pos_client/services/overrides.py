"""The audit log of a manager's overrides: who allowed what, why and when.

Each override is an ``override.recorded`` event written in the transaction of what it
allowed (a return above the till's limit or past its window; later, a manual discount), so
the log cannot miss one and syncs like every fact. The outbox is never pruned: it is the
till's own copy of the log.
"""

from __future__ import annotations

from datetime import datetime

from loyalty_core.ids import new_id
from loyalty_core.wire.events import OverrideAction, OverrideRecordedV1, dump
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext


def record_override(
    uow: SqliteUnitOfWork,
    ctx: TillContext,
    *,
    manager_id: str,
    staff_id: str,
    action: OverrideAction,
    subject_id: str,
    amount: int,
    reason: str,
    at: datetime,
) -> str:
    """Inside the transaction of what it allowed; returns the override's id."""
    override_id = new_id()
    event = OverrideRecordedV1(
        override_id=override_id,
        till_id=ctx.till_id,
        manager_id=manager_id,
        staff_id=staff_id,
        action=action,
        subject_id=subject_id,
        amount=amount,
        reason=reason.strip(),
        at=at,
    )
    uow.outbox.add(
        OutboxEvent(
            event_id=new_id(),
            kind=OverrideRecordedV1.KIND,
            aggregate_id=override_id,
            payload=dump(event),
            created_at=at,
        )
    )
    return override_id
