"""Enroll this till with the central server, and read back what enrolling stored.

The till sends its own id (made on first start), the one-time code an operator
typed and a name; the server answers with a bearer credential and the store. Those
are kept in the till's state (``uow.state``), in one transaction, under the
``*_KEY`` names below. The network call happens before that transaction, so the
database is never locked while waiting for the server.

The credential and the code are secrets: neither is ever logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from pos_client.adapters.server_client import EnrollmentResult, InvalidServerUrlError
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext

log = logging.getLogger(__name__)

SERVER_URL_KEY = "server_url"
SURVEY_SECRET_KEY = "survey.secret"  # base64url, as the server sent it (services/survey_links)
CREDENTIAL_KEY = "server_credential"
STORE_ID_KEY = "store_id"
STORE_NAME_KEY = "store_name"
TILL_NAME_KEY = "till_name"
ENROLLED_AT_KEY = "enrolled_at"  # the server's time of enrollment, ISO 8601
_ENROLLMENT_KEYS = (
    SERVER_URL_KEY,
    CREDENTIAL_KEY,
    STORE_ID_KEY,
    STORE_NAME_KEY,
    TILL_NAME_KEY,
    ENROLLED_AT_KEY,
)
CLOCK_SKEW_WARNING = timedelta(minutes=2)


class EnrollmentClient(Protocol):
    def enroll(
        self, server_url: str, code: str, till_id: str, till_name: str
    ) -> EnrollmentResult: ...


@dataclass(frozen=True, slots=True)
class StoredEnrollment:
    """What the till keeps about its enrollment; sync reads it to call the server."""

    server_url: str
    credential: str = field(repr=False)
    store_id: str
    store_name: str
    till_name: str
    enrolled_at: datetime


def enroll_till(
    server_url: str,
    code: str,
    till_name: str | None,
    uow: SqliteUnitOfWork,
    ctx: TillContext,
    client: EnrollmentClient,
) -> EnrollmentResult:
    """Spend ``code`` on the server and keep the credential it returns.

    Raises ``ServerUnavailableError`` (no answer: nothing changed anywhere) or
    ``EnrollmentRefusedError`` (the server's reason: a wrong, used or expired code, a
    name already taken...). Enrolling again replaces the stored credential.
    """
    url = _checked_server_url(server_url)
    name = (till_name or "").strip() or default_till_name(ctx.till_id)
    log.info("enrolling till %s as %r with %s", ctx.till_id, name, url)
    result = client.enroll(url, code.strip(), ctx.till_id, name)
    with uow:
        uow.state.set(SERVER_URL_KEY, url)
        uow.state.set(CREDENTIAL_KEY, result.credential)
        uow.state.set(STORE_ID_KEY, result.store_id)
        uow.state.set(STORE_NAME_KEY, result.store_name)
        uow.state.set(TILL_NAME_KEY, result.till_name)
        # An earlier enrollment's survey secret signs nothing here: fetched again once online.
        uow.state.set(SURVEY_SECRET_KEY, "")
        uow.state.set(ENROLLED_AT_KEY, result.server_time.isoformat())
        uow.commit()
    log.info("till %s enrolled with store %r (%s)", ctx.till_id, result.store_name, result.store_id)
    _warn_about_clock_skew(result.server_time, ctx.clock())
    return result


def stored_enrollment(uow: SqliteUnitOfWork) -> StoredEnrollment | None:
    """This till's enrollment, or None if it never enrolled."""
    with uow:
        values = [uow.state.get(key) for key in _ENROLLMENT_KEYS]
    found = [value for value in values if value is not None]
    if len(found) != len(_ENROLLMENT_KEYS):
        return None
    server_url, credential, store_id, store_name, till_name, enrolled_at = found
    return StoredEnrollment(
        server_url=server_url,
        credential=credential,
        store_id=store_id,
        store_name=store_name,
        till_name=till_name,
        enrolled_at=datetime.fromisoformat(enrolled_at),
    )


def default_till_name(till_id: str) -> str:
    """A name unique enough within a store when the operator gives none: the last six hex
    digits of the till's UUID."""
    return f"Till {till_id[-6:]}"


def _checked_server_url(server_url: str) -> str:
    """The address without spaces or trailing slashes: http(s) and a host, or refused."""
    url = server_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidServerUrlError(url=server_url)
    return url


def _warn_about_clock_skew(server_time: datetime, till_time: datetime) -> None:
    skew = till_time - server_time
    if abs(skew) > CLOCK_SKEW_WARNING:
        log.warning(
            "this till's clock differs from the server's by %+.0f s; set the time",
            skew.total_seconds(),
        )
