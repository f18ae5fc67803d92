"""The Qt binding keeps Python's reference counts right: a PySide6 that drops a reference to
None on each void call (6.12.0 on CPython 3.11) aborts the till after some hundreds of scans
("Fatal Python error: none_dealloc" / "bool_dealloc"), so such a release fails here."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

CALLS = 1_000


class _Flag(QObject):
    raised = Signal(bool)


def test_a_thousand_void_calls_and_signals_leave_the_counts_of_none_and_true_as_they_were(
    qtbot: QtBot,
) -> None:
    label, flag = QLabel(), _Flag()
    qtbot.addWidget(label)
    seen = [0]

    def count(_raised: bool) -> None:
        seen[0] += 1

    flag.raised.connect(count)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        label.setText("Анна Смирнова")
        flag.raised.emit(True)
    # A few references may come and go meanwhile; a binding that loses them loses 1,000.
    assert abs(sys.getrefcount(None) - none_before) < CALLS // 10
    assert abs(sys.getrefcount(True) - true_before) < CALLS // 10
    assert seen[0] == CALLS
