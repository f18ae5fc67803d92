"""The task manager: results come back on the GUI thread; a cancelled operation delivers nothing."""

from __future__ import annotations

import logging
import threading

import pytest
from pytestqt.qtbot import QtBot

from pos_client.tasks import Lane, Op, TaskManager


def test_an_operation_cancelled_before_it_ran_calls_no_handler_and_logs_no_error(
    qtbot: QtBot, tasks: TaskManager, caplog: pytest.LogCaptureFixture
) -> None:
    gate = threading.Event()
    tasks.submit(Lane.DB, lambda: gate.wait(10), lambda _ok: None, lambda _exc: None)
    called: list[object] = []
    queued = Op(tasks, lambda: 1).success(called.append).failure(called.append).run()
    after = Op(tasks, lambda: 2).success(called.append).run()

    assert queued.cancel()
    gate.set()

    qtbot.waitUntil(lambda: called == [2])
    assert after.done() and not tasks.busy
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
