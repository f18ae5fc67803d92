"""Managers of the web dashboard and their sessions, as a port."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class ManagerRole(StrEnum):
    STORE_MANAGER = "store_manager"  # sees the stores they are given
    OWNER = "owner"  # sees every store


@dataclass(frozen=True, slots=True)
class ManagerRecord:
    id: str
    login: str
    name: str
    role: ManagerRole
    password_hash: str
    store_ids: tuple[str, ...] = ()  # a store manager's stores; ignored for an owner
    failed_attempts: int = 0
    locked_until: datetime | None = None
    disabled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ManagerSessionRecord:
    token_hash: str
    manager_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


class ManagerRepository(Protocol):
    def by_login(self, login: str) -> ManagerRecord | None: ...

    def by_id(self, manager_id: str) -> ManagerRecord | None: ...

    def add(self, manager: ManagerRecord, now: datetime) -> None: ...

    def set_attempts(
        self, manager_id: str, failed_attempts: int, locked_until: datetime | None
    ) -> None: ...

    def record_failure(self, manager_id: str, most: int, lock_until: datetime) -> bool:
        """One more wrong password, counted in the database itself (two at once both
        count); the ``most``-th in a row locks the login until ``lock_until`` and starts
        the count again. True when this one locked it."""
        ...

    def store_named(self, name: str) -> str | None: ...

    def set_store_timezone(self, store_id: str, timezone: str) -> None: ...

    def add_session(self, session: ManagerSessionRecord) -> None: ...

    def session(self, token_hash: str) -> ManagerSessionRecord | None: ...

    def end_session(self, token_hash: str) -> None: ...
