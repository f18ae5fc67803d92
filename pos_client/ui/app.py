"""The Qt application: translations, style, the main window, and an orderly shutdown."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSize,
    QTranslator,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

import resources

TRANSLATIONS = Path(resources.__file__).parent / "translations"
STYLES = Path(resources.__file__).parent / "styles"


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Load our Russian catalogue (English is the source language) and Qt's own."""
    loaded: list[QTranslator] = []
    if language == "en":
        return loaded
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS / f"till_{language}.qm")):
        app.installTranslator(ours)
        loaded.append(ours)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt_own)
        loaded.append(qt_own)
    return loaded


def set_scale(scale: float) -> None:
    """Everything larger on a touch screen (``ui_scale`` 1.25, 1.5...): Qt scales the whole
    window, type and touch targets alike. Call before the application exists."""
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"


def application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Loyalty Till")
    app.setOrganizationName("loyalty-till")
    return app


def apply_style(app: QApplication, name: str = "till") -> None:
    """A light, high-contrast look with large type for a busy counter."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSize(12)
    app.setFont(font)
    sheet = STYLES / f"{name}.qss"
    if sheet.exists():
        app.setStyleSheet(sheet.read_text(encoding="utf-8"))


def remove_translations(app: QApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def delete_now(*objects: QObject) -> None:
    """Delete Qt objects at once; call it on the GUI thread, once nothing will use them.

    A QObject without a parent is deleted when its Python wrapper is freed, and a wrapper
    that some reference cycle still reaches is freed by the garbage collector on whichever
    thread it runs, a worker's among them: deleting a window or a task manager there
    crashes. Deleted here first, they leave only empty wrappers, safe to free anywhere.
    """
    if not objects:
        return
    for obj in objects:
        obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def end_application() -> None:
    """Destroy the QApplication now, once its window and workers are gone and the process
    is about to end: Qt's last objects go while Python is whole, not during the
    interpreter's exit, when modules are half torn down and the garbage collector frees
    whatever wrappers are left."""
    app = QCoreApplication.instance()
    if app is not None:
        app.shutdown()


PREFERRED_SIZE = QSize(1280, 800)  # the window's size on a screen that has room for it


def fitted_size(available: QSize, preferred: QSize = PREFERRED_SIZE) -> QSize:
    """The window's size on a screen with ``available`` room: the preferred size, made
    smaller to fit (a 1366×768 or 1024×768 screen keeps the status bar in view)."""
    return preferred.boundedTo(available)


def show_main_window(window: QWidget, mode: str) -> None:
    """Open the till's window as the settings say (``WindowMode``'s values)."""
    if mode == "fullscreen":
        window.showFullScreen()
        return
    if mode == "maximized":
        window.showMaximized()
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry()
    window.resize(fitted_size(room.size()))
    frame = window.frameGeometry()
    frame.moveCenter(room.center())
    window.move(frame.topLeft())
    window.show()
