"""What the device settings screen does with the devices and the settings file.

The screen (``pos_client.ui.device_settings``) may not import printer or serial drivers, so it
is handed this object as its ``DevicePort``. Every method blocks except ``start_scanner``
(the scanner reads on its own thread): the screen calls them through ``pos_client.tasks.Op``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import serial
from PySide6.QtCore import QObject

from hardware import (
    DetectedDevices,
    ScannerState,
    SerialScanner,
    detect_devices,
    open_printer,
    print_test_receipt,
)
from pos_client.config import default_config_file
from pos_client.scanner_bridge import ScannerBridge
from pos_client.services.device_config import (
    DeviceConfig,
    DeviceSettings,
    SavedDevices,
    read_device_settings,
    save_device_settings,
)


class DeviceTools:
    """``DevicePort`` for the real till: its config file, its printers and ports."""

    def __init__(
        self,
        config_file: Path | None = None,
        *,
        use_pyusb: bool = True,
        till_scanner: ScannerBridge | None = None,
    ) -> None:
        self.config_file = config_file or default_config_file()
        self._use_pyusb = use_pyusb
        self._till_scanner = till_scanner  # the serial scanner the till itself reads, if any

    def current(self) -> DeviceConfig:
        return read_device_settings(self.config_file)

    def save(self, settings: DeviceSettings) -> SavedDevices:
        return save_device_settings(
            self.config_file, settings, check_printer=open_printer, check_scanner=_check_port
        )

    def detect(self) -> DetectedDevices:
        return detect_devices(use_pyusb=self._use_pyusb)

    def test_print(self, printer_url: str) -> None:
        """The test page on the printer at ``printer_url``; raises a PrinterError saying why not."""
        print_test_receipt(printer_url)

    def start_scanner(
        self,
        port: str,
        on_scan: Callable[[str], None],
        on_state: Callable[[bool, str], None],
    ) -> SerialScanner | TillScannerTap:
        """A serial scanner reading ``port``; its callbacks come on its reader thread.

        Returns at once (the port is opened on that thread); ``stop()`` it (it blocks briefly).
        The port the till's own scanner holds is not opened twice: the test listens to the
        till's scanner instead (call this on the GUI thread, as the screen does).
        """
        till = self._till_scanner
        if till is not None and till.running and port == till.url:
            return TillScannerTap(till, on_scan, on_state)

        def state(change: ScannerState) -> None:
            on_state(change.connected, change.reason)

        scanner = SerialScanner(port, on_state=state)
        scanner.start(on_scan)
        return scanner


class TillScannerTap(QObject):
    """The live scan test on the till's own scanner: its codes and states, copied to the test
    until ``stop()`` (from any thread: Qt's disconnect is thread-safe)."""

    def __init__(
        self,
        bridge: ScannerBridge,
        on_scan: Callable[[str], None],
        on_state: Callable[[bool, str], None],
    ) -> None:
        super().__init__()
        self._bridge, self._on_scan, self._on_state = bridge, on_scan, on_state
        bridge.scanned.connect(self._code)
        bridge.state_changed.connect(self._state)
        on_state(bridge.state.connected, bridge.state.reason)

    def _code(self, code: str) -> None:
        self._on_scan(code)

    def _state(self, state: ScannerState) -> None:
        self._on_state(state.connected, state.reason)

    def stop(self) -> None:
        self._bridge.scanned.disconnect(self._code)
        self._bridge.state_changed.disconnect(self._state)


def _check_port(port: str) -> None:
    """pyserial takes the port's form (a path, or a URL it has a handler for), opening nothing."""
    serial.serial_for_url(port, do_not_open=True)
