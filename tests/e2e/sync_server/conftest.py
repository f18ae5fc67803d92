"""Server databases for end-to-end tests: a SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.settings import ENV_PREFIX
from tests.pg_support import temporary_database


@pytest.fixture(autouse=True)
def no_server_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests state their settings; a developer's LOYALTY_SERVER_* must not leak in."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    with temporary_database(request.node.name) as url:
        yield url


@pytest.fixture
def pg_database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with temporary_database(request.node.name) as url:
        yield url
