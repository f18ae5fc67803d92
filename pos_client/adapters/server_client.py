"""The till's HTTP client for the central server (``requests``, JSON).

Every call has explicit connect and read timeouts and is tried exactly once:
enrollment spends a one-time code, so only a person decides to try again.
Failures become two kinds of refusal a cashier or an admin can act on:
``ServerUnavailableError`` (no answer, a timeout, a server error) and ``ServerRefusedError``
(the server said no, carrying its own message), with ``EnrollmentRefusedError`` and
``CredentialRefusedError`` for the two calls here.

The credential is a secret: it is never logged, and results hide it from ``repr``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from loyalty_core.errors import DomainError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0


class ServerUnavailableError(DomainError):
    code = "server.unavailable"
    template = (
        "The server at {url} did not answer properly ({reason}). Check the address and "
        "the network, then try again."
    )


class InvalidServerUrlError(DomainError):
    code = "server.url_invalid"
    template = "{url!r} is not a server address; it looks like https://loyalty.example.com"


class ServerRefusedError(DomainError):
    """The server understood the request and said no; ``message`` is its own words."""

    code = "server.refused"

    def __init__(self, message: str, *, status: int, server_code: str | None = None) -> None:
        super().__init__("{message}", message=message)
        self.status = status
        self.server_code = server_code  # e.g. enrollment.code_used


class EnrollmentRefusedError(ServerRefusedError):
    code = "server.enrollment_refused"


class CredentialRefusedError(ServerRefusedError):
    """401: the credential is missing, unknown or revoked; the till must enroll again."""

    code = "server.credential_refused"


@dataclass(frozen=True, slots=True)
class EnrollmentResult:
    till_id: str
    till_name: str
    store_id: str
    store_name: str
    credential: str = field(repr=False)
    server_time: datetime


@dataclass(frozen=True, slots=True)
class TillIdentity:
    """Who the server thinks this till is (``GET /v1/tills/me``)."""

    till_id: str
    till_name: str
    store_id: str
    store_name: str


class ServerClient:
    def __init__(
        self,
        *,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
    ) -> None:
        self._timeout = (connect_timeout_s, read_timeout_s)

    def enroll(self, server_url: str, code: str, till_id: str, till_name: str) -> EnrollmentResult:
        """Spend a one-time code; raises ``EnrollmentRefusedError`` with the server's reason."""
        body = self._call(
            "POST",
            server_url,
            "/v1/tills/enroll",
            json={"code": code, "till_id": till_id, "till_name": till_name},
            refusal=EnrollmentRefusedError,
        )
        try:
            return EnrollmentResult(
                till_id=body["till_id"],
                till_name=body["till_name"],
                store_id=body["store"]["id"],
                store_name=body["store"]["name"],
                credential=body["credential"],
                server_time=datetime.fromisoformat(body["server_time"]),
            )
        except (KeyError, TypeError, ValueError):
            raise ServerUnavailableError(
                url=server_url, reason="unexpected enrollment answer"
            ) from None

    def whoami(self, server_url: str, credential: str) -> TillIdentity:
        """Check the credential; raises ``CredentialRefusedError`` if the server refuses it."""
        body = self._call(
            "GET",
            server_url,
            "/v1/tills/me",
            headers={"Authorization": f"Bearer {credential}"},
            refusal=CredentialRefusedError,
        )
        try:
            return TillIdentity(
                till_id=body["till_id"],
                till_name=body["till_name"],
                store_id=body["store"]["id"],
                store_name=body["store"]["name"],
            )
        except (KeyError, TypeError):
            raise ServerUnavailableError(
                url=server_url, reason="unexpected identity answer"
            ) from None

    def _call(
        self,
        method: str,
        server_url: str,
        path: str,
        *,
        refusal: type[ServerRefusedError],
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        base = server_url.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise InvalidServerUrlError(url=server_url)
        with _single_attempt_session() as session:
            try:
                response = session.request(
                    method, base + path, json=json, headers=headers, timeout=self._timeout
                )
            except requests.exceptions.InvalidURL:
                raise InvalidServerUrlError(url=server_url) from None
            except requests.RequestException as error:
                log.warning("%s %s%s failed: %s", method, base, path, type(error).__name__)
                raise ServerUnavailableError(url=base, reason=failure_reason(error)) from None
        refuse_unless_ok(response, base, f"{method} {path}", refusal)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ServerUnavailableError(url=base, reason="the answer is not a loyalty server's")
        return body


def _single_attempt_session() -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=0)  # one attempt: a retry could spend a code twice
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def refuse_unless_ok(
    response: requests.Response,
    base: str,
    call: str,
    refusal: type[ServerRefusedError],
    *,
    busy: frozenset[int] = frozenset(),
) -> None:
    """Raise what a failed answer means: a 5xx (or a ``busy`` status) is the server being
    unavailable; a 4xx is its refusal in its own words, 401 always the credential's."""
    status = response.status_code
    if status >= 500 or status in busy:
        raise ServerUnavailableError(url=base, reason=f"HTTP {status}")
    if status >= 400:
        message, server_code = refusal_text(response)
        log.info("%s refused: HTTP %d %s", call, status, server_code)
        kind = CredentialRefusedError if status == 401 else refusal
        raise kind(message, status=status, server_code=server_code)


def failure_reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.ConnectionError):
        return "connection failed"
    return type(error).__name__


def refusal_text(response: requests.Response) -> tuple[str, str | None]:
    """The server's own words: ``ErrorV1`` {code, message}, or FastAPI's {detail}."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        if isinstance(body.get("message"), str):
            code = body.get("code")
            return body["message"], code if isinstance(code, str) else None
        if isinstance(body.get("detail"), str):
            return body["detail"], None
    return f"the server refused the request (HTTP {response.status_code})", None
