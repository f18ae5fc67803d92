"""Ports for stores, tills and enrollment codes: what use cases read and write.

``sync_server.adapters.repositories`` implements them over SQL; a unit of work
hands them out (``uow.stores``, ``uow.tills``, ``uow.enrollment_codes``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from loyalty_core.errors import DomainError


@dataclass(frozen=True, slots=True)
class StoreRecord:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class TillRecord:
    id: str
    name: str
    store: StoreRecord
    enrolled_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class CodeRecord:
    """An enrollment code as stored (the code itself is never stored)."""

    store_id: str
    expires_at: datetime
    used_at: datetime | None


def canonical_id(text: str) -> str | None:
    """A UUID in its one stored spelling (lower case, hyphenated); None if not a UUID."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return None


class TillWriteConflictError(DomainError):
    """Another transaction wrote the same till (or a till of the same name) first."""

    code = "enrollment.conflict"
    template = (
        "Another enrollment of this till, or of a till with the same name, happened at "
        "the same moment. Nothing was changed; try again."
    )


class StoreRepository(Protocol):
    def get(self, store_id: str) -> StoreRecord | None: ...

    def get_or_add(self, name: str, new_id: str, now: datetime) -> StoreRecord:
        """The store with this exact name, made (with ``new_id``) if there is none."""
        ...


class TillRepository(Protocol):
    def get(self, till_id: str) -> TillRecord | None: ...

    def by_credential_hash(self, credential_hash: str) -> TillRecord | None: ...

    def name_is_taken(self, store_id: str, name: str, *, by_other_than: str) -> bool: ...

    def add(
        self, till_id: str, store_id: str, name: str, credential_hash: str, now: datetime
    ) -> None:
        """A newly enrolled till; raises ``TillWriteConflictError`` if one got there first."""
        ...

    def replace_credential(
        self, till_id: str, name: str, credential_hash: str, now: datetime
    ) -> None:
        """Re-enrolment: a new name and credential, and the till is no longer revoked."""
        ...

    def revoke(self, till_id: str, now: datetime) -> None:
        """Stop the till's credential working (a revoked till stays revoked as it was)."""
        ...


class EnrollmentCodeRepository(Protocol):
    def add(
        self, code_id: str, store_id: str, code_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def claim(self, code_hash: str, now: datetime) -> str | None:
        """Spend an unused, unexpired code in one statement and return its store id;
        None if there is no such code. Of two transactions claiming one code, the
        second waits for the first and gets None if the first commits."""
        ...

    def get(self, code_hash: str) -> CodeRecord | None: ...

    def record_use(self, code_hash: str, till_id: str) -> None: ...
