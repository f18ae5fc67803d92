"""FastAPI dependency aliases for routes: ``def view(uow: UnitOfWorkDep) -> ...``.

They resolve to ports, never to SQLAlchemy objects: import-linter forbids
``sync_server.api`` to import sqlalchemy even indirectly, so a ``SessionDep`` here
would break that contract. Routes get a unit of work and pass it to a service.
``CurrentTill`` authenticates the calling till; future ``CurrentStaff`` belongs here too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync_server.context import ServerContext
from sync_server.services.health import DatabaseProbe
from sync_server.services.till_auth import authenticate_till
from sync_server.services.tills import TillRecord
from sync_server.services.unit_of_work import UnitOfWork
from sync_server.settings import ServerSettings


def get_context(request: Request) -> ServerContext:
    context = getattr(request.app.state, "context", None)
    if not isinstance(context, ServerContext):
        raise RuntimeError("no server context: start the app so its lifespan runs")
    return context


ContextDep = Annotated[ServerContext, Depends(get_context)]


def get_settings(context: ContextDep) -> ServerSettings:
    return context.settings


def get_database_probe(context: ContextDep) -> DatabaseProbe:
    return context.database_probe


def get_unit_of_work(context: ContextDep) -> UnitOfWork:
    return context.start_unit_of_work()


SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
DatabaseProbeDep = Annotated[DatabaseProbe, Depends(get_database_probe)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]


# auto_error=False: a missing or non-Bearer header reaches authenticate_till, which
# refuses it with 401 and an ErrorV1 body like every other refusal.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="TillCredential",
    description="The credential a till received when it enrolled.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_current_till(context: ContextDep, bearer: BearerDep) -> TillRecord:
    """The enrolled till calling; 401 for a missing, unknown or revoked credential."""
    credential = bearer.credentials if bearer is not None else None
    return authenticate_till(credential, context.start_reading_unit_of_work())


CurrentTill = Annotated[TillRecord, Depends(get_current_till)]
