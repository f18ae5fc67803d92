"""The unit of work: the one transaction boundary of every use case.

    with uow:
        ...            # read and write through uow's repositories
        uow.commit()   # leaving without commit rolls everything back

A use case commits once, at the end; helpers never commit. That is what makes a
pushed batch of events atomic and, with the received-events table, idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from sync_server.services.tills import EnrollmentCodeRepository, StoreRepository, TillRepository


class UnitOfWork(Protocol):
    @property
    def stores(self) -> StoreRepository: ...

    @property
    def tills(self) -> TillRepository: ...

    @property
    def enrollment_codes(self) -> EnrollmentCodeRepository: ...

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
