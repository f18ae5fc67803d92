"""The unit of work over a SQLAlchemy session, with the repositories that share it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync_server.adapters.database import READ_ONLY
from sync_server.adapters.database_errors import is_database_unavailable
from sync_server.adapters.feed import FeedStamper
from sync_server.adapters.repositories.enrollment_codes import SqlEnrollmentCodeRepository
from sync_server.adapters.repositories.managers import SqlManagerRepository
from sync_server.adapters.repositories.reports import SqlReportRepository
from sync_server.adapters.repositories.stores import SqlStoreRepository
from sync_server.adapters.repositories.sync import SqlSyncRepository
from sync_server.adapters.repositories.tills import SqlTillRepository
from sync_server.services.unit_of_work import DatabaseUnavailableError


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions on ``engine``; ``read_only`` ones never take SQLite's write lock (see
    ``database.READ_ONLY``), so a use case that only reads does not queue behind writers."""
    bind = engine.execution_options(**READ_ONLY) if read_only else engine
    # Objects stay readable after commit: a use case returns what it wrote.
    return sessionmaker(bind, expire_on_commit=False)


class SqlAlchemyUnitOfWork:
    """One session, one transaction. Leaving the block without ``commit`` rolls back.
    Rows written to pulled tables get their feed positions as the last step before
    the commit (``FeedStamper``)."""

    stores: SqlStoreRepository
    tills: SqlTillRepository
    enrollment_codes: SqlEnrollmentCodeRepository
    sync: SqlSyncRepository
    reports: SqlReportRepository
    managers: SqlManagerRepository

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside a `with` block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session = self._sessions()
        self.stores = SqlStoreRepository(session)
        self.tills = SqlTillRepository(session)
        self.enrollment_codes = SqlEnrollmentCodeRepository(session)
        self._feed = FeedStamper(session)
        self.sync = SqlSyncRepository(session, self._feed)
        self.reports = SqlReportRepository(session)
        self.managers = SqlManagerRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back what was not committed; a database that stopped answering becomes
        ``DatabaseUnavailableError`` (the driver's error stays as its cause)."""
        try:
            try:
                self.session.rollback()  # a no-op after commit
            finally:
                self.session.close()
                self._session = None
        except SQLAlchemyError as cleanup_error:
            if exc is None:  # nothing else went wrong: the clean-up's failure is the news
                if is_database_unavailable(cleanup_error):
                    raise DatabaseUnavailableError() from cleanup_error
                raise
            # else: a dead connection cannot roll back; the error that killed it is reported
        if exc is not None and is_database_unavailable(exc):
            raise DatabaseUnavailableError() from exc

    def commit(self) -> None:
        self.sync.flush()  # the buffered inserts first: stamping updates their rows
        self.sync.flush_roll_ups()
        self._feed.stamp()
        self.session.commit()

    def rollback(self) -> None:
        self.sync.discard()
        self._feed.clear()
        self.session.rollback()
