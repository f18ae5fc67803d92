"""Database reachability and schema revision, for ``/health``."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from sync_server.adapters.database import READ_ONLY
from sync_server.services.health import DatabaseStatus

log = logging.getLogger(__name__)

# Alembic's bookkeeping table; read with plain SQL, because Alembic's MigrationContext
# logs two INFO lines ("Context impl …", "Will assume …") every time it is configured.
VERSION_TABLE = "alembic_version"


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
                revision = None
                if inspect(connection).has_table(VERSION_TABLE):
                    revision = connection.execute(
                        text(f"SELECT version_num FROM {VERSION_TABLE}")
                    ).scalar()
        except SQLAlchemyError as error:
            # The URL may hold a password: log the error class only.
            log.warning("database unreachable: %s", type(getattr(error, "orig", error)).__name__)
            return DatabaseStatus(backend=self.backend, reachable=False, schema_revision=None)
        return DatabaseStatus(backend=self.backend, reachable=True, schema_revision=revision)
