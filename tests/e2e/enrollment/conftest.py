"""A real server on loopback (SQLite or PostgreSQL behind it) and real tills on SQLite."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from sync_server.settings import ENV_PREFIX, ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.pg_support import BACKENDS, backend_database_url


@pytest.fixture(autouse=True)
def settings_only_from_the_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer's LOYALTY_SERVER_* / LOYALTY_TILL_* or till.toml leaks in."""
    for name in list(os.environ):
        if name.startswith((ENV_PREFIX, "LOYALTY_TILL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LOYALTY_TILL_CONFIG", str(tmp_path / "no-such-till.toml"))


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: ServerSettings


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    with backend_database_url(request.param, request.node.name, tmp_path) as database_url:
        settings = ServerSettings(database_url=database_url)
        with running_server(settings) as url:
            yield LiveServer(url, settings)


@pytest.fixture
def new_till(tmp_path: Path) -> Iterator[Callable[[str], Till]]:
    """Start tills in their own data folders; each is closed after the test."""
    tills: list[Till] = []

    def start(name: str) -> Till:
        till = bootstrap(load_settings(data_dir=tmp_path / name), logs=False)
        tills.append(till)
        return till

    yield start
    for till in tills:
        till.close()


@pytest.fixture
def till(new_till: Callable[[str], Till]) -> Till:
    return new_till("till")
