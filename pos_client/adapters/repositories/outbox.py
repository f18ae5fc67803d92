"""The transactional outbox: each business fact's event, committed with the fact itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from pos_client.adapters.repositories.driver_sql import driver, json_text, stamp
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
        driver(self._c).execute(
            "INSERT INTO outbox (event_id, kind, aggregate_id, payload, created_at, status,"
            " attempts) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (
                event.event_id,
                event.kind,
                event.aggregate_id,
                json_text(event.payload),
                stamp(event.created_at),
                OutboxStatus.QUEUED.value,
            ),
        )

    def for_aggregate(self, aggregate_id: str) -> list[OutboxEvent]:
        rows = self._c.execute(
            select(_T).where(_T.c.aggregate_id == aggregate_id).order_by(_T.c.seq)
        ).all()
        return [
            OutboxEvent(r.event_id, r.kind, r.aggregate_id, json.loads(r.payload), r.created_at)
            for r in rows
        ]

    def queued(self) -> int:
        """How many events wait for the server: an index range, however long the history."""
        return int(
            self._c.execute(
                select(func.count()).where(_T.c.status == OutboxStatus.QUEUED.value)
            ).scalar_one()
        )

    def count_by_status(self) -> dict[str, int]:
        rows = self._c.execute(select(_T.c.status, func.count()).group_by(_T.c.status)).all()
        return dict(rows)
