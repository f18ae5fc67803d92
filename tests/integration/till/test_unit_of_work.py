"""The unit of work is the transaction boundary: commit keeps, leaving rolls back, reads never lock.

Real SQLite file, real second connection: a plain ``sqlite3`` connection holding
``BEGIN IMMEDIATE`` is what another writer (the checkout, the sync worker) looks like.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from pos_client.adapters import migrate
from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.adapters.unit_of_work import UnitOfWorkFactory

BUSY_MS = 200  # how long a blocked BEGIN waits before "database is locked"
# The begin hook runs BEGIN on the driver (sqlite3's error); statements go through SQLAlchemy.
SQLITE_ERRORS = (sqlite3.OperationalError, OperationalError)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "till.sqlite3"
    engines = create_till_engines(path)
    migrate.upgrade(engines.write)
    engines.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def db(migrated: Path, tmp_path: Path) -> Path:
    """A fresh copy of a migrated, empty till database."""
    return Path(shutil.copy(migrated, tmp_path / "till.sqlite3"))


@pytest.fixture
def uows(db: Path) -> Iterator[UnitOfWorkFactory]:
    engines = create_till_engines(db, busy_timeout_ms=BUSY_MS)
    yield UnitOfWorkFactory(engines)
    engines.dispose()


@pytest.fixture
def other_writer(db: Path) -> Iterator[sqlite3.Connection]:
    """Another connection that holds the write lock (and an uncommitted write) until the end."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=BUSY_MS / 1000)
    conn.execute("INSERT INTO settings (key, value) VALUES ('before', 'committed')")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO settings (key, value) VALUES ('during', 'uncommitted')")
    yield conn
    conn.rollback()
    conn.close()


def _setting(db: Path, key: str) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


def test_a_reading_unit_of_work_works_while_another_connection_holds_the_write_lock(
    uows: UnitOfWorkFactory, other_writer: sqlite3.Connection
) -> None:
    with uows.reading() as uow:
        assert uow.state.get("before") == "committed"
        assert uow.state.get("during") is None  # the other's write is not committed yet


def test_a_writing_unit_of_work_waits_for_the_write_lock_and_gives_up_as_locked(
    uows: UnitOfWorkFactory, other_writer: sqlite3.Connection
) -> None:
    """The contrast to the test above: a writer takes the lock up front, at BEGIN."""
    with pytest.raises(SQLITE_ERRORS, match="locked"), uows.writing():
        pass


def test_a_reading_unit_of_work_cannot_write(uows: UnitOfWorkFactory, db: Path) -> None:
    with pytest.raises(SQLITE_ERRORS, match="readonly"), uows.reading() as uow:
        uow.state.set("probe", "written")
    assert _setting(db, "probe") is None


def test_what_a_writing_unit_of_work_commits_is_kept(uows: UnitOfWorkFactory, db: Path) -> None:
    with uows.writing() as uow:
        uow.state.set("probe", "written")
        uow.commit()
    assert _setting(db, "probe") == "written"


def test_leaving_the_block_without_commit_keeps_nothing(uows: UnitOfWorkFactory, db: Path) -> None:
    with uows.writing() as uow:
        uow.state.set("probe", "written")
    assert _setting(db, "probe") is None


def test_leaving_the_block_by_an_error_keeps_nothing(uows: UnitOfWorkFactory, db: Path) -> None:
    with pytest.raises(ValueError, match="boom"), uows.writing() as uow:
        uow.state.set("probe", "written")
        raise ValueError("boom")
    assert _setting(db, "probe") is None


def test_rollback_drops_what_was_written_so_far_and_the_unit_stays_usable(
    uows: UnitOfWorkFactory, db: Path
) -> None:
    with uows.writing() as uow:
        uow.state.set("dropped", "x")
        uow.rollback()
        assert uow.state.get("dropped") is None
        uow.state.set("kept", "y")
        uow.commit()
    assert (_setting(db, "dropped"), _setting(db, "kept")) == (None, "y")


def test_entering_an_open_unit_of_work_again_is_refused_and_the_open_one_carries_on(
    uows: UnitOfWorkFactory, db: Path
) -> None:
    uow = uows.writing()
    with uow:
        uow.state.set("probe", "written")
        with pytest.raises(RuntimeError) as refused, uow:
            pass  # never reached
        assert str(refused.value) == "a unit of work is not re-entrant"
        uow.commit()
    assert _setting(db, "probe") == "written"


def test_a_closed_unit_of_work_can_be_entered_again(uows: UnitOfWorkFactory, db: Path) -> None:
    uow = uows.writing()
    with uow:
        uow.state.set("first", "1")
        uow.commit()
    with uow:
        assert uow.state.get("first") == "1"
        uow.state.set("second", "2")
        uow.commit()
    assert (_setting(db, "first"), _setting(db, "second")) == ("1", "2")


def test_a_closed_writing_unit_of_work_releases_the_write_lock(
    uows: UnitOfWorkFactory, db: Path
) -> None:
    with uows.writing() as uow:
        uow.state.set("probe", "written")
        uow.commit()
    other = sqlite3.connect(db, isolation_level=None, timeout=BUSY_MS / 1000)
    try:
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" if still held
        other.rollback()
    finally:
        other.close()


def test_commit_outside_the_block_is_a_programming_error(uows: UnitOfWorkFactory) -> None:
    with pytest.raises(AssertionError, match=r"^commit\(\) outside 'with uow:'$"):
        uows.writing().commit()
