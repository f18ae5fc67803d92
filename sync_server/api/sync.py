"""Sync routes: push a batch, pull a page, a customer's balance; the managers' lists.

Thin: parse, call a service with a unit of work, return a schema. See
``docs/SYNC_PROTOCOL.md`` for the protocol and every refusal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from loyalty_core.wire.scorecards import ScorecardsV1
from loyalty_core.wire.survey_link import SurveyLinkV1
from loyalty_core.wire.sync import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    BalanceV1,
    EventResultV1,
    PullResponseV1,
    PushRequestV1,
    PushResponseV1,
)
from sync_server.api.errors import error_responses
from sync_server.api.schemas.v1.manage import (
    DebtsV1,
    DebtV1,
    RejectedEventsV1,
    RejectedEventV1,
    SettlementRowV1,
    SettlementsV1,
    TillClocksV1,
    TillClockV1,
)
from sync_server.deps import ContextDep, CurrentTill
from sync_server.services import manage, scorecards
from sync_server.services.pull import pull as pull_page
from sync_server.services.pull import record_pull
from sync_server.services.push import push as push_batch
from sync_server.services.push import retry_event
from sync_server.services.sync_ports import SettlementRecord
from sync_server.services.web_survey import survey_link_for

router = APIRouter(prefix="/v1/sync", tags=["sync"])
manage_router = APIRouter(prefix="/v1/manage", tags=["manage"])

_admin_bearer = HTTPBearer(
    auto_error=False, scheme_name="AdminToken", description="LOYALTY_SERVER_ADMIN_TOKEN."
)


def require_admin(
    context: ContextDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_admin_bearer)],
) -> None:
    expected = context.settings.admin_token
    manage.check_admin(
        bearer.credentials if bearer is not None else None,
        expected.get_secret_value() if expected is not None else None,
    )


AdminDep = Annotated[None, Depends(require_admin)]
ListLimit = Annotated[int, Query(ge=1, le=1000)]


@router.post(
    "/push",
    responses=error_responses(
        status.HTTP_401_UNAUTHORIZED,
        status.HTTP_413_CONTENT_TOO_LARGE,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
    ),
)
def push(request: PushRequestV1, till: CurrentTill, context: ContextDep) -> PushResponseV1:
    """Apply a batch of the till's events exactly once; one result per event."""
    return push_batch(
        request,
        till,
        context.start_unit_of_work(),
        now=context.clock(),
        max_events=context.settings.push_max_events,
        clock_skew_limit_s=context.settings.clock_skew_limit_s,
    )


@router.get(
    "/pull",
    responses=error_responses(status.HTTP_401_UNAUTHORIZED, status.HTTP_422_UNPROCESSABLE_CONTENT),
)
def pull(
    till: CurrentTill,
    context: ContextDep,
    cursor: Annotated[int, Query(ge=0, description="next_cursor of the last page; 0 at first")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> PullResponseV1:
    """The page of the feed after ``cursor``: pull again from ``next_cursor`` while
    ``has_more``."""
    now = context.clock()
    page = pull_page(till, cursor, limit, context.start_reading_unit_of_work(), now=now)
    record_pull(till, context.start_unit_of_work(), now=now)
    return page


@router.get(
    "/customers/{customer_id}/balance",
    responses=error_responses(status.HTTP_401_UNAUTHORIZED, status.HTTP_404_NOT_FOUND),
)
def balance(customer_id: str, till: CurrentTill, context: ContextDep) -> BalanceV1:
    """The customer's balance on the server now (online-only redemption asks it)."""
    return manage.balance(customer_id, context.start_reading_unit_of_work(), now=context.clock())


@router.get(
    "/scorecards",
    responses=error_responses(status.HTTP_401_UNAUTHORIZED, status.HTTP_404_NOT_FOUND),
)
def till_scorecards(staff_id: str, till: CurrentTill, context: ContextDep) -> ScorecardsV1:
    """The scorecards the staff member signed in at the till may see: a manager every
    cashier of the store, anyone else their own (the last 28 days)."""
    return scorecards.till_scorecards(
        till, staff_id, context.start_reading_unit_of_work(), now=context.clock()
    )


@router.get("/survey-link", responses=error_responses(status.HTTP_401_UNAUTHORIZED))
def survey_link(till: CurrentTill, context: ContextDep) -> SurveyLinkV1:
    """How this till signs its receipts' survey links: its store's secret and the page."""
    settings = context.settings
    return survey_link_for(
        till,
        secret=context.survey_secret,
        valid_days=settings.survey_link_days,
        public_url=settings.public_url,
    )


@manage_router.get("/events/rejected", responses=error_responses(401, 403))
def rejected_events(
    _: AdminDep, context: ContextDep, store_id: str | None = None, limit: ListLimit = 100
) -> RejectedEventsV1:
    rows = manage.rejected_events(context.start_reading_unit_of_work(), store_id, limit)
    return RejectedEventsV1(
        events=[RejectedEventV1.model_validate(row, from_attributes=True) for row in rows]
    )


@manage_router.post("/events/{event_id}/retry", responses=error_responses(401, 403, 409))
def retry(event_id: str, _: AdminDep, context: ContextDep) -> EventResultV1:
    """Apply a rejected event again, after a fix; it stays rejected if it still fails."""
    return retry_event(event_id, context.start_unit_of_work(), now=context.clock())


@manage_router.get("/settlements", responses=error_responses(401, 403))
def settlements(
    _: AdminDep,
    context: ContextDep,
    kind: str | None = None,
    store_id: str | None = None,
    limit: ListLimit = 100,
) -> SettlementsV1:
    """Everything sync settled: overdraft, promo_overuse, gift_card_overdraw,
    return_twice, customer_merged, pricing_differs (``kind`` picks one)."""
    rows = manage.settlements(context.start_reading_unit_of_work(), store_id, kind, limit)
    return _settlements(rows)


@manage_router.get("/promos/overused", responses=error_responses(401, 403))
def overused_promos(_: AdminDep, context: ContextDep, limit: ListLimit = 100) -> SettlementsV1:
    rows = manage.settlements(context.start_reading_unit_of_work(), None, "promo_overuse", limit)
    return _settlements(rows)


@manage_router.get("/merges", responses=error_responses(401, 403))
def merges(_: AdminDep, context: ContextDep, limit: ListLimit = 100) -> SettlementsV1:
    rows = manage.settlements(context.start_reading_unit_of_work(), None, "customer_merged", limit)
    return _settlements(rows)


@manage_router.get("/debts", responses=error_responses(401, 403))
def debts(_: AdminDep, context: ContextDep, limit: ListLimit = 100) -> DebtsV1:
    rows = manage.debts(context.start_reading_unit_of_work(), limit)
    return DebtsV1(debts=[DebtV1.model_validate(row, from_attributes=True) for row in rows])


@manage_router.get("/clocks", responses=error_responses(401, 403))
def clocks(_: AdminDep, context: ContextDep, limit: ListLimit = 100) -> TillClocksV1:
    """Tills whose clock was found far off at their last push."""
    rows = manage.flagged_clocks(context.start_reading_unit_of_work(), limit)
    return TillClocksV1(tills=[TillClockV1.model_validate(r, from_attributes=True) for r in rows])


def _settlements(rows: list[SettlementRecord]) -> SettlementsV1:
    return SettlementsV1(
        settlements=[SettlementRowV1.model_validate(row, from_attributes=True) for row in rows]
    )
