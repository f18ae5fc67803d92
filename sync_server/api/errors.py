"""Refusals as HTTP: each service error becomes a status and an ``ErrorV1`` body.

Services raise ``DomainError`` subclasses and know nothing of HTTP; the statuses
are decided here, once.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from loyalty_core.errors import DomainError
from sync_server.api.schemas.v1.errors import ErrorV1
from sync_server.services.enrollment import (
    CodeNotAcceptedError,
    EnrollmentConflictError,
    InvalidEnrollmentRequestError,
)
from sync_server.services.till_auth import NotAuthenticatedError, UnknownTillError
from sync_server.services.tills import TillWriteConflictError

# First match wins; anything else a service refuses is a plain 400.
_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotAuthenticatedError, status.HTTP_401_UNAUTHORIZED),
    (InvalidEnrollmentRequestError, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (CodeNotAcceptedError, status.HTTP_403_FORBIDDEN),
    (EnrollmentConflictError, status.HTTP_409_CONFLICT),
    (TillWriteConflictError, status.HTTP_409_CONFLICT),
    (UnknownTillError, status.HTTP_404_NOT_FOUND),
]


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


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    code = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if code == status.HTTP_401_UNAUTHORIZED else None
    body = ErrorV1(code=error.code, message=error.message)
    return JSONResponse(body.model_dump(), status_code=code, headers=headers)


async def _invalid_request(_request: Request, error: Exception) -> JSONResponse:
    """Malformed JSON or fields: one readable message naming each field."""
    assert isinstance(error, RequestValidationError)
    problems = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"] if part != "body")
        problems.append(f"{field}: {problem['msg']}" if field else str(problem["msg"]))
    body = ErrorV1(code="request.invalid", message="; ".join(problems) or "invalid request")
    return JSONResponse(body.model_dump(), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
