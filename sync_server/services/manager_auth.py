"""Signing managers in to the web dashboard: argon2 passwords, a lockout after repeated
failures, sessions with a CSRF token, and what each manager may see.

An unknown login, a wrong password and a locked login get the same refusal (and the same
argon2 work), so the answer never tells which logins exist or which are locked.
``MAX_FAILURES`` wrong passwords in a row lock the login for ``LOCKOUT``; the right
password then still fails until the lock ends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from sync_server.services.manager_ports import (
    ManagerRecord,
    ManagerRole,
    ManagerSessionRecord,
)
from sync_server.services.unit_of_work import UnitOfWork

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)  # a working day; then sign in again
MIN_PASSWORD = 10
_HASHER = PasswordHasher()  # argon2id, the library's recommended cost
# Verified for an unknown login, so it costs what a wrong password costs.
_NOBODY = _HASHER.hash(secrets.token_urlsafe(16))


class SignInRefusedError(DomainError):
    code = "manager.sign_in_refused"
    template = (
        "Wrong login or password. After {most} wrong passwords in a row a login waits "
        "{minutes} minutes."
    )

    def __init__(self) -> None:
        super().__init__(most=MAX_FAILURES, minutes=LOCKOUT // timedelta(minutes=1))


class NotSignedInError(DomainError):
    code = "manager.not_signed_in"
    template = "Sign in to open the managers' pages."


class NotYoursError(DomainError):
    code = "manager.forbidden"
    template = "This is not one of your stores."


class BadCsrfError(DomainError):
    code = "manager.bad_csrf"
    template = "The form was out of date: open the page again and repeat."


class WeakPasswordError(DomainError):
    code = "manager.weak_password"
    template = "A password is at least {least} characters."


class LoginTakenError(DomainError):
    code = "manager.login_taken"
    template = "The login {login} is taken."


class StoreNotFoundError(DomainError):
    code = "manager.store_unknown"
    template = "There is no store named {name}."


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in manager: who, and which stores (``None``: every store)."""

    manager_id: str
    name: str
    role: ManagerRole
    store_ids: tuple[str, ...] | None
    csrf_token: str

    def may_see(self, store_id: str) -> bool:
        return self.store_ids is None or store_id in self.store_ids


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str  # the session cookie's value; only its hash is kept
    viewer: Viewer


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _normal_login(login: str) -> str:
    return login.strip().casefold()


def create_manager(
    login: str,
    name: str,
    password: str,
    role: ManagerRole,
    store_names: Sequence[str],
    uow: UnitOfWork,
    *,
    now: datetime,
) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeakPasswordError(least=MIN_PASSWORD)
    login = _normal_login(login)
    with uow:
        if uow.managers.by_login(login) is not None:
            raise LoginTakenError(login=login)
        store_ids = []
        for store_name in store_names:
            found = uow.managers.store_named(store_name)
            if found is None:
                raise StoreNotFoundError(name=store_name)
            store_ids.append(found)
        manager_id = new_id()
        uow.managers.add(
            ManagerRecord(
                manager_id,
                login,
                name.strip() or login,
                role,
                _HASHER.hash(password),
                tuple(sorted(set(store_ids))),
            ),
            now,
        )
        uow.commit()
    return manager_id


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _viewer(manager: ManagerRecord, csrf_token: str) -> Viewer:
    stores = None if manager.role is ManagerRole.OWNER else manager.store_ids
    return Viewer(manager.id, manager.name, manager.role, stores, csrf_token)


def sign_in(login: str, password: str, uow: UnitOfWork, *, now: datetime) -> SignedIn:
    with uow:
        manager = uow.managers.by_login(_normal_login(login))
        if manager is None or manager.disabled_at is not None:
            _password_matches(_NOBODY, password)
            raise SignInRefusedError()
        if manager.locked_until is not None and now < manager.locked_until:
            _password_matches(_NOBODY, password)
            raise SignInRefusedError()
        if not _password_matches(manager.password_hash, password):
            uow.managers.record_failure(manager.id, MAX_FAILURES, now + LOCKOUT)
            uow.commit()
            raise SignInRefusedError()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        uow.managers.set_attempts(manager.id, 0, None)
        uow.managers.add_session(
            ManagerSessionRecord(_token_hash(token), manager.id, csrf, now, now + SESSION_LIFETIME)
        )
        uow.commit()
    return SignedIn(token, _viewer(manager, csrf))


def viewer_of(token: str | None, uow: UnitOfWork, *, now: datetime) -> Viewer:
    """The manager a session cookie names; ``NotSignedInError`` for none, unknown or ended."""
    if not token:
        raise NotSignedInError()
    with uow:
        session = uow.managers.session(_token_hash(token))
        if session is None or now >= session.expires_at:
            raise NotSignedInError()
        manager = uow.managers.by_id(session.manager_id)
        if manager is None or manager.disabled_at is not None:
            raise NotSignedInError()
        return _viewer(manager, session.csrf_token)


def check_csrf(viewer: Viewer, given: str | None) -> None:
    if not given or not hmac.compare_digest(given.encode(), viewer.csrf_token.encode()):
        raise BadCsrfError()


def sign_out(token: str, uow: UnitOfWork) -> None:
    with uow:
        uow.managers.end_session(_token_hash(token))
        uow.commit()


class UnknownTimezoneError(DomainError):
    code = "manager.unknown_timezone"
    template = "There is no time zone {zone}: use an IANA name such as Europe/Moscow."


def set_store_timezone(store_name: str, zone: str, uow: UnitOfWork) -> str:
    """The zone of the store's days in the managers' reports; facts from now on are added
    to that zone's days (those already added stay on the days they were added to)."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimezoneError(zone=zone) from None
    with uow:
        store_id = uow.managers.store_named(store_name)
        if store_id is None:
            raise StoreNotFoundError(name=store_name)
        uow.managers.set_store_timezone(store_id, zone)
        uow.commit()
    return store_id
