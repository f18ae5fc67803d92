"""Tills: enroll with a one-time code, and check the credential that gives."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status

from sync_server.api.errors import error_responses
from sync_server.api.rate_limit import limit_enrollment
from sync_server.api.schemas.v1.tills import EnrollmentRequestV1, EnrollmentV1, StoreV1, TillV1
from sync_server.deps import ContextDep, CurrentTill, UnitOfWorkDep
from sync_server.services.enrollment import EnrollTill, enroll_till
from sync_server.services.tills import StoreRecord

router = APIRouter(prefix="/v1/tills", tags=["tills"])


@router.post(
    "/enroll",
    dependencies=[Depends(limit_enrollment)],  # counted before the body is checked
    responses=error_responses(
        status.HTTP_400_BAD_REQUEST,
        status.HTTP_403_FORBIDDEN,
        status.HTTP_409_CONFLICT,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        status.HTTP_429_TOO_MANY_REQUESTS,
    ),
)
def enroll(
    request: EnrollmentRequestV1, uow: UnitOfWorkDep, context: ContextDep, response: Response
) -> EnrollmentV1:
    """Spend a one-time code: the till is registered and receives its credential."""
    enrollment = enroll_till(
        EnrollTill(code=request.code, till_id=request.till_id, till_name=request.till_name),
        uow,
        key=context.enrollment_code_key,
        now=context.clock(),
    )
    response.headers["Cache-Control"] = "no-store"  # the body holds a secret
    return EnrollmentV1(
        till_id=enrollment.till_id,
        till_name=enrollment.till_name,
        store=_store(enrollment.store),
        credential=enrollment.credential,
        server_time=enrollment.server_time,
    )


@router.get("/me", responses=error_responses(status.HTTP_401_UNAUTHORIZED))
def me(till: CurrentTill) -> TillV1:
    """The till this credential belongs to: a till checks its enrollment with this."""
    return TillV1(
        till_id=till.id, till_name=till.name, store=_store(till.store), enrolled_at=till.enrolled_at
    )


def _store(store: StoreRecord) -> StoreV1:
    return StoreV1(id=store.id, name=store.name)
