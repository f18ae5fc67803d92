"""The till's WAL stays bounded under continuous writes while readers hold snapshots.

Back-to-back commits (as sales, a bootstrap or a long pull make them) through the
till's own engines (WAL, ``synchronous=FULL``, automatic checkpoints off), and two
readers taking turns so that a read snapshot is almost always open. A PASSIVE
checkpoint alone then never gets the WAL restarted and the file grows with every
commit; with the limit, the checkpointer cuts it back once it passes it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.adapters.wal_checkpointer import WalCheckpointer

LIMIT = 2 * 1024 * 1024
ROW = b"x" * 64 * 1024  # sixteen 4 KB pages a commit
COMMITS = 400  # 25 MB written in all: over ten times the limit


def _readers(engines_read: object, stop: threading.Event) -> list[threading.Thread]:
    def read(offset_s: float) -> None:
        time.sleep(offset_s)
        while not stop.is_set():
            with engines_read.connect() as conn:  # type: ignore[attr-defined]
                conn.execute(text("SELECT count(*) FROM t")).scalar()
                time.sleep(0.004)  # the snapshot stays open a while
                conn.execute(text("SELECT max(id) FROM t")).scalar()

    return [threading.Thread(target=read, args=(offset,), daemon=True) for offset in (0, 0.002)]


def _run(path: Path, truncate_above: int | None) -> tuple[int, int, WalCheckpointer]:
    """Write COMMITS rows with readers running; the largest WAL seen, and at the end."""
    engines = create_till_engines(path)
    with engines.write.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)"))
    checkpointer = WalCheckpointer(
        path,
        interval_s=0.05,
        truncate_above_bytes=truncate_above,
        write_gate=engines.write_gate,
    )
    wal = path.with_name(path.name + "-wal")
    stop = threading.Event()
    readers = _readers(engines.read, stop)
    for reader in readers:
        reader.start()
    checkpointer.start()
    largest = 0
    try:
        for _ in range(COMMITS):
            with engines.write.begin() as conn:
                conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": ROW})
            largest = max(largest, wal.stat().st_size)
        at_end = wal.stat().st_size
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        checkpointer.stop()
        with engines.read.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar() == COMMITS
        engines.dispose()
    return largest, at_end, checkpointer


def test_the_wal_is_cut_back_once_it_passes_the_limit(tmp_path: Path) -> None:
    largest, _, checkpointer = _run(tmp_path / "till.sqlite3", truncate_above=LIMIT)
    assert checkpointer.truncations >= 3
    # What is written between two attempts comes on top of the limit, never the whole
    # history (25 MB here, which the control below keeps): readers holding snapshots back
    # to back on a loaded machine can outlast several attempts, each waiting longer (up to
    # 5.6x the limit seen with the CPU shared by a test suite and a mutation run).
    assert largest < 8 * LIMIT, f"WAL reached {largest} bytes"


def test_without_the_limit_a_passive_checkpoint_lets_the_wal_grow(tmp_path: Path) -> None:
    """The control: what happened before the limit (the WAL grew past 150 MB in a run)."""
    largest, at_end, checkpointer = _run(tmp_path / "till.sqlite3", truncate_above=None)
    assert checkpointer.truncations == 0
    assert largest > 10 * LIMIT and at_end == largest


def test_the_limit_is_a_till_setting(tmp_path: Path) -> None:
    from pos_client.bootstrap import bootstrap
    from pos_client.config import load_settings

    till = bootstrap(load_settings(data_dir=tmp_path, wal_limit_mb=8), logs=False)
    try:
        assert till.checkpointer._truncate_above == 8 * 1024 * 1024
    finally:
        till.close()


def test_a_nudge_past_the_limit_checkpoints_at_once_and_one_below_it_waits(
    tmp_path: Path,
) -> None:
    # A checkpointer that would look only once a minute: a bootstrap page written past the
    # limit is cut back at once when the writer nudges it; below the limit a nudge is nothing.
    path = tmp_path / "till.sqlite3"
    engines = create_till_engines(path)
    with engines.write.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)"))
    checkpointer = WalCheckpointer(
        path, interval_s=60, truncate_above_bytes=LIMIT, write_gate=engines.write_gate
    )
    checkpointer.start()
    try:
        time.sleep(0.2)  # the thread is waiting for its first tick
        with engines.write.begin() as conn:
            conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": ROW})
        checkpointer.nudge()  # 64 KB: under the 2 MB limit
        time.sleep(0.5)
        assert checkpointer.truncations == 0
        for _ in range(60):  # about 4 MB, one page of a bootstrap
            with engines.write.begin() as conn:
                conn.execute(text("INSERT INTO t (body) VALUES (:b)"), {"b": ROW})
        assert checkpointer.wal_bytes() > LIMIT
        checkpointer.nudge()
        deadline = time.monotonic() + 10
        while checkpointer.truncations == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert checkpointer.truncations == 1
        assert checkpointer.wal_bytes() == 0
    finally:
        checkpointer.stop()
        engines.dispose()
