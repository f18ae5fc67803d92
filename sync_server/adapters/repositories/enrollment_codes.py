"""Enrollment codes over SQL; ``claim`` is the single statement that makes a code one-time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from sync_server.adapters.models import EnrollmentCode
from sync_server.services.tills import CodeRecord

_NO_ORM_SYNC = {"synchronize_session": False}


class SqlEnrollmentCodeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, code_id: str, store_id: str, code_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._session.execute(
            insert(EnrollmentCode).values(
                id=code_id,
                store_id=store_id,
                code_hash=code_hash,
                created_at=now,
                expires_at=expires_at,
            )
        )

    def claim(self, code_hash: str, now: datetime) -> str | None:
        # PostgreSQL (READ COMMITTED): a second UPDATE of the row waits for the first
        # transaction, then re-checks ``used_at IS NULL`` and matches nothing if it
        # committed. SQLite: writers are serialized by BEGIN IMMEDIATE.
        claimed = self._session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_hash == code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > now,
            )
            .values(used_at=now)
            .returning(EnrollmentCode.store_id),
            execution_options=_NO_ORM_SYNC,
        )
        return claimed.scalar_one_or_none()

    def get(self, code_hash: str) -> CodeRecord | None:
        row = self._session.execute(
            select(
                EnrollmentCode.store_id, EnrollmentCode.expires_at, EnrollmentCode.used_at
            ).where(EnrollmentCode.code_hash == code_hash)
        ).one_or_none()
        if row is None:
            return None
        return CodeRecord(store_id=row.store_id, expires_at=row.expires_at, used_at=row.used_at)

    def record_use(self, code_hash: str, till_id: str) -> None:
        self._session.execute(
            update(EnrollmentCode)
            .where(EnrollmentCode.code_hash == code_hash)
            .values(used_by_till_id=till_id),
            execution_options=_NO_ORM_SYNC,
        )
