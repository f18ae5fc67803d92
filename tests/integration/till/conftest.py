from __future__ import annotations

import shutil
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


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The till database of the ``till`` fixture, seeded once: seeding hashes the staff PINs
    (argon2) and loads the customers, which costs seconds a test."""
    folder = tmp_path_factory.mktemp("seeded-store")
    t = bootstrap(load_settings(data_dir=folder), logs=False)
    seed_demo_store(t.services.uows, t.engines, t.services.ctx, customers=60)
    t.close()  # the last connection to close checkpoints the WAL into the file
    database = t.settings.resolved_database_path
    assert not database.with_name(database.name + "-wal").exists()
    return database


@pytest.fixture
def seeded_till(seeded_store: Path, tmp_path: Path) -> Iterator[Till]:
    """The same store as ``till`` (one per test), copied from the one seeded for the session."""
    settings = load_settings(data_dir=tmp_path)
    shutil.copyfile(seeded_store, settings.resolved_database_path)
    t = bootstrap(settings, logs=False)
    yield t
    t.close()
