"""Who is calling: a till's bearer credential checked against the stored hashes,
and revocation, which makes a credential stop working at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from loyalty_core.errors import DomainError
from sync_server.services.credentials import till_credential_hash
from sync_server.services.tills import TillRecord, canonical_id
from sync_server.services.unit_of_work import UnitOfWork

MAX_CREDENTIAL_LENGTH = 512


class NotAuthenticatedError(DomainError):
    code = "auth.refused"


class CredentialMissingError(NotAuthenticatedError):
    code = "auth.credential_missing"
    template = (
        "This request needs the till's credential: send 'Authorization: Bearer <credential>'. "
        "A till gets one by enrolling."
    )


class CredentialUnknownError(NotAuthenticatedError):
    code = "auth.credential_unknown"
    template = (
        "The server does not know this credential (it may have been replaced by a newer "
        "enrollment). Enroll the till again with a new code."
    )


class CredentialRevokedError(NotAuthenticatedError):
    code = "auth.credential_revoked"
    template = (
        "This till's credential was revoked at {revoked_at:%Y-%m-%d %H:%M} UTC. "
        "Enroll the till again with a new code."
    )


class UnknownTillError(DomainError):
    code = "tills.unknown"
    template = "There is no till with id {till_id!r}."


def authenticate_till(credential: str | None, uow: UnitOfWork) -> TillRecord:
    """The enrolled, unrevoked till this credential belongs to, or a refusal."""
    if not credential:
        raise CredentialMissingError()
    if len(credential) > MAX_CREDENTIAL_LENGTH:
        raise CredentialUnknownError()
    with uow:
        till = uow.tills.by_credential_hash(till_credential_hash(credential))
    if till is None:
        raise CredentialUnknownError()
    if till.revoked_at is not None:
        raise CredentialRevokedError(revoked_at=till.revoked_at)
    return till


def revoke_till(till_id: str, uow: UnitOfWork, *, now: datetime) -> TillRecord:
    """Revoke the till's credential; revoking twice keeps the first time."""
    with uow:
        canonical = canonical_id(till_id)
        till = uow.tills.get(canonical) if canonical is not None else None
        if till is None:
            raise UnknownTillError(till_id=till_id)
        uow.tills.revoke(till.id, now)
        uow.commit()
    return replace(till, revoked_at=till.revoked_at or now)
