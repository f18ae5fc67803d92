"""The app factory: ``create_app(settings)`` builds a FastAPI app; nothing connects
until its lifespan starts, which builds the engine, migrates if configured, and
wires adapters to the ports routes use."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from sync_server import __version__
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.adapters.probe import SqlDatabaseProbe
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.api.errors import install_error_handlers
from sync_server.api.router import api_router
from sync_server.context import ServerContext
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings) -> FastAPI:
    app = FastAPI(
        title="Loyalty sync server",
        version=__version__,
        openapi_url="/openapi.json",
        lifespan=_lifespan(settings),
    )
    app.include_router(api_router)
    install_error_handlers(app)
    return app


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
