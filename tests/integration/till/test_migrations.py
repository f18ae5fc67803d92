"""The till's Alembic history: every revision upgrades to head, and head matches the models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from pos_client.adapters import migrate
from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.adapters.tables import Base


def test_upgrade_from_empty_creates_every_table(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3")
    migrate.upgrade(engines.write)
    tables = set(inspect(engines.write).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert migrate.current_revision(engines.write) == migrate.head_revision()
    engines.dispose()


@pytest.mark.parametrize("start", migrate.revisions())
def test_upgrade_from_each_revision_reaches_head(tmp_path: Path, start: str) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3")
    migrate.upgrade(engines.write, start)
    assert migrate.current_revision(engines.write) == start
    migrate.upgrade(engines.write)
    assert migrate.current_revision(engines.write) == migrate.head_revision()
    engines.dispose()


def test_head_schema_matches_the_models(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3")
    migrate.upgrade(engines.write)
    with engines.write.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engines.dispose()


def test_upgrading_twice_changes_nothing(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3")
    migrate.upgrade(engines.write)
    before = sorted(inspect(engines.write).get_table_names())
    migrate.upgrade(engines.write)
    assert sorted(inspect(engines.write).get_table_names()) == before
    engines.dispose()


def test_the_newest_revision_by_file_name_is_alembics_head() -> None:
    assert migrate.head_by_file_name() == migrate.head_revision()


def test_a_till_at_head_starts_without_alembic_and_one_behind_is_upgraded(tmp_path: Path) -> None:
    engines = create_till_engines(tmp_path / "till.sqlite3")
    migrate.upgrade(engines.write, migrate.revisions()[-2])
    migrate.upgrade_to_head(engines.write)  # one behind: upgraded
    assert migrate.current_revision(engines.write) == migrate.head_revision()
    engines.dispose()
    # At head, a fresh process starts without importing alembic at all.
    code = (
        "import sys; from pathlib import Path; "
        "from pos_client.adapters.sqlite_engine import create_till_engines; "
        "from pos_client.adapters import migrate; "
        f"e = create_till_engines(Path({str(tmp_path / 'till.sqlite3')!r})); "
        "migrate.upgrade_to_head(e.write); e.dispose(); "
        "print('alembic' in sys.modules)"
    )
    started = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert started.stdout.strip() == "False"
