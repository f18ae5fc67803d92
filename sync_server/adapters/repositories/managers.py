"""Managers and their dashboard sessions over SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.orm import Session

from sync_server.adapters.models import Manager, ManagerSession, ManagerStore, Store
from sync_server.services.manager_ports import (
    ManagerRecord,
    ManagerRole,
    ManagerSessionRecord,
)


class SqlManagerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _record(self, row: Manager | None) -> ManagerRecord | None:
        if row is None:
            return None
        stores = self._session.scalars(
            select(ManagerStore.store_id)
            .where(ManagerStore.manager_id == row.id)
            .order_by(ManagerStore.store_id)
        )
        return ManagerRecord(
            id=row.id,
            login=row.login,
            name=row.name,
            role=ManagerRole(row.role),
            password_hash=row.password_hash,
            store_ids=tuple(stores),
            failed_attempts=row.failed_attempts,
            locked_until=row.locked_until,
            disabled_at=row.disabled_at,
        )

    def by_login(self, login: str) -> ManagerRecord | None:
        return self._record(
            self._session.scalars(select(Manager).where(Manager.login == login)).first()
        )

    def by_id(self, manager_id: str) -> ManagerRecord | None:
        return self._record(self._session.get(Manager, manager_id))

    def add(self, manager: ManagerRecord, now: datetime) -> None:
        self._session.execute(
            insert(Manager).values(
                id=manager.id,
                login=manager.login,
                name=manager.name,
                role=manager.role.value,
                password_hash=manager.password_hash,
                failed_attempts=0,
                created_at=now,
            )
        )
        if manager.store_ids:
            self._session.execute(
                insert(ManagerStore),
                [{"manager_id": manager.id, "store_id": s} for s in manager.store_ids],
            )

    def set_attempts(
        self, manager_id: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self._session.execute(
            update(Manager)
            .where(Manager.id == manager_id)
            .values(failed_attempts=failed_attempts, locked_until=locked_until)
        )

    def record_failure(self, manager_id: str, most: int, lock_until: datetime) -> bool:
        locks = Manager.failed_attempts + 1 >= most
        locked = self._session.execute(
            update(Manager)
            .where(Manager.id == manager_id)
            .values(
                failed_attempts=case((locks, 0), else_=Manager.failed_attempts + 1),
                locked_until=case((locks, lock_until), else_=Manager.locked_until),
            )
            .returning(Manager.failed_attempts)
        ).one()
        return bool(locked.failed_attempts == 0)  # the count starts again only when it locks

    def store_named(self, name: str) -> str | None:
        return self._session.scalar(select(Store.id).where(Store.name == name))

    def set_store_timezone(self, store_id: str, timezone: str) -> None:
        self._session.execute(update(Store).where(Store.id == store_id).values(timezone=timezone))

    def add_session(self, session: ManagerSessionRecord) -> None:
        self._session.execute(
            insert(ManagerSession).values(
                token_hash=session.token_hash,
                manager_id=session.manager_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )

    def session(self, token_hash: str) -> ManagerSessionRecord | None:
        row = self._session.get(ManagerSession, token_hash)
        if row is None:
            return None
        return ManagerSessionRecord(
            row.token_hash, row.manager_id, row.csrf_token, row.created_at, row.expires_at
        )

    def end_session(self, token_hash: str) -> None:
        self._session.execute(delete(ManagerSession).where(ManagerSession.token_hash == token_hash))
