"""The ``pos-client`` entry point: settings refusals, and a full start and orderly stop."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_client.__main__ import EXIT_BAD_SETTINGS, main, run_till
from pos_client.config import load_settings
from pos_client.ui.main_window import MainWindow


def test_a_bad_language_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "--language", "de"]) == EXIT_BAD_SETTINGS

    err = capsys.readouterr().err
    assert "Invalid till settings" in err
    assert "language must be 'ru' or 'en'" in err
    assert not (tmp_path / "till.sqlite3").exists()  # nothing was started


def test_a_bad_server_url_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "--server-url", "ftp://x"]) == EXIT_BAD_SETTINGS

    assert "server_url must start with http:// or https://" in capsys.readouterr().err


@pytest.fixture
def restored_app(qapp: QApplication) -> Iterator[QApplication]:
    """run_till styles the (shared) application and logs to a file: undo both afterwards."""
    style, sheet, font = qapp.style().name(), qapp.styleSheet(), qapp.font()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setStyle(style)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_run_till_shows_the_window_then_stops_every_worker(
    restored_app: QApplication, tmp_path: Path, qtbot: QtBot
) -> None:
    settings = load_settings(data_dir=tmp_path, language="en")
    shown: list[str] = []
    devices: list[bool] = []

    def look_and_quit() -> None:
        windows = [
            w for w in restored_app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        shown.extend(w.windowTitle() for w in windows)
        devices.extend(w._devices is not None for w in windows)  # Ctrl+Shift+D can open
        restored_app.quit()

    QTimer.singleShot(0, look_and_quit)
    assert run_till(settings) == 0

    assert len(shown) == 1 and " — Till " in shown[0]  # the name enrolling will give it
    assert devices == [True]
    assert [t.name for t in threading.enumerate() if t.name.startswith("till-")] == []
    assert (tmp_path / "till.sqlite3").exists()
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired))  # the application still runs event loops afterwards
