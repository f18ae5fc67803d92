"""Tills over SQL. A till is read together with its store's name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.adapters.models import Store, Till
from sync_server.services.tills import StoreRecord, TillRecord, TillWriteConflictError

_TILL_WITH_STORE = select(
    Till.id,
    Till.name,
    Till.enrolled_at,
    Till.revoked_at,
    Store.id.label("store_id"),
    Store.name.label("store_name"),
).join(Store, Till.store_id == Store.id)


class SqlTillRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, till_id: str) -> TillRecord | None:
        return self._one(Till.id == till_id)

    def by_credential_hash(self, credential_hash: str) -> TillRecord | None:
        return self._one(Till.credential_hash == credential_hash)

    def name_is_taken(self, store_id: str, name: str, *, by_other_than: str) -> bool:
        query = select(Till.id).where(
            Till.store_id == store_id, Till.name == name, Till.id != by_other_than
        )
        return self._session.execute(query.limit(1)).first() is not None

    def add(
        self, till_id: str, store_id: str, name: str, credential_hash: str, now: datetime
    ) -> None:
        self._write(
            insert(Till).values(
                id=till_id,
                store_id=store_id,
                name=name,
                credential_hash=credential_hash,
                created_at=now,
                enrolled_at=now,
            )
        )

    def replace_credential(
        self, till_id: str, name: str, credential_hash: str, now: datetime
    ) -> None:
        self._write(
            update(Till)
            .where(Till.id == till_id)
            .values(name=name, credential_hash=credential_hash, enrolled_at=now, revoked_at=None)
        )

    def revoke(self, till_id: str, now: datetime) -> None:
        self._session.execute(
            update(Till)
            .where(Till.id == till_id, Till.revoked_at.is_(None))
            .values(revoked_at=now),
            execution_options={"synchronize_session": False},
        )

    def _write(self, statement: Any) -> None:
        """Run a write whose unique constraints another transaction may have beaten."""
        try:
            self._session.execute(statement, execution_options={"synchronize_session": False})
        except IntegrityError as error:
            raise TillWriteConflictError() from error

    def _one(self, condition: ColumnElement[bool]) -> TillRecord | None:
        row = self._session.execute(_TILL_WITH_STORE.where(condition)).one_or_none()
        if row is None:
            return None
        return TillRecord(
            id=row.id,
            name=row.name,
            store=StoreRecord(id=row.store_id, name=row.store_name),
            enrolled_at=row.enrolled_at,
            revoked_at=row.revoked_at,
        )
