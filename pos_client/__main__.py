"""``pos-client``: the till. Settings in, window up, and an orderly shutdown on exit.

``run_till_to_exit(settings)`` is also what ``pos-admin demo`` calls. The screens get
``TillServices`` as their ``pos_client.ui.ports.TillPort``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from hardware import paper_columns
from hardware.scanners.wedge import WedgeSettings
from loyalty_core.staff import Role
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import InvalidSettingsError, TillMode, TillSettings, load_settings
from pos_client.device_tools import DeviceTools
from pos_client.print_runner import PrintRunner
from pos_client.scanner_bridge import ScannerBridge
from pos_client.services.demo_store import demo_data
from pos_client.services.enrollment import default_till_name, stored_enrollment
from pos_client.sync_runner import SyncRunner
from pos_client.tasks import TaskManager
from pos_client.ui.app import (
    application,
    apply_style,
    delete_now,
    end_application,
    install_translations,
    set_scale,
    show_main_window,
)
from pos_client.ui.main_window import MainWindow
from pos_client.ui.ports import TillIdentity
from pos_client.ui.receipt_composer import ReceiptComposer
from pos_client.ui.scanning import ScanHub, WedgeFilter

EXIT_BAD_SETTINGS = 2
# Set to N: the window closes N ms after the login screen lists the staff, as a cashier
# closing it would (the start-and-stop checks in tests/e2e/till).
CLOSE_AFTER_LOGIN_ENV = "POS_CLIENT_CLOSE_AFTER_LOGIN_MS"


def till_identity(till: Till) -> TillIdentity:
    """The store and till names for the title bar: those the till enrolled under (before
    enrolling, the name enrolling would give it); in demo mode also the staff PINs for the
    login screen."""
    till_id = till.services.ctx.till_id
    enrolled = stored_enrollment(till.services.uows.reading())
    name = enrolled.till_name if enrolled is not None else default_till_name(till_id)
    if till.settings.mode is not TillMode.DEMO:
        store = enrolled.store_name if enrolled is not None else ""
        store = store or QCoreApplication.translate("Main", "Loyalty till")
        return TillIdentity(store, till_id, name)
    data = demo_data()
    pins = tuple((p["name"], Role(p["role"]), p["pin"]) for p in data["staff"])
    store = enrolled.store_name if enrolled is not None else data["store"]["name"]
    return TillIdentity(store, till_id, name, pins)


def print_runner(till: Till, tasks: TaskManager, composer: ReceiptComposer) -> PrintRunner | None:
    """The print worker, when this till has a printer (or a printer URL that is wrong)."""
    settings = till.settings
    if not settings.printer_url.strip():
        return None
    return PrintRunner(
        till.services,
        till.printer,
        composer.compose,
        tasks,
        problem=till.printer_problem,
        stale_after=timedelta(minutes=settings.print_stale_minutes),
    )


def serial_scanner(settings: TillSettings) -> ScannerBridge | None:
    """The serial or USB-CDC scanner's reader, when a port is set."""
    return ScannerBridge(settings.scanner_url) if settings.scanner_url else None


def _qt_application(settings: TillSettings) -> QApplication:
    """Qt, scaled, in the till's language and style."""
    set_scale(settings.ui_scale)
    app = application([sys.argv[0]])
    install_translations(app, settings.language)
    apply_style(app)
    return app


def run_till(settings: TillSettings) -> int:
    """Bootstrap, show the window, run the event loop; then stop the workers and close the till."""
    till = bootstrap(settings)
    tasks: TaskManager | None = None
    runner: SyncRunner | None = None
    printing: PrintRunner | None = None
    window: MainWindow | None = None
    scans: ScanHub | None = None
    wedge: WedgeFilter | None = None
    serial: ScannerBridge | None = None
    try:
        app = _qt_application(settings)
        tasks = TaskManager()
        runner = SyncRunner(till.sync, tasks, interval_s=settings.sync_interval_s)
        composer = ReceiptComposer(
            survey_base_url=settings.survey_base_url, columns=paper_columns(settings.printer_url)
        )
        printing = print_runner(till, tasks, composer)
        scans = ScanHub()
        wedge = WedgeFilter(
            scans,
            WedgeSettings(
                max_gap_ms=settings.wedge_max_gap_ms, min_length=settings.wedge_min_length
            ),
        )
        serial = serial_scanner(settings)
        window = MainWindow(
            till.services,
            tasks,
            till_identity(till),
            sync=runner,
            printer=printing,
            devices=DeviceTools(till_scanner=serial),  # device settings (Ctrl+Shift+D)
            idle_lock_s=settings.idle_lock_minutes * 60,
            customer_display=settings.customer_display,
        )
        window.status.composer = composer  # F8 shows what the printer prints
        show_main_window(window, settings.window.value)
        if window.display is not None:
            window.display.place()
        scans.scanned.connect(window.checkout.take_scan)
        wedge.start(app)
        if serial is not None:
            serial.scanned.connect(scans.deliver)
            serial.state_changed.connect(window.status.show_scanner)
            serial.start()
        runner.start()
        if printing is not None:
            printing.start()
        close_after_login_when_asked(window)
        return _exec_with_ctrl_c(app)
    finally:
        if wedge is not None:
            wedge.stop()  # keys still held reach their fields; no scan after this
        if serial is not None:
            serial.stop()  # the reader thread has ended when this returns
        if window is not None:
            window.close()  # quit() ends the loop with the window open: closeEvent stops it
        if runner is not None:
            runner.stop()  # no new sync step; one under way finishes before the workers stop
        if printing is not None:
            printing.stop()  # a print under way finishes and records itself
        if tasks is not None:
            tasks.shutdown()  # worker threads must end before their engine closes
        # All go here, on the GUI thread, not when (and where) their last reference is freed.
        delete_now(
            *(
                qt
                for qt in (wedge, serial, scans, window, runner, printing, tasks)
                if qt is not None
            )
        )
        till.close()


def run_till_to_exit(settings: TillSettings) -> int:
    """``run_till`` for a process that ends with it (``pos-client``, the demo): the
    QApplication goes too, before the interpreter's exit."""
    try:
        return run_till(settings)
    finally:
        end_application()


def close_after_login_when_asked(
    window: MainWindow, environ: Mapping[str, str] = os.environ
) -> None:
    """With ``POS_CLIENT_CLOSE_AFTER_LOGIN_MS`` set, close ``window`` that long after its
    login screen has listed the staff."""
    delay = environ.get(CLOSE_AFTER_LOGIN_ENV, "").strip()
    if not delay.isdigit():
        return
    watch = QTimer(window)  # goes with the window

    def staff_listed() -> None:
        if window.login.staff.count() == 0:
            return
        watch.timeout.disconnect(staff_listed)
        watch.timeout.connect(window.close)
        watch.setSingleShot(True)
        watch.start(int(delay))

    watch.timeout.connect(staff_listed)
    watch.start(20)


def _exec_with_ctrl_c(app: QCoreApplication) -> int:
    """Run the event loop; Ctrl+C in the terminal quits it like closing the window."""
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()  # lets the interpreter run its signal handlers while Qt waits
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        # quit() may leave a Quit event queued; it would end the next event loop at once.
        QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pos-client", description="The loyalty till.")
    parser.add_argument("--data-dir", help="where the till keeps its database and logs")
    parser.add_argument("--language", help="screen language: ru or en")
    parser.add_argument("--server-url", help="the sync server, e.g. http://127.0.0.1:8765")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    overrides: dict[str, Any] = {
        name: value
        for name, value in (
            ("data_dir", args.data_dir),
            ("language", args.language),
            ("server_url", args.server_url),
        )
        if value is not None
    }
    try:
        settings = load_settings(**overrides)
    except InvalidSettingsError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_BAD_SETTINGS
    return run_till_to_exit(settings)


if __name__ == "__main__":
    sys.exit(main())
