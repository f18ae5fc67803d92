"""The app factory: ``create_app(settings)`` builds a FastAPI app; nothing connects
until its lifespan starts, which builds the engine, migrates if configured, and
wires adapters to the ports routes use.

``app_from_environment`` is the same with settings read from ``LOYALTY_SERVER_*``:
uvicorn's worker processes each import and call it (``sync-server serve --workers N``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from sync_server import __version__
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.database_errors import is_database_unavailable
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.adapters.probe import SqlDatabaseProbe
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.api.body_limit import BodySizeLimitMiddleware
from sync_server.api.dashboard import STATIC
from sync_server.api.errors import (
    domain_error_response,
    error_responses,
    install_error_handlers,
    unexpected_error_response,
)
from sync_server.api.rate_limit import RateLimit
from sync_server.api.router import api_router
from sync_server.context import ServerContext
from sync_server.services.unit_of_work import DatabaseUnavailableError
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings) -> FastAPI:
    app = FastAPI(
        title="Loyalty sync server",
        version=__version__,
        openapi_url="/openapi.json",
        lifespan=_lifespan(settings),
        # Any endpoint may answer these; a route's own entry for a status wins.
        responses=error_responses(
            status.HTTP_413_CONTENT_TOO_LARGE,
            status.HTTP_500_INTERNAL_SERVER_ERROR,
            status.HTTP_503_SERVICE_UNAVAILABLE,
        ),
    )
    app.include_router(api_router)
    app.mount("/dashboard/static", StaticFiles(directory=STATIC), name="dashboard-static")
    install_error_handlers(app)
    # Outside the routes and their error handlers: a body over the limit is never parsed.
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_push_body_bytes=settings.max_push_body_bytes,
    )
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.state.enrollment_rate_limit = RateLimit(
        settings.enroll_rate, settings.rate_limit_storage, name="enrollment"
    )
    app.state.sign_in_rate_limit = RateLimit(
        settings.sign_in_rate, settings.rate_limit_storage, name="sign-in"
    )
    return app


def app_from_environment() -> FastAPI:
    """``create_app`` with settings from the environment, for ``uvicorn --factory``."""
    settings = ServerSettings()
    if not logging.getLogger().handlers:  # a worker process starts with no logging set up
        logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s: %(message)s")
    return create_app(settings)


async def _database_error(request: Request, error: Exception) -> JSONResponse:
    """A driver error that reached a route without a unit of work translating it."""
    if is_database_unavailable(error):
        log.warning(
            "database unavailable for %s %s: %s",
            request.method,
            request.url.path,
            type(getattr(error, "orig", None) or error).__name__,
        )
        return domain_error_response(DatabaseUnavailableError())
    log.error("database error in %s %s", request.method, request.url.path, exc_info=error)
    return unexpected_error_response()


def build_context(settings: ServerSettings, engine: Engine) -> ServerContext:
    sessions = session_factory(engine)
    reading_sessions = session_factory(engine, read_only=True)
    return ServerContext(
        settings=settings,
        database_probe=SqlDatabaseProbe(engine),
        start_unit_of_work=lambda: SqlAlchemyUnitOfWork(sessions),
        start_reading_unit_of_work=lambda: SqlAlchemyUnitOfWork(reading_sessions),
    )


def _lifespan(
    settings: ServerSettings,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info(
            "sync server %s (%s) on %s",
            __version__,
            settings.environment.value,
            make_url(settings.database_url).render_as_string(hide_password=True),
        )
        engine = create_database_engine(settings.database_url)
        try:
            if settings.migrate_on_startup:
                await to_thread.run_sync(upgrade_to_head, engine)
            app.state.context = build_context(settings, engine)
            yield
        finally:
            engine.dispose()

    return lifespan
