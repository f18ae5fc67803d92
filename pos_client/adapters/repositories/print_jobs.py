"""The print queue: each receipt's job, committed with its sale or return.

A job waits (``printed_at`` empty) until the printer took it whole; a failed attempt
only counts and notes why. Jobs are printed oldest first, one at a time, by the print
worker. Nothing is ever deleted: a job that waited long is shown, never dropped. A job
that can never print (a replaced card, a receipt that cannot be laid out) is set aside
with why, so it does not hold up the ones behind it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from pos_client.adapters.repositories.driver_sql import driver, stamp
from pos_client.adapters.tables import PrintJobRow, table_of
from pos_client.records import PrintJob, PrintKind

_T = table_of(PrintJobRow)
_WAITING = _T.c.printed_at.is_(None) & _T.c.set_aside_at.is_(None)


def _job(row: Any) -> PrintJob:
    return PrintJob(
        id=row.id,
        kind=PrintKind(row.kind),
        created_at=row.created_at,
        sale_id=row.sale_id,
        card_number=row.card_number,
        shift_id=row.shift_id,
        open_drawer=row.open_drawer,
        printed_at=row.printed_at,
        attempts=row.attempts,
        last_error=row.last_error,
    )


class PrintJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        kind: PrintKind,
        *,
        created_at: datetime,
        sale_id: str | None = None,
        card_number: str | None = None,
        shift_id: str | None = None,
        open_drawer: bool = False,
    ) -> int:
        """Queue a job; returns its id (the queue's order)."""
        needs = {PrintKind.CARD: card_number, PrintKind.REPORT: shift_id}.get(kind, sale_id)
        if needs is None or sum(x is not None for x in (sale_id, card_number, shift_id)) != 1:
            raise ValueError(f"a {kind} job names exactly one sale, card or shift")
        cursor = driver(self._c).execute(
            "INSERT INTO print_jobs (kind, sale_id, card_number, shift_id, open_drawer,"
            " created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (kind.value, sale_id, card_number, shift_id, int(open_drawer), stamp(created_at)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def get(self, job_id: int) -> PrintJob | None:
        row = self._c.execute(select(_T).where(_T.c.id == job_id)).first()
        return _job(row) if row is not None else None

    def next_waiting(self) -> PrintJob | None:
        """The oldest job not printed yet."""
        row = self._c.execute(select(_T).where(_WAITING).order_by(_T.c.id).limit(1)).first()
        return _job(row) if row is not None else None

    def waiting(self, limit: int = 100) -> list[PrintJob]:
        rows = self._c.execute(select(_T).where(_WAITING).order_by(_T.c.id).limit(limit)).all()
        return [_job(r) for r in rows]

    def waiting_count(self) -> int:
        return int(self._c.execute(select(func.count()).where(_WAITING)).scalar_one())

    def printed(self, job_id: int, *, at: datetime, note: str | None = None) -> bool:
        """Mark a job printed (``note``: sent but not confirmed, and why); False if it was
        already (the first print stands)."""
        return bool(
            self._c.execute(
                update(_T)
                .where((_T.c.id == job_id) & _T.c.printed_at.is_(None))
                .values(printed_at=at, attempts=_T.c.attempts + 1, last_error=note)
            ).rowcount
        )

    def failed(self, job_id: int, reason: str) -> None:
        """An attempt failed: the job stays queued, with why."""
        self._c.execute(
            update(_T)
            .where((_T.c.id == job_id) & _T.c.printed_at.is_(None))
            .values(attempts=_T.c.attempts + 1, last_error=reason)
        )

    def set_aside(self, job_id: int, reason: str, *, at: datetime) -> bool:
        """Take a waiting job out of the queue for good, with why; False if it was not waiting."""
        return bool(
            self._c.execute(
                update(_T)
                .where((_T.c.id == job_id) & _WAITING)
                .values(set_aside_at=at, last_error=reason)
            ).rowcount
        )

    def set_aside_cards(self, numbers: list[str], reason: str, *, at: datetime) -> int:
        """Set aside the waiting prints of these cards (they were replaced); how many."""
        if not numbers:
            return 0
        return int(
            self._c.execute(
                update(_T)
                .where((_T.c.kind == PrintKind.CARD.value) & _T.c.card_number.in_(numbers))
                .where(_WAITING)
                .values(set_aside_at=at, last_error=reason)
            ).rowcount
        )
