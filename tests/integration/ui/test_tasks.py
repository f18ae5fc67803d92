"""The task manager: results come back on the GUI thread; a cancelled operation delivers nothing;
what an operation holds is freed on the GUI thread."""

from __future__ import annotations

import logging
import threading
import weakref

import pytest
from PySide6.QtCore import QObject
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


class _RefusedError(Exception):
    pass


def _refuse() -> None:
    refusal = _RefusedError("no")  # held by this frame while it propagates: a reference cycle
    raise refusal


def _run_op_holding(tasks: TaskManager, fails: bool, freed_on: list[str]) -> list[bool]:
    """An operation whose function and handlers capture a QObject nothing else holds."""
    owner = QObject()
    weakref.finalize(owner, lambda: freed_on.append(threading.current_thread().name))
    handled: list[bool] = []

    def work() -> str:
        if fails:
            _refuse()
        return owner.objectName()

    Op(tasks, work).success(lambda _name: handled.append(owner is not None)).failure(
        lambda _exc: handled.append(owner is not None)
    ).run()
    return handled


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
def test_what_an_operation_holds_is_freed_on_the_gui_thread_once_it_is_handled(
    qtbot: QtBot, tasks: TaskManager, fails: bool
) -> None:
    """A closure that captures a widget must not be freed by a worker, nor left in a cycle
    for the garbage collector to free on whatever thread it runs: either can delete a Qt
    object off the GUI thread."""
    freed_on: list[str] = []
    handled = _run_op_holding(tasks, fails, freed_on)

    qtbot.waitUntil(lambda: handled == [True])
    assert not tasks.busy
    assert freed_on == [threading.main_thread().name]  # at once: reference counting, no cycle
