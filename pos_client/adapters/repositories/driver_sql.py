"""Hot-path reads straight on the sqlite3 connection under the unit of work's transaction.

SQLAlchemy builds, caches and post-processes each statement for ~40-150 us; the
customer lookups a cashier waits on take ~5 us as plain SQL. These helpers read
columns as SQLAlchemy stored them (naive UTC ``YYYY-MM-DD HH:MM:SS[.ffffff]``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection


def driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection inside ``conn``; its transaction has already begun."""
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def stamp(moment: datetime | None) -> str | None:
    """An aware datetime in the form SQLAlchemy's SQLite DateTime stores (naive UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def json_text(document: Any) -> str:
    """A JSON document as stored in TEXT columns: compact, Cyrillic kept as it is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


def utc_required(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
