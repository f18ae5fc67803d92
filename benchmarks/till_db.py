"""A till database at benchmark scale, built once and cached under ``.bench/``."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from pos_client.adapters import migrate
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import seed_demo_store

DEFAULT_SCALE = 1_000_000
CACHE = Path(__file__).resolve().parent.parent / ".bench"


def cached_database(scale: int) -> tuple[Path, float | None]:
    """The path of a seeded till database with ``scale`` customers, and its build time
    in seconds if it had to be built now."""
    folder = CACHE / f"till-{scale}-{migrate.head_revision()}"
    db = folder / "till.sqlite3"
    if db.exists():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    building = folder.with_name(folder.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    start = time.perf_counter()
    till = bootstrap(load_settings(data_dir=building), logs=False)
    try:
        seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=scale)
    finally:
        till.close()
    raw = sqlite3.connect(building / "till.sqlite3")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one self-contained file to copy
    raw.execute("ANALYZE")
    raw.close()
    building.rename(folder)
    return folder, time.perf_counter() - start


def open_copy(scale: int, workdir: Path) -> tuple[Till, float | None]:
    """A private copy of the cached database (benchmarks that write must not share it)."""
    folder, built = cached_database(scale)
    target = workdir / "till"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copyfile(folder / "till.sqlite3", target / "till.sqlite3")
    return bootstrap(load_settings(data_dir=target), logs=False), built


def open_cached(scale: int) -> tuple[Till, float | None]:
    folder, built = cached_database(scale)
    return bootstrap(load_settings(data_dir=folder), logs=False), built
