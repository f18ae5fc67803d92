"""The till's HTTP client for sync: push a batch of outbox events, pull a page, ask a balance.

Unlike enrollment, every sync call may be retried: a push is idempotent by event id
(the server answers ``duplicate`` for an event it already holds), a pull is a read.
So the session retries connection failures, timeouts and 429/502/503/504 answers with
urllib3's ``Retry`` (exponential backoff with jitter, honouring ``Retry-After``), a few
times within one call; the sync runner backs off between calls. The bearer credential
is never logged.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from loyalty_core.wire.scorecards import ScorecardsV1
from loyalty_core.wire.survey_link import SurveyLinkV1
from loyalty_core.wire.sync import (
    BalanceV1,
    EventV1,
    PullResponseV1,
    PushRequestV1,
    PushResponseV1,
)
from pos_client.adapters.server_client import (
    InvalidServerUrlError,
    ServerRefusedError,
    ServerUnavailableError,
    failure_reason,
    refuse_unless_ok,
)

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0  # a push of 1,000 sales is re-validated before the answer
BALANCE_TIMEOUT = (1.5, 2.0)  # a cashier waits for this one: asked once, answered fast
SCORECARDS_TIMEOUT = (3.0, 10.0)  # a manager waits for this one; a page of the store


def sync_retry(total: int = 3) -> Retry:
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=0.5,
        backoff_jitter=0.5,
        backoff_max=10,
        status_forcelist=(429, 502, 503, 504),
        allowed_methods=frozenset({"GET", "POST"}),  # POST too: a push is idempotent
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer is read and explained below
    )


class SyncClient:
    """One till's connection to its server; thread-safe enough for one caller at a time."""

    def __init__(
        self,
        server_url: str,
        credential: str,
        *,
        ca_file: Path | None = None,
        retry: Retry | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
    ) -> None:
        base = server_url.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise InvalidServerUrlError(url=server_url)
        self.base = base
        self._timeout = timeout
        self._verify: bool | str = str(ca_file) if ca_file is not None else True
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry if retry is not None else sync_retry())
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["Authorization"] = f"Bearer {credential}"
        self._quick = requests.Session()  # no retries: the cashier is waiting
        self._quick.headers["Authorization"] = f"Bearer {credential}"

    def close(self) -> None:
        self._session.close()
        self._quick.close()

    def push(self, events: list[EventV1], *, sent_at: datetime | None = None) -> PushResponseV1:
        """``sent_at`` is the till's clock now: the server measures the till's clock skew."""
        body = PushRequestV1(events=events, sent_at=sent_at).model_dump_json().encode()
        answer = self._call(
            "POST", "/v1/sync/push", data=body, headers={"Content-Type": "application/json"}
        )
        return _parse(PushResponseV1, answer, self.base)

    def pull(self, cursor: int, limit: int | None = None) -> PullResponseV1:
        params: dict[str, int] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        return _parse(PullResponseV1, self._call("GET", "/v1/sync/pull", params=params), self.base)

    def balance(self, customer_id: str) -> BalanceV1:
        """The customer's balance on the server now, asked once with a short timeout."""
        path = f"/v1/sync/customers/{customer_id}/balance"
        answer = self._call("GET", path, session=self._quick, timeout=BALANCE_TIMEOUT)
        return _parse(BalanceV1, answer, self.base)

    def scorecards(self, staff_id: str) -> ScorecardsV1:
        """The store's scorecards as ``staff_id`` may see them, asked once (someone waits)."""
        answer = self._call(
            "GET",
            "/v1/sync/scorecards",
            params={"staff_id": staff_id},
            session=self._quick,
            timeout=SCORECARDS_TIMEOUT,
        )
        return _parse(ScorecardsV1, answer, self.base)

    def survey_link(self) -> SurveyLinkV1:
        """How this till signs its receipts' survey links (its store's secret)."""
        answer = self._call("GET", "/v1/sync/survey-link", session=self._quick)
        return _parse(SurveyLinkV1, answer, self.base)

    def _call(
        self,
        method: str,
        path: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> bytes:
        try:
            response = (session or self._session).request(
                method,
                self.base + path,
                timeout=timeout or self._timeout,
                verify=self._verify,
                **kwargs,
            )
        except requests.RequestException as error:
            log.info("%s %s failed: %s", method, path, type(error).__name__)
            raise ServerUnavailableError(url=self.base, reason=failure_reason(error)) from None
        # 429 after the retries: the server is busy, not refusing the events.
        refuse_unless_ok(
            response, self.base, f"{method} {path}", ServerRefusedError, busy=frozenset({429})
        )
        return response.content


def _parse(model: type[M], body: bytes, base: str) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError:
        raise ServerUnavailableError(url=base, reason="the answer is not a sync answer") from None
