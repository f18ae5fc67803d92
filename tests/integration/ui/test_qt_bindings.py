"""The Qt bindings keep Python's reference counts: PySide6 6.12.0 did not (its
``SignalInstance.emit()`` returned True without owning a reference), and a till that had
emitted a few hundred signals aborted on exit with "Fatal Python error: bool_dealloc".
pyproject.toml excludes that release; this fails at once on any release that does it again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

EMITS = 200


class _Source(QObject):
    fired = Signal(int)
    changed = Signal(object)


def test_emitting_signals_leaves_the_reference_counts_of_true_and_false_alone(
    qtbot: QtBot,
) -> None:
    source = _Source()
    received: list[object] = []
    source.fired.connect(received.append)
    source.changed.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)

    for number in range(EMITS):
        source.fired.emit(number)
        source.changed.emit(number % 2 == 0)

    received.clear()  # the False and True it held
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
