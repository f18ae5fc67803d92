"""Server migrations on real SQLite and PostgreSQL: every path to head works, and
the tables the code declares are exactly the tables the migrations build."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from sync_server.adapters.migrate import (
    current_revision,
    downgrade_to,
    head_revision,
    script_directory,
    upgrade_to,
    upgrade_to_head,
)
from sync_server.adapters.models import metadata

# Oldest first, read from the migration scripts themselves: a new revision is covered
# without touching this file.
REVISIONS = [script.revision for script in reversed(list(script_directory().walk_revisions()))]


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_history_is_one_straight_line() -> None:
    assert len(script_directory().get_heads()) == 1
    assert REVISIONS[-1] == head_revision()


def test_upgrade_from_empty_builds_every_table(engine: Engine) -> None:
    assert current_revision(engine) is None

    upgrade_to_head(engine)

    assert current_revision(engine) == head_revision()
    assert table_names(engine) == set(metadata.tables)


@pytest.mark.parametrize("start", REVISIONS)
def test_upgrade_from_each_earlier_revision_reaches_head(engine: Engine, start: str) -> None:
    upgrade_to(engine, start)
    assert current_revision(engine) == start

    upgrade_to_head(engine)

    assert current_revision(engine) == head_revision()
    assert table_names(engine) == set(metadata.tables)


def test_models_match_migrations(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_upgrading_an_up_to_date_database_changes_nothing(migrated_engine: Engine) -> None:
    upgrade_to_head(migrated_engine)

    assert current_revision(migrated_engine) == head_revision()


def test_downgrade_to_empty_and_back(migrated_engine: Engine) -> None:
    downgrade_to(migrated_engine, "base")
    assert table_names(migrated_engine) == set()

    upgrade_to_head(migrated_engine)
    assert table_names(migrated_engine) == set(metadata.tables)


def test_change_feed_starts_at_position_zero(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        rows = connection.execute(text("SELECT id, last_position FROM change_feed_counter")).all()

    assert [tuple(row) for row in rows] == [(1, 0)]


def test_two_servers_starting_at_once_both_migrate_cleanly(engine: Engine) -> None:
    """Two server processes on one fresh database: one migrates, the other waits
    for it and then finds nothing to do; neither fails."""
    start_together = threading.Barrier(2)
    errors: list[BaseException] = []

    def start_server() -> None:
        start_together.wait()
        try:
            upgrade_to_head(engine)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start_server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert current_revision(engine) == head_revision()
    assert table_names(engine) == set(metadata.tables)
