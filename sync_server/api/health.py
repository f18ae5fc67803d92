"""Health check for load balancers and operators: 200 when the database answers, else 503."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from sync_server import __version__
from sync_server.api.schemas.v1.health import DatabaseHealthV1, HealthV1
from sync_server.deps import DatabaseProbeDep
from sync_server.services.health import HealthReport, check_health

router = APIRouter(tags=["operations"])


@router.get(
    "/health",
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthV1}},
)
def health(probe: DatabaseProbeDep, response: Response) -> HealthV1:
    report = check_health(probe, __version__)
    if not report.healthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return _to_wire(report)


def _to_wire(report: HealthReport) -> HealthV1:
    database = report.database
    return HealthV1(
        status="ok" if report.healthy else "unavailable",
        version=report.version,
        database=DatabaseHealthV1(
            backend=database.backend,
            reachable=database.reachable,
            schema_revision=database.schema_revision,
        ),
    )
