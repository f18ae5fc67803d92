"""Helpers for enrollment tests on a migrated server database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from loyalty_core.ids import new_id
from sync_server.adapters.models import EnrollmentCode, Till
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.enrollment import (
    Enrollment,
    EnrollTill,
    IssuedCode,
    enroll_till,
    issue_enrollment_code,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = b"test-secret-key-that-is-32-bytes"


class Server:
    """The server's use cases over one database, at a clock the test sets."""

    def __init__(self, engine: Engine, key: bytes = KEY) -> None:
        self.engine = engine
        self.key = key
        self._sessions = session_factory(engine)

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._sessions)

    def issue(
        self, store: str = "Main street", *, now: datetime = NOW, ttl: timedelta | None = None
    ) -> IssuedCode:
        extra = {} if ttl is None else {"ttl": ttl}
        return issue_enrollment_code(store, self.uow(), key=self.key, now=now, **extra)

    def enroll(
        self,
        code: str,
        till_id: str | None = None,
        name: str = "Till 1",
        *,
        now: datetime = NOW,
    ) -> Enrollment:
        command = EnrollTill(code=code, till_id=till_id or new_id(), till_name=name)
        return enroll_till(command, self.uow(), key=self.key, now=now)

    def till_count(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(Till)) or 0

    def code_rows(self) -> list[EnrollmentCode]:
        with Session(self.engine) as session:
            return list(session.scalars(select(EnrollmentCode)))
