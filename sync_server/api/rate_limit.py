"""Per-client-address rate limits (the ``limits`` library, moving window).

Enrollment is the one unauthenticated call that checks a secret (the 12-digit code),
so each client address gets ``enroll_rate`` attempts, counted whatever the outcome;
more are refused with 429, an ``ErrorV1`` body and ``Retry-After``. Counters live in
``rate_limit_storage``: ``memory://`` is per worker process (N workers allow up to N
times the rate); a shared store such as ``redis://`` counts across them.
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from loyalty_core.errors import DomainError


class RateLimitedError(DomainError):
    code = "rate.limited"
    template = (
        "Too many {what} from this address; try again in {retry_after_s} seconds. "
        "Nothing was changed."
    )

    def __init__(self, *, what: str, retry_after_s: int) -> None:
        super().__init__(what=what, retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


class RateLimit:
    """``rate`` hits per key (a client address) in a moving window."""

    def __init__(self, rate: str, storage_uri: str, *, name: str) -> None:
        self._item = parse(rate)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._name = name

    def hit(self, key: str) -> None:
        """Count one request for ``key``; ``RateLimitedError`` if it is one too many."""
        if self._limiter.hit(self._item, self._name, key):
            return
        reset_at = self._limiter.get_window_stats(self._item, self._name, key).reset_time
        raise RateLimitedError(
            what=f"{self._name} attempts", retry_after_s=max(1, math.ceil(reset_at - time.time()))
        )


def client_address(request: Request) -> str:
    # Behind a reverse proxy uvicorn puts the X-Forwarded-For address here, for proxies
    # it trusts (--forwarded-allow-ips; 127.0.0.1 by default).
    return request.client.host if request.client is not None else "unknown"


def limit_enrollment(request: Request) -> None:
    limit = getattr(request.app.state, "enrollment_rate_limit", None)
    if not isinstance(limit, RateLimit):
        raise RuntimeError("no enrollment rate limit: build the app with create_app")
    limit.hit(client_address(request))


def limit_sign_in(request: Request) -> None:
    """The managers' dashboard: sign-in attempts per client address."""
    limit = getattr(request.app.state, "sign_in_rate_limit", None)
    if not isinstance(limit, RateLimit):
        raise RuntimeError("no sign-in rate limit: build the app with create_app")
    limit.hit(client_address(request))
