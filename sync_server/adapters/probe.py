"""Database reachability and schema revision, for ``/health``."""

from __future__ import annotations

import logging

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sync_server.adapters.database import READ_ONLY
from sync_server.services.health import DatabaseStatus

log = logging.getLogger(__name__)


class SqlDatabaseProbe:
    """Opens a pooled connection and reads the Alembic revision: if that works,
    the database is reachable and we know which schema it has."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def backend(self) -> str:
        return self._engine.dialect.name

    def check(self) -> DatabaseStatus:
        try:
            with self._engine.connect().execution_options(**READ_ONLY) as connection:
                revision = MigrationContext.configure(connection).get_current_revision()
        except SQLAlchemyError as error:
            # The URL may hold a password: log the error class only.
            log.warning("database unreachable: %s", type(getattr(error, "orig", error)).__name__)
            return DatabaseStatus(backend=self.backend, reachable=False, schema_revision=None)
        return DatabaseStatus(backend=self.backend, reachable=True, schema_revision=revision)
