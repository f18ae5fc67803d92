"""Refusals as HTTP: each service error becomes a status and an ``ErrorV1`` body.

Services raise ``DomainError`` subclasses and know nothing of HTTP; the statuses
are decided here, once. Every other refusal gets the same body too: unparseable
JSON (400), an unknown path (404), a wrong method (405), a body over the limit (413),
invalid fields (422, listing at most ``MAX_PROBLEMS`` of them), and an unexpected
failure (500, details only in the server's log).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from loyalty_core.errors import DomainError
from sync_server.api.body_limit import TOO_LARGE_CODE
from sync_server.api.rate_limit import RateLimitedError
from sync_server.api.schemas.v1.errors import ErrorV1
from sync_server.services.enrollment import (
    CodeNotAcceptedError,
    EnrollmentConflictError,
    InvalidEnrollmentRequestError,
)
from sync_server.services.manage import AdminRefusedError, CustomerUnknownError, ManageDisabledError
from sync_server.services.pull import InvalidCursorError, InvalidLimitError
from sync_server.services.push import BatchTooLargeError, NotRejectedError
from sync_server.services.scorecards import StaffUnknownError
from sync_server.services.till_auth import NotAuthenticatedError, UnknownTillError
from sync_server.services.tills import TillWriteConflictError
from sync_server.services.unit_of_work import DatabaseUnavailableError

log = logging.getLogger(__name__)

MAX_PROBLEMS = 20  # a refusal names this many invalid fields, then says how many more
MAX_FIELD_CHARS = 80  # of one field's path (a key can be as long as the body allows)
MAX_MESSAGE_CHARS = 4000

# First match wins; anything else a service refuses is a plain 400.
_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotAuthenticatedError, status.HTTP_401_UNAUTHORIZED),
    (InvalidEnrollmentRequestError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (CodeNotAcceptedError, status.HTTP_403_FORBIDDEN),
    (EnrollmentConflictError, status.HTTP_409_CONFLICT),
    (TillWriteConflictError, status.HTTP_409_CONFLICT),
    (UnknownTillError, status.HTTP_404_NOT_FOUND),
    (RateLimitedError, status.HTTP_429_TOO_MANY_REQUESTS),
    (AdminRefusedError, status.HTTP_401_UNAUTHORIZED),
    (ManageDisabledError, status.HTTP_403_FORBIDDEN),
    (BatchTooLargeError, status.HTTP_413_CONTENT_TOO_LARGE),
    (InvalidCursorError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (InvalidLimitError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (NotRejectedError, status.HTTP_409_CONFLICT),
    (CustomerUnknownError, status.HTTP_404_NOT_FOUND),
    (StaffUnknownError, status.HTTP_404_NOT_FOUND),
    (DatabaseUnavailableError, status.HTTP_503_SERVICE_UNAVAILABLE),
]

# Codes of the refusals made before any route runs.
_CODE_BY_STATUS = {
    status.HTTP_404_NOT_FOUND: "request.not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "request.method_not_allowed",
    status.HTTP_413_CONTENT_TOO_LARGE: TOO_LARGE_CODE,
}
JSON_INVALID_CODE = "request.json_invalid"
INVALID_CODE = "request.invalid"
UNEXPECTED_CODE = "server.error"


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """For route declarations, so the OpenAPI schema shows each refusal's body."""
    return {code: {"model": ErrorV1} for code in statuses}


def status_of(error: DomainError) -> int:
    for kind, code in _STATUS_BY_ERROR:
        if isinstance(error, kind):
            return code
    return status.HTTP_400_BAD_REQUEST


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_refusal)
    app.add_exception_handler(Exception, _unexpected)  # Starlette's last resort: 500


def error_response(
    status_code: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = ErrorV1(code=code, message=_bounded(message))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def domain_error_response(error: DomainError) -> JSONResponse:
    code = status_of(error)
    headers = {}
    if code == status.HTTP_401_UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    retry_after = getattr(error, "retry_after_s", None)
    if isinstance(retry_after, int):
        headers["Retry-After"] = str(max(retry_after, 1))
    return error_response(code, error.code, error.message, headers or None)


def unexpected_error_response() -> JSONResponse:
    return error_response(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        UNEXPECTED_CODE,
        "The server failed to handle this request; nothing was changed. "
        "It is logged on the server; try again later.",
    )


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return domain_error_response(error)


async def _invalid_request(_request: Request, error: Exception) -> JSONResponse:
    """Unparseable JSON is 400; fields that do not fit are 422 naming each field,
    the first ``MAX_PROBLEMS`` of them."""
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    for problem in problems:
        if problem.get("type") == "json_invalid":
            return error_response(
                status.HTTP_400_BAD_REQUEST, JSON_INVALID_CODE, _json_problem(problem)
            )
    return error_response(
        status.HTTP_422_UNPROCESSABLE_CONTENT, INVALID_CODE, describe_problems(problems)
    )


def describe_problems(problems: Sequence[Mapping[str, Any]]) -> str:
    shown = []
    for problem in problems[:MAX_PROBLEMS]:
        field = ".".join(str(part) for part in problem["loc"] if part != "body")
        if len(field) > MAX_FIELD_CHARS:
            field = field[:MAX_FIELD_CHARS] + "…"
        shown.append(f"{field}: {problem['msg']}" if field else str(problem["msg"]))
    more = len(problems) - len(shown)
    if more > 0:
        shown.append(f"… and {more:,} more")
    return "; ".join(shown) or "invalid request"


def _json_problem(problem: Mapping[str, Any]) -> str:
    where = [part for part in problem.get("loc", ()) if isinstance(part, int)]
    reason = (problem.get("ctx") or {}).get("error") or "not JSON"
    at = f" at character {where[0]}" if where else ""
    return f"The request body is not valid JSON ({reason}{at}); send a JSON object."


async def _http_refusal(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = _CODE_BY_STATUS.get(error.status_code, f"http.{error.status_code}")
    if error.status_code == status.HTTP_404_NOT_FOUND:
        message = f"There is no {request.url.path} on this server; see /openapi.json."
    elif error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
        allowed = (error.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}."
    else:
        message = str(error.detail)
    return error_response(error.status_code, code, message, error.headers)


async def _unexpected(request: Request, _error: Exception) -> JSONResponse:
    log.error("unexpected failure of %s %s", request.method, request.url.path)
    return unexpected_error_response()


def _bounded(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 1] + "…"
