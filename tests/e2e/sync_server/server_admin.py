"""What an operator does beside a running server, done in-process on its database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.context import enrollment_code_key
from sync_server.services.clock import utc_now
from sync_server.services.enrollment import DEFAULT_CODE_TTL, issue_enrollment_code
from sync_server.services.till_auth import revoke_till
from sync_server.settings import ServerSettings


@contextmanager
def _unit_of_work(settings: ServerSettings) -> Iterator[SqlAlchemyUnitOfWork]:
    engine = create_database_engine(settings.database_url)
    try:
        yield SqlAlchemyUnitOfWork(session_factory(engine))
    finally:
        engine.dispose()


def issue_code(
    settings: ServerSettings, store: str = "Main street", ttl: timedelta = DEFAULT_CODE_TTL
) -> str:
    with _unit_of_work(settings) as uow:
        issued = issue_enrollment_code(
            store, uow, key=enrollment_code_key(settings), now=utc_now(), ttl=ttl
        )
    return issued.code


def revoke(settings: ServerSettings, till_id: str) -> None:
    with _unit_of_work(settings) as uow:
        revoke_till(till_id, uow, now=utc_now())
