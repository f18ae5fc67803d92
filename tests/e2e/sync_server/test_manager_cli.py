"""The operator's commands for the managers' dashboard: ``add-manager`` (the password asked,
or read from ``LOYALTY_MANAGER_PASSWORD``, never on the command line) and
``set-store-timezone``; bad input is refused with its reason and changes nothing."""

from __future__ import annotations

import subprocess

from sqlalchemy import select

from sync_server.adapters.database import create_database_engine
from sync_server.adapters.models import Manager, ManagerStore, Store
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.clock import utc_now
from sync_server.services.manager_auth import sign_in
from tests.e2e.sync_server.test_cli import START_DEADLINE_S, clean_environment, sync_server_command

PASSWORD = "a long enough password"


def _run(
    database_url: str, *args: str, password: str = PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = {**clean_environment(), "LOYALTY_MANAGER_PASSWORD": password}
    return subprocess.run(
        [*sync_server_command(), *args, "--database-url", database_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE_S,
        check=False,
    )


def test_a_store_manager_is_added_for_their_stores_and_signs_in(database_url: str) -> None:
    assert _run(database_url, "enrollment-code", "--store", "Lenina 5").returncode == 0
    added = _run(
        database_url, "add-manager", "--login", "Ivan", "--name", "Иван", "--stores", "Lenina 5"
    )
    assert added.returncode == 0, added.stderr
    assert "manager 'ivan'" in added.stdout and "store_manager, sees Lenina 5" in added.stdout
    assert PASSWORD not in added.stdout + added.stderr
    engine = create_database_engine(database_url)
    try:
        uow = SqlAlchemyUnitOfWork(session_factory(engine))
        viewer = sign_in("ivan", PASSWORD, uow, now=utc_now()).viewer
        with uow:
            store = uow.session.scalars(select(Store.id).where(Store.name == "Lenina 5")).one()
        assert viewer.store_ids == (store,) and viewer.name == "Иван"

        zone = _run(
            database_url, "set-store-timezone", "--store", "Lenina 5", "--timezone", "Asia/Omsk"
        )
        assert zone.returncode == 0, zone.stderr
        with uow:
            assert uow.session.scalars(select(Store.timezone)).one() == "Asia/Omsk"
    finally:
        engine.dispose()


def test_bad_input_is_refused_with_its_reason_and_adds_nobody(database_url: str) -> None:
    assert _run(database_url, "enrollment-code", "--store", "Lenina 5").returncode == 0
    for args, password, reason in (
        (("--login", "olga", "--role", "owner"), "short", "at least 10 characters"),
        (("--login", "ivan", "--stores", "No such shop"), PASSWORD, "no store named No such shop"),
        (("--login", "ivan"), PASSWORD, "a store manager needs --stores"),
    ):
        refused = _run(database_url, "add-manager", *args, password=password)
        assert refused.returncode == 2 and reason in refused.stderr, refused.stderr
    bad_zone = _run(
        database_url, "set-store-timezone", "--store", "Lenina 5", "--timezone", "Mars/Olympus"
    )
    assert bad_zone.returncode == 2 and "no time zone Mars/Olympus" in bad_zone.stderr
    engine = create_database_engine(database_url)
    try:
        with SqlAlchemyUnitOfWork(session_factory(engine)) as uow:
            assert uow.session.scalars(select(Manager)).all() == []
            assert uow.session.scalars(select(ManagerStore)).all() == []
            assert uow.session.scalars(select(Store.timezone)).one() == "Europe/Moscow"
    finally:
        engine.dispose()
