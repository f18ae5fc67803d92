"""The till's SQLite connections are set up for durable sales."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.adapters.wal_checkpointer import WalCheckpointer


def test_wal_full_sync_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3", busy_timeout_ms=4321)
    with engines.write.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engines.dispose()


def test_write_transactions_take_the_lock_up_front(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits at BEGIN, not at its first write."""
    engines = create_till_engines(tmp_path / "till.sqlite3", busy_timeout_ms=100)
    with engines.write.connect() as first:
        first.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        first.commit()
        first.exec_driver_sql("SELECT 1")  # opens the IMMEDIATE transaction
        second = engines.write.connect()
        try:
            try:
                second.exec_driver_sql("SELECT 1")
            except Exception as exc:  # sqlite3.OperationalError wrapped by SQLAlchemy
                assert "locked" in str(exc)
            else:
                raise AssertionError("a second write transaction began while one was open")
        finally:
            second.close()
    engines.dispose()


def test_readers_are_not_blocked_by_an_open_write(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3", busy_timeout_ms=100)
    with engines.write.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with engines.write.connect() as writer:
        writer.exec_driver_sql("INSERT INTO t VALUES (2)")  # uncommitted
        with engines.read.connect() as reader:
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
    engines.dispose()


def test_commits_never_checkpoint_the_background_thread_does(tmp_path: Path) -> None:
    """A sale's commit only appends to the WAL; the checkpointer moves pages into the file."""
    path = tmp_path / "till.sqlite3"
    engines = create_till_engines(path)
    with engines.write.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x TEXT)")
    with engines.write.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    checkpointer = WalCheckpointer(path, interval_s=3600)  # only its final checkpoint runs
    checkpointer.start()
    size_before = path.stat().st_size
    for _ in range(300):  # far past SQLite's default 1000-page automatic threshold
        with engines.write.begin() as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (?)", ("x" * 8000,))
    assert path.stat().st_size == size_before  # nothing moved during the commits
    checkpointer.stop()
    assert path.stat().st_size > size_before + 300 * 8000
    with engines.read.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 300
    engines.dispose()
