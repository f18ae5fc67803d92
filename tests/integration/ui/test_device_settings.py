"""The device settings screen on a real till window, real widgets and real devices: a loopback TCP
printer for the test page, a port nothing listens on for a printer that is off, a pseudo-terminal
for a serial scanner, and the till's settings file in tmp_path. Every wait is bounded."""

from __future__ import annotations

import os
import threading
import tomllib
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from hardware import open_printer
from hardware.test_receipt import build_test_receipt
from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till
from pos_client.device_tools import DeviceTools
from pos_client.scanner_bridge import ScannerBridge
from pos_client.services.device_config import supported_keys
from pos_client.tasks import TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.device_settings import DeviceSettingsDialog
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from tests.integration.hardware.fake_printers import LoopbackTcpPrinter, free_port
from tests.integration.ui.conftest import CASHIER, CASHIER_PIN, log_in

MANAGER, MANAGER_PIN = "Мария Иванова", "9999"
WAIT_MS = 15_000  # generous for a busy machine; only a failing test waits this long
FIRST_FILE = 'language = "en"\nprinter_url = "tcp://192.168.1.50:9100?profile=POS-5890"\n'


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "till.toml"
    path.parent.mkdir()
    path.write_text(FIRST_FILE, encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot: QtBot, till: Till, tasks: TaskManager, config_file: Path) -> Iterator[MainWindow]:
    """The till's window with the device tools over ``config_file``; closed and deleted on the
    GUI thread once every handler has run."""
    devices = DeviceTools(config_file, use_pyusb=False)
    window = MainWindow(till.services, tasks, till_identity(till), devices=devices)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.login.staff.count() == 3)
    yield window
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
    window.close()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)  # the scan test's stop
    delete_now(window)


def logged_in(qtbot: QtBot, window: MainWindow, name: str, pin: str) -> None:
    log_in(qtbot, window, name, pin)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)


def press_ctrl_shift_d(window: MainWindow) -> None:
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window.checkout.scan_bar.field, Qt.Key.Key_D, modifiers)


def opened(qtbot: QtBot, window: MainWindow) -> DeviceSettingsDialog:
    """Ctrl+Shift+D, and the screen once it has read the file."""
    before = window.device_settings
    window.activateWindow()  # offscreen, no window manager gives it back when a dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    press_ctrl_shift_d(window)
    qtbot.waitUntil(lambda: window.device_settings not in (None, before), timeout=WAIT_MS)
    dialog = window.device_settings
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT_MS)
    qtbot.waitUntil(dialog.detect_button.isEnabled, timeout=WAIT_MS)  # the search is back
    return dialog


def manager_dialog(qtbot: QtBot, window: MainWindow) -> DeviceSettingsDialog:
    logged_in(qtbot, window, MANAGER, MANAGER_PIN)
    return opened(qtbot, window)


def choose_printer(dialog: DeviceSettingsDialog, kind: str, address: str, options: str) -> None:
    dialog.printer_kind.setCurrentIndex(dialog.printer_kind.findData(kind))
    dialog.profile.setCurrentText("default")
    dialog.printer_address.setText(address)
    dialog.printer_options.setText(options)


def test_a_cashier_is_refused_in_the_status_bar(qtbot: QtBot, window: MainWindow) -> None:
    logged_in(qtbot, window, CASHIER, CASHIER_PIN)

    press_ctrl_shift_d(window)

    qtbot.waitUntil(lambda: window.status.currentMessage() != "")
    assert window.status.currentMessage() == "Only a manager can change the device settings."
    assert window.device_settings is None


def test_nobody_logged_in_is_refused_too(qtbot: QtBot, window: MainWindow) -> None:
    window.open_device_settings()

    assert window.status.currentMessage() == "Only a manager can change the device settings."
    assert window.device_settings is None


def test_a_manager_opens_it_on_what_the_file_says(qtbot: QtBot, window: MainWindow) -> None:
    dialog = manager_dialog(qtbot, window)

    assert dialog.printer_kind.currentData() == "tcp"
    assert dialog.printer_address.text() == "192.168.1.50:9100"
    assert dialog.profile.currentText() == "POS-5890"
    assert dialog.paper.currentData() is None  # as the profile says
    assert dialog.codepage.currentText() == "CP866"
    assert dialog.printer_url() == "tcp://192.168.1.50:9100?profile=POS-5890"
    assert dialog.printer_url_label.text() == dialog.printer_url()
    assert dialog.detected_printers.count() >= 1  # the search result, even "none found"


def test_a_test_print_reaches_the_printer_the_fields_describe(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = manager_dialog(qtbot, window)
    with LoopbackTcpPrinter() as printer:
        choose_printer(dialog, "tcp", f"127.0.0.1:{printer.port}", "timeout=5")
        dialog.paper.setCurrentIndex(dialog.paper.findData(32))
        url = dialog.printer_url()
        assert url == f"tcp://127.0.0.1:{printer.port}?columns=32&timeout=5"

        qtbot.mouseClick(dialog.test_print_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: not printer.jobs.empty(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: dialog.print_result.kind is Kind.SUCCESS, timeout=WAIT_MS)
        job = printer.jobs.get_nowait()
    expected = open_printer(url)
    page = build_test_receipt(expected.print_format, expected.name)
    assert job == expected.render(page)
    assert "1234567890123456789012345678901" in job.decode("cp866")  # the 32-column ruler
    assert dialog.print_result.text().startswith("The test page was printed")
    assert dialog.test_print_button.isEnabled()


def test_a_printer_that_is_off_is_said_so_in_plain_words(qtbot: QtBot, window: MainWindow) -> None:
    dialog = manager_dialog(qtbot, window)
    port = free_port()
    choose_printer(dialog, "tcp", f"127.0.0.1:{port}", "timeout=3")

    qtbot.mouseClick(dialog.test_print_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.print_result.kind is Kind.ERROR, timeout=WAIT_MS)
    assert dialog.print_result.text() == (
        "The printer does not answer: it is off or unplugged, or the address is wrong."
    )
    assert str(port) in dialog.print_result.toolTip()  # the technical reason, for the admin


def test_printer_settings_that_cannot_work_are_named(qtbot: QtBot, window: MainWindow) -> None:
    dialog = manager_dialog(qtbot, window)
    choose_printer(dialog, "tcp", "127.0.0.1:9100", "colums=32")

    qtbot.mouseClick(dialog.test_print_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.print_result.kind is Kind.ERROR, timeout=WAIT_MS)
    text = dialog.print_result.text()
    assert text.startswith("These printer settings cannot work: unknown option(s) colums")


class ScannerPty:
    """A serial scanner's end of a pseudo-terminal: the dialog opens ``path``, the test types."""

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)

    def send(self, data: bytes) -> None:
        os.write(self._master, data)

    def close(self) -> None:
        os.close(self._master)
        os.close(self._slave)


@pytest.fixture
def scanner_pty() -> Iterator[ScannerPty]:
    pty = ScannerPty()
    yield pty
    pty.close()


def scanner_threads(path: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"scanner {path}"]


def test_the_live_scan_test_shows_codes_as_they_come_and_stops_on_close(
    qtbot: QtBot, window: MainWindow, tasks: TaskManager, scanner_pty: ScannerPty
) -> None:
    dialog = manager_dialog(qtbot, window)
    dialog.scanner_port.setCurrentText(scanner_pty.path)

    qtbot.mouseClick(dialog.scan_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.scanner_connected, timeout=WAIT_MS)
    assert dialog.scanner_state.text() == "Scanner connected: scan a code."
    assert dialog.scan_test_button.text() == "Stop live scan test"
    scanner_pty.send(b"4600000000015\r\n")
    qtbot.waitUntil(lambda: dialog.scanned_codes.count() == 1, timeout=WAIT_MS)
    scanner_pty.send(b"2000000000017\r")
    qtbot.waitUntil(lambda: dialog.scanned_codes.count() == 2, timeout=WAIT_MS)

    assert [dialog.scanned_codes.item(i).text() for i in range(2)] == [
        "2000000000017",  # the newest on top
        "4600000000015",
    ]
    assert scanner_threads(scanner_pty.path)

    dialog.close()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
    assert scanner_threads(scanner_pty.path) == []
    assert not dialog.isVisible()


def test_the_scan_test_on_the_port_the_till_reads_listens_to_the_tills_own_scanner(
    qtbot: QtBot,
    till: Till,
    tasks: TaskManager,
    config_file: Path,
    scanner_pty: ScannerPty,
) -> None:
    # The till already reads this port: opening it a second time would fight over the codes.
    bridge = ScannerBridge(scanner_pty.path)
    till_codes: list[str] = []
    bridge.scanned.connect(till_codes.append)
    devices = DeviceTools(config_file, use_pyusb=False, till_scanner=bridge)
    window = MainWindow(till.services, tasks, till_identity(till), devices=devices)
    try:
        window.show()
        bridge.start()
        qtbot.waitUntil(lambda: bridge.state.connected, timeout=WAIT_MS)
        dialog = manager_dialog(qtbot, window)
        dialog.scanner_port.setCurrentText(scanner_pty.path)
        qtbot.mouseClick(dialog.scan_test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.scanner_connected, timeout=WAIT_MS)
        scanner_pty.send(b"4600000000015\r\n")
        qtbot.waitUntil(lambda: dialog.scanned_codes.count() == 1, timeout=WAIT_MS)
        assert dialog.scanned_codes.item(0).text() == "4600000000015"
        assert len(scanner_threads(scanner_pty.path)) == 1  # the till's reader, no second one

        dialog.close()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
        assert bridge.running  # the till keeps its scanner
        scanner_pty.send(b"2000000000017\r\n")
        qtbot.waitUntil(lambda: till_codes[-1:] == ["2000000000017"], timeout=WAIT_MS)
        assert dialog.scanned_codes.count() == 1  # the test no longer listens
    finally:
        qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
        window.close()
        bridge.stop()
        delete_now(window)
    assert scanner_threads(scanner_pty.path) == []


def test_the_scan_test_can_be_stopped_and_started_again(
    qtbot: QtBot, window: MainWindow, tasks: TaskManager, scanner_pty: ScannerPty
) -> None:
    dialog = manager_dialog(qtbot, window)
    dialog.scanner_port.setCurrentText(scanner_pty.path)
    qtbot.mouseClick(dialog.scan_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.scanner_connected, timeout=WAIT_MS)

    qtbot.mouseClick(dialog.scan_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT_MS)
    assert scanner_threads(scanner_pty.path) == []
    assert dialog.scanner_state.text() == "Scan test stopped."

    qtbot.mouseClick(dialog.scan_test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.scanner_connected, timeout=WAIT_MS)
    scanner_pty.send(b"123456\n")
    qtbot.waitUntil(lambda: dialog.scanned_codes.count() == 1, timeout=WAIT_MS)
    assert dialog.scanned_codes.item(0).text() == "123456"


def test_save_writes_the_file_says_restart_and_reopening_shows_it(
    qtbot: QtBot, window: MainWindow, config_file: Path
) -> None:
    dialog = manager_dialog(qtbot, window)
    choose_printer(dialog, "serial", "/dev/ttyUSB0", "baudrate=19200")
    dialog.profile.setCurrentText("TM-T20II")
    dialog.paper.setCurrentIndex(dialog.paper.findData(48))
    dialog.codepage.setCurrentText("CP1251")
    scanner_keys = supported_keys() >= {"scanner_url", "wedge_max_gap_ms", "wedge_min_length"}
    dialog.scanner_port.setCurrentText("/dev/ttyACM0")
    dialog.wedge_gap.setValue(45)
    dialog.wedge_length.setValue(6)
    url = "serial:///dev/ttyUSB0?profile=TM-T20II&codepage=CP1251&columns=48&baudrate=19200"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.message.kind is Kind.SUCCESS, timeout=WAIT_MS)
    assert dialog.message.text() == (
        f"Saved in {config_file}. Restart the till to use the new settings."
    )
    saved = tomllib.loads(config_file.read_text(encoding="utf-8"))
    assert saved["printer_url"] == url
    assert saved["language"] == "en"  # the file's other keys are kept
    if scanner_keys:
        assert (saved["scanner_url"], saved["wedge_max_gap_ms"], saved["wedge_min_length"]) == (
            "/dev/ttyACM0",
            45,
            6,
        )
    else:
        assert "scanner_url" not in saved

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    again = opened(qtbot, window)

    assert again is not dialog
    assert again.printer_url() == url
    assert again.printer_kind.currentData() == "serial"
    assert again.printer_address.text() == "/dev/ttyUSB0"
    assert again.profile.currentText() == "TM-T20II"
    assert again.paper.currentData() == 48
    assert again.codepage.currentText() == "CP1251"
    assert again.printer_options.text() == "baudrate=19200"
    if scanner_keys:
        assert again.scanner_port.currentText() == "/dev/ttyACM0"
        assert (again.wedge_gap.value(), again.wedge_length.value()) == (45, 6)


def test_a_bad_printer_url_is_refused_and_the_file_stays_as_it_was(
    qtbot: QtBot, window: MainWindow, config_file: Path
) -> None:
    dialog = manager_dialog(qtbot, window)
    choose_printer(dialog, "tcp", "192.168.1.50:99999", "")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.message.kind is Kind.ERROR, timeout=WAIT_MS)
    assert dialog.message.text().startswith(
        "The printer address tcp://192.168.1.50:99999 cannot work: bad host:port"
    )
    assert dialog.message.text().endswith("Nothing was saved.")
    assert config_file.read_text(encoding="utf-8") == FIRST_FILE
    assert dialog.save_button.isEnabled()


def test_a_manager_logging_out_closes_it(qtbot: QtBot, window: MainWindow) -> None:
    dialog = manager_dialog(qtbot, window)

    window.log_out()

    assert not dialog.isVisible()
    assert window.screens.currentWidget() is window.login
