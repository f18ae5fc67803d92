"""A unit of work whose database does not answer raises ``DatabaseUnavailableError``
(routes answer 503), keeping the driver's error as its cause; other errors pass as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.database_errors import is_database_unavailable
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.unit_of_work import DatabaseUnavailableError


def unreachable(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no-such-directory' / 'server.sqlite3'}"
    # Nothing listens on port 1: refused at once, as a PostgreSQL that is down.
    return "postgresql+psycopg://loyalty@127.0.0.1:1/loyalty"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_that_does_not_answer_is_unavailable(backend: str, tmp_path: Path) -> None:
    engine = create_database_engine(unreachable(backend, tmp_path))
    uow = SqlAlchemyUnitOfWork(session_factory(engine))
    try:
        with pytest.raises(DatabaseUnavailableError) as raised, uow:
            uow.tills.get("0f8e4c52-8a8e-4a51-9a53-2f7d1bb3c0de")
    finally:
        engine.dispose()

    assert raised.value.code == "database.unavailable"
    assert raised.value.retry_after_s == 5
    assert isinstance(raised.value.__cause__, OperationalError)


def test_a_refusal_inside_the_unit_of_work_is_not_translated(migrated_engine: Engine) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory(migrated_engine))

    with pytest.raises(LookupError), uow:
        raise LookupError("a service's own error")


def test_a_missing_table_is_a_bug_not_an_outage(migrated_engine: Engine) -> None:
    uow = SqlAlchemyUnitOfWork(session_factory(migrated_engine))

    with pytest.raises((OperationalError, ProgrammingError)) as raised, uow:
        uow.session.execute(text("SELECT * FROM no_such_table"))

    assert not is_database_unavailable(raised.value)
