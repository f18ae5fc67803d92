"""The transactional outbox: each business fact's event, committed with the fact itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from pos_client.adapters.tables import OutboxRow, table_of

_T = table_of(OutboxRow)


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    CONFIRMED = "confirmed"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    event_id: str
    kind: str
    aggregate_id: str
    payload: dict[str, Any]
    created_at: datetime


class OutboxRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, event: OutboxEvent) -> None:
        self._c.execute(
            insert(_T).values(
                event_id=event.event_id,
                kind=event.kind,
                aggregate_id=event.aggregate_id,
                payload=json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")),
                created_at=event.created_at,
                status=OutboxStatus.QUEUED.value,
                attempts=0,
            )
        )

    def for_aggregate(self, aggregate_id: str) -> list[OutboxEvent]:
        rows = self._c.execute(
            select(_T).where(_T.c.aggregate_id == aggregate_id).order_by(_T.c.seq)
        ).all()
        return [
            OutboxEvent(r.event_id, r.kind, r.aggregate_id, json.loads(r.payload), r.created_at)
            for r in rows
        ]

    def count_by_status(self) -> dict[str, int]:
        rows = self._c.execute(select(_T.c.status, func.count()).group_by(_T.c.status)).all()
        return dict(rows)
