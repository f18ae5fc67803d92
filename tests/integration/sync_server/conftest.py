"""Each test gets an empty server database on SQLite and, marked ``postgres``, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from tests.pg_support import BACKENDS, backend_database_url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_database_url(request.param, request.node.name, tmp_path) as url:
        yield url


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(empty_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def migrated_engine(engine: Engine) -> Engine:
    upgrade_to_head(engine)
    return engine
