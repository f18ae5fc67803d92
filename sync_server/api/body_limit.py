"""A ceiling on request bodies, before anything parses them.

A pure ASGI middleware: a declared ``Content-Length`` over the limit is refused at once,
without reading a byte of the body; a body without one (chunked) is counted as it
streams in, and refused the moment it passes the limit. Either way the answer is
``413`` with an ``ErrorV1`` body, and the body is never held in memory beyond the limit.
Pushed batches (paths under ``/v1/sync/push``) have a limit of their own.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.api.schemas.v1.errors import ErrorV1

PUSH_PATH_PREFIX = "/v1/sync/push"
TOO_LARGE_CODE = "request.too_large"


class BodyTooLargeError(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit; FastAPI lets an
    ``HTTPException`` from body reading through, and the error handlers answer 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


def too_large_message(limit: int) -> str:
    return (
        f"The request body is larger than this endpoint accepts ({limit:,} bytes). "
        "Send less in one request (e.g. a smaller batch)."
    )


def too_large_response(limit: int) -> JSONResponse:
    body = ErrorV1(code=TOO_LARGE_CODE, message=too_large_message(limit))
    return JSONResponse(body.model_dump(), status_code=413)


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_push_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_push_body_bytes = max_push_body_bytes

    def limit_for(self, path: str) -> int:
        if path == PUSH_PATH_PREFIX or path.startswith(PUSH_PATH_PREFIX + "/"):
            return self.max_push_body_bytes
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await too_large_response(limit)(scope, receive, send)
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLargeError:
            # Normally answered by the error handlers; this catches a body read outside them.
            if response_started:
                raise
            await too_large_response(limit)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP server refuses a malformed length itself
    return None
