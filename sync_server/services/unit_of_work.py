"""The unit of work: the one transaction boundary of every use case.

    with uow:
        ...            # read and write through uow's repositories
        uow.commit()   # leaving without commit rolls everything back

A use case commits once, at the end; helpers never commit. That is what makes a
pushed batch of events atomic and, with the received-events table, idempotent.
A database that cannot be reached surfaces as ``DatabaseUnavailableError``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from loyalty_core.errors import DomainError
from sync_server.services.manager_ports import ManagerRepository
from sync_server.services.report_ports import ReportRepository
from sync_server.services.sync_ports import SyncRepository
from sync_server.services.tills import EnrollmentCodeRepository, StoreRepository, TillRepository

DATABASE_RETRY_AFTER_S = 5


class DatabaseUnavailableError(DomainError):
    """The database did not answer (down, unreachable, out of connections, locked).

    Raised by a unit of work in place of the driver's error, so routes answer 503 and
    callers know to try again later; nothing was committed.
    """

    code = "database.unavailable"
    template = (
        "The server cannot reach its database right now; nothing was changed. "
        "Try again in a few seconds."
    )
    retry_after_s = DATABASE_RETRY_AFTER_S


class UnitOfWork(Protocol):
    @property
    def stores(self) -> StoreRepository: ...

    @property
    def tills(self) -> TillRepository: ...

    @property
    def enrollment_codes(self) -> EnrollmentCodeRepository: ...

    @property
    def sync(self) -> SyncRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def managers(self) -> ManagerRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
