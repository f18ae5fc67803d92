from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import seed_demo_store


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Till]:
    """A real till on a SQLite file in tmp_path, seeded with a small demo store."""
    t = bootstrap(load_settings(data_dir=tmp_path), logs=False)
    seed_demo_store(t.services.uows, t.engines, t.services.ctx, customers=60)
    yield t
    t.close()


@pytest.fixture
def empty_till(tmp_path: Path) -> Iterator[Till]:
    t = bootstrap(load_settings(data_dir=tmp_path), logs=False)
    yield t
    t.close()
