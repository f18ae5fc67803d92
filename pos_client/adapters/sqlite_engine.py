"""SQLite engines for the till: WAL, synchronous=FULL, IMMEDIATE writes, a busy timeout.

Two engines share one database file: writes go through an engine whose
transactions begin IMMEDIATE (the write lock is taken up front, so two writers
never deadlock on a lock upgrade), reads through one whose transactions begin
deferred and never block behind a writer thanks to WAL.

Every write transaction passes ``write_gate`` (a lock nobody holds, almost always)
just before its ``BEGIN IMMEDIATE``. The WAL checkpointer holds it while a TRUNCATE
checkpoint runs: SQLite's busy handler only polls, so under back-to-back writes a
checkpoint waiting for the write lock would never get it; at the gate, the next
write waits for the checkpoint instead (``wal_checkpointer``).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event


def _configure(dbapi_conn: sqlite3.Connection, busy_timeout_ms: int, read_only: bool) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA wal_autocheckpoint=0")  # WalCheckpointer does it off the commit path
    cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-32000")  # 32 MB page cache per connection
    if read_only:
        cur.execute("PRAGMA query_only=ON")
    cur.close()


def _make_engine(
    path: Path,
    busy_timeout_ms: int,
    begin: str,
    read_only: bool,
    gate: threading.Lock | None = None,
) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        _configure(dbapi_conn, busy_timeout_ms, read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if gate is not None:
            with gate:  # free unless a TRUNCATE checkpoint runs: then wait for it
                pass
        # Straight on the driver: SQLAlchemy's execution path costs ~25 us per transaction.
        conn.connection.driver_connection.execute(begin)

    return engine


@dataclass(frozen=True)
class TillEngines:
    write: Engine
    read: Engine
    write_gate: threading.Lock = field(default_factory=threading.Lock)

    def dispose(self) -> None:
        self.write.dispose()
        self.read.dispose()


def create_till_engines(path: Path, busy_timeout_ms: int = 5000) -> TillEngines:
    path.parent.mkdir(parents=True, exist_ok=True)
    gate = threading.Lock()
    return TillEngines(
        write=_make_engine(path, busy_timeout_ms, "BEGIN IMMEDIATE", read_only=False, gate=gate),
        read=_make_engine(path, busy_timeout_ms, "BEGIN", read_only=True),
        write_gate=gate,
    )
