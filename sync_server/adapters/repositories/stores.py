"""Stores over SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync_server.adapters.models import Store
from sync_server.services.tills import StoreRecord


class SqlStoreRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, store_id: str) -> StoreRecord | None:
        store = self._session.get(Store, store_id)
        return None if store is None else StoreRecord(id=store.id, name=store.name)

    def get_or_add(self, name: str, new_id: str, now: datetime) -> StoreRecord:
        # INSERT ... ON CONFLICT DO NOTHING: two operators naming one new store at
        # once get the same store, not a unique-constraint error.
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        self._session.execute(
            insert(Store)
            .values(id=new_id, name=name, created_at=now)
            .on_conflict_do_nothing(index_elements=[Store.name])
        )
        row = self._session.execute(select(Store.id, Store.name).where(Store.name == name)).one()
        return StoreRecord(id=row.id, name=row.name)

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name
