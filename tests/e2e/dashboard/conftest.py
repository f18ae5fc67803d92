"""A real server on loopback over the small chain of ``report_support``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.integration.sync_server.report_support import Chain, seed_chain
from tests.pg_support import BACKENDS, backend_database_url


@dataclass(frozen=True)
class Served:
    url: str
    chain: Chain
    settings: ServerSettings


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    with backend_database_url(request.param, request.node.name, tmp_path) as database_url:
        engine = create_database_engine(database_url)
        try:
            upgrade_to_head(engine)
            chain = seed_chain(engine)
            settings = ServerSettings(database_url=database_url)
            with running_server(settings) as url:
                yield Served(url, chain, settings)
        finally:
            engine.dispose()
