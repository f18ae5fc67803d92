"""Schema migrations for the server database, without an alembic.ini.

``upgrade_to_head`` is what ``sync-server migrate`` and the server's start-up call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from sync_server.adapters.database import create_database_engine

SCRIPT_LOCATION = "migrations:server"  # package resource: works from a wheel too
# Any constant shared by every server process: two servers starting at once on
# one PostgreSQL database migrate one after the other, not on top of each other.
_MIGRATION_LOCK_KEY = 0x5E12_7E12


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError("the server migrations have no head revision")
    return head


def upgrade_to_head(engine_or_url: Engine | str) -> None:
    upgrade_to(engine_or_url, "head")


def upgrade_to(engine_or_url: Engine | str, revision: str) -> None:
    with _migration_connection(engine_or_url) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade_to(engine_or_url: Engine | str, revision: str) -> None:
    with _migration_connection(engine_or_url) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migration_connection(engine_or_url: Engine | str) -> Iterator[Connection]:
    """One transaction for the whole migration, serialized between servers."""
    if isinstance(engine_or_url, str):
        engine, owns_engine = create_database_engine(engine_or_url), True
    else:
        engine, owns_engine = engine_or_url, False
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            yield connection
    finally:
        if owns_engine:
            engine.dispose()
