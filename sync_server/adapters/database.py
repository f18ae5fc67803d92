"""Engines for the server database: PostgreSQL (psycopg 3) or a SQLite file.

Nothing connects at import time; the app's lifespan (or a CLI command) builds
one engine and disposes of it on the way out.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 5_000
# Execution option for connections that only read: on SQLite they begin a plain
# (deferred) transaction and never wait for the write lock.
READ_ONLY = {"read_only": True}
POSTGRES_CONNECT_TIMEOUT_S = 5


def create_database_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine tuned for ``url``'s backend (see ``_tune_sqlite`` for SQLite)."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(
            url,
            echo=echo,
            # Pool connections move between FastAPI's worker threads.
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
    )


def _tune_sqlite(engine: Engine) -> None:
    """WAL + synchronous=FULL for durable commits, enforced foreign keys, and
    write transactions that take the write lock up front (BEGIN IMMEDIATE), so two
    writers queue on the busy timeout instead of failing half-way with SQLITE_BUSY.
    Connections marked ``READ_ONLY`` begin deferred and never take the write lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get("read_only", False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
