"""Server databases for end-to-end tests: a SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.settings import ENV_PREFIX
from tests.pg_support import BACKENDS, backend_database_url


@pytest.fixture(autouse=True)
def no_server_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests state their settings; a developer's LOYALTY_SERVER_* must not leak in."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_database_url(request.param, request.node.name, tmp_path) as url:
        yield url
