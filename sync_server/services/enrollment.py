"""Till enrollment: an operator issues a one-time code for a store; a till spends it
to register its own id and receive a bearer credential.

Bad input is refused before anything is written; a refusal inside the transaction
rolls it back, so a refused enrollment never spends its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from sync_server.services.credentials import (
    CODE_EXAMPLE,
    enrollment_code_hash,
    new_enrollment_code,
    new_till_credential,
    till_credential_hash,
)
from sync_server.services.tills import StoreRecord, canonical_id
from sync_server.services.unit_of_work import UnitOfWork

DEFAULT_CODE_TTL = timedelta(hours=24)
MAX_CODE_TTL = timedelta(days=30)
MAX_STORE_NAME = 200
MAX_TILL_NAME = 100


class EnrollmentError(DomainError):
    code = "enrollment.refused"


class InvalidEnrollmentRequestError(EnrollmentError):
    """The request cannot be right whatever the database holds."""

    code = "enrollment.invalid"


class MalformedCodeError(InvalidEnrollmentRequestError):
    code = "enrollment.code_malformed"
    template = f"An enrollment code is 12 digits, e.g. {CODE_EXAMPLE}; check what was typed."


class MalformedTillIdError(InvalidEnrollmentRequestError):
    code = "enrollment.till_id_malformed"
    template = "The till id must be a UUID made by the till; got {till_id!r}."


class InvalidNameError(InvalidEnrollmentRequestError):
    code = "enrollment.name_invalid"
    template = "The {what} name must be 1 to {limit} printable characters."


class InvalidCodeLifetimeError(InvalidEnrollmentRequestError):
    code = "enrollment.ttl_invalid"
    template = "A code must live more than 0 hours and at most {max_hours} hours."


class CodeNotAcceptedError(EnrollmentError):
    """The code is well formed but does not allow an enrollment now."""


class UnknownCodeError(CodeNotAcceptedError):
    code = "enrollment.code_unknown"
    template = (
        "This enrollment code is not known to the server. Check the digits, or ask for a new code."
    )


class CodeAlreadyUsedError(CodeNotAcceptedError):
    code = "enrollment.code_used"
    template = (
        "This enrollment code was already used; each code enrolls one till. Ask for a new one."
    )


class CodeExpiredError(CodeNotAcceptedError):
    code = "enrollment.code_expired"
    template = "This enrollment code expired at {expired_at:%Y-%m-%d %H:%M} UTC. Ask for a new one."


class EnrollmentConflictError(EnrollmentError):
    """The enrollment contradicts what the server already knows."""


class TillNameTakenError(EnrollmentConflictError):
    code = "enrollment.till_name_taken"
    template = "Store {store!r} already has a till named {name!r}; choose another name."


class TillInAnotherStoreError(EnrollmentConflictError):
    code = "enrollment.till_in_another_store"
    template = (
        "This till is enrolled with store {current!r}, and the code is for store "
        "{requested!r}. Ask for a code for {current!r}."
    )


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str  # shown once, to the operator; only its keyed hash is stored
    store: StoreRecord
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class EnrollTill:
    code: str  # as typed: spaces and dashes are ignored
    till_id: str
    till_name: str


@dataclass(frozen=True, slots=True)
class Enrollment:
    till_id: str
    till_name: str
    store: StoreRecord
    credential: str  # shown once, to the till; only its hash is stored
    server_time: datetime


def issue_enrollment_code(
    store_name: str,
    uow: UnitOfWork,
    *,
    key: bytes,
    now: datetime,
    ttl: timedelta = DEFAULT_CODE_TTL,
) -> IssuedCode:
    """A one-time code for ``store_name``; the store is created if it does not exist."""
    name = _checked_name(store_name, "store", MAX_STORE_NAME)
    if not timedelta(0) < ttl <= MAX_CODE_TTL:
        raise InvalidCodeLifetimeError(max_hours=int(MAX_CODE_TTL / timedelta(hours=1)))
    code = new_enrollment_code()
    expires_at = now + ttl
    with uow:
        store = uow.stores.get_or_add(name, new_id(), now)
        uow.enrollment_codes.add(
            new_id(), store.id, enrollment_code_hash(code, key), now, expires_at
        )
        uow.commit()
    return IssuedCode(code=code, store=store, expires_at=expires_at)


def enroll_till(cmd: EnrollTill, uow: UnitOfWork, *, key: bytes, now: datetime) -> Enrollment:
    """Spend the code and give the till a new credential, in one transaction.

    A till that enrolls again (same id, new code) gets a new credential, and its
    old one stops working; a revoked till is reinstated this way.
    """
    try:
        code_hash = enrollment_code_hash(cmd.code, key)
    except ValueError:  # not 12 digits once spaces and dashes are dropped
        raise MalformedCodeError() from None
    till_id = _checked_till_id(cmd.till_id)
    till_name = _checked_name(cmd.till_name, "till", MAX_TILL_NAME)
    credential = new_till_credential()
    with uow:
        store_id = uow.enrollment_codes.claim(code_hash, now)
        if store_id is None:
            raise _why_not_claimed(uow, code_hash, now)
        store = uow.stores.get(store_id)
        assert store is not None, "a code always belongs to a store (foreign key)"
        existing = uow.tills.get(till_id)
        if existing is not None and existing.store.id != store.id:
            raise TillInAnotherStoreError(current=existing.store.name, requested=store.name)
        if uow.tills.name_is_taken(store.id, till_name, by_other_than=till_id):
            raise TillNameTakenError(store=store.name, name=till_name)
        credential_hash = till_credential_hash(credential)
        if existing is None:
            uow.tills.add(till_id, store.id, till_name, credential_hash, now)
        else:
            uow.tills.replace_credential(till_id, till_name, credential_hash, now)
        uow.enrollment_codes.record_use(code_hash, till_id)
        uow.commit()
    return Enrollment(
        till_id=till_id, till_name=till_name, store=store, credential=credential, server_time=now
    )


def _why_not_claimed(uow: UnitOfWork, code_hash: str, now: datetime) -> CodeNotAcceptedError:
    record = uow.enrollment_codes.get(code_hash)
    if record is None:
        return UnknownCodeError()
    if record.used_at is not None:
        return CodeAlreadyUsedError()
    assert record.expires_at <= now, "an unused, unexpired code is always claimed"
    return CodeExpiredError(expired_at=record.expires_at)


def _checked_till_id(text: str) -> str:
    till_id = canonical_id(text)
    if till_id is None:
        raise MalformedTillIdError(till_id=text[:64])
    return till_id


def _checked_name(text: str, what: str, limit: int) -> str:
    name = text.strip()
    if not name or len(name) > limit or not name.isprintable():
        raise InvalidNameError(what=what, limit=limit)
    return name
