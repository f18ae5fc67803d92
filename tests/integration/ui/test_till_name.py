"""One name for the till: the window's title says the name it enrolled under (before
enrolling, the very name enrolling will give it), and the store the server says it is in.
A real server on loopback (SQLite), real enrollment over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_client.__main__ import till_identity
from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_data
from pos_client.services.enrollment import default_till_name, enroll_till
from pos_client.tasks import TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.main_window import MainWindow
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, ServerSettings]]:
    settings = ServerSettings(database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with running_server(settings) as url:
        yield url, settings


def _title(qtbot: QtBot, till: Till, tasks: TaskManager) -> str:
    """The title of a window opened on the till as it is now."""
    window = MainWindow(till.services, tasks, till_identity(till))
    try:
        window.show()
        qtbot.waitUntil(lambda: window.login.staff.count() == 3)
        return window.windowTitle()
    finally:
        qtbot.waitUntil(lambda: not tasks.busy)
        window.close()
        delete_now(window)


def _enroll(till: Till, url: str, settings: ServerSettings, name: str | None) -> str:
    code = issue_code(settings, "Main street")
    services = till.services
    result = enroll_till(url, code, name, services.uows.writing(), services.ctx, ServerClient())
    return result.till_name


def test_the_title_names_the_till_as_enrolling_without_a_name_will(
    qtbot: QtBot, till: Till, tasks: TaskManager, server: tuple[str, ServerSettings]
) -> None:
    before = _title(qtbot, till, tasks)

    enrolled_as = _enroll(till, *server, name=None)

    assert enrolled_as == default_till_name(till.services.ctx.till_id)
    assert before == f"{demo_data()['store']['name']} — {enrolled_as}"
    assert _title(qtbot, till, tasks) == f"Main street — {enrolled_as}"  # the server's store


def test_the_title_names_the_till_as_it_was_enrolled(
    qtbot: QtBot, till: Till, tasks: TaskManager, server: tuple[str, ServerSettings]
) -> None:
    enrolled_as = _enroll(till, *server, name="Till 2 by the door")

    assert enrolled_as == "Till 2 by the door"
    assert _title(qtbot, till, tasks) == "Main street — Till 2 by the door"
    assert till.services.ctx.till_id[:8] not in _title(qtbot, till, tasks)
