"""Key-value state of this till kept in its database (till id, store, cursors)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.engine import Connection

from pos_client.adapters.tables import SettingRow, table_of

_T = table_of(SettingRow)


class TillStateRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, key: str) -> str | None:
        return self._c.execute(select(_T.c.value).where(_T.c.key == key)).scalar_one_or_none()

    def set(self, key: str, value: str) -> None:
        stmt = insert(_T).values(key=key, value=value)
        self._c.execute(
            stmt.on_conflict_do_update(index_elements=[_T.c.key], set_={"value": value})
        )
