"""Device settings (managers only): the receipt printer, its test page, the scanner and a live
scan test, saved to the till's settings file for the next start.

The screen reaches devices only through the ``DevicePort`` it is handed
(``pos_client.device_tools.DeviceTools``): no printer or serial driver is imported here. Every
blocking call goes through ``Op`` (reading and writing the file, searching for devices, the
test page); a serial scanner reads on its own thread, and its callbacks reach the screen
through a ``_ScanRelay`` signal, queued to the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_client.print_status import problem_kind
from pos_client.services.device_config import (
    DeviceConfig,
    DeviceSettings,
    PrinterFields,
    SavedDevices,
    compose_printer_url,
    setting_range,
    split_printer_url,
)
from pos_client.tasks import Lane, Op, TaskManager
from pos_client.ui.error_text import describe
from pos_client.ui.message_bar import Kind, MessageBar

log = logging.getLogger(__name__)

PROFILES = (
    "default",
    "TM-T20II",
    "TM-T88V",
    "TM-L90",
    "TM-T20II-42col",
    "TM-P80",
    "POS-5890",
    "ZJ-5870",
    "NT-5890K",
    "P822D",
    "TSP600",
    "TUP500",
    "SP2000",
    "CT-S651",
)
CODEPAGES = ("CP866", "CP1251")
DEFAULT_CODEPAGE = "CP866"
RAW = "raw"  # a printer URL the fields cannot take apart: shown and saved as written


class DetectedPort(Protocol):
    @property
    def device(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def printer_url(self) -> str: ...


class DetectedPrinter(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def printer_url(self) -> str: ...


class Detected(Protocol):
    @property
    def serial_ports(self) -> Sequence[DetectedPort]: ...
    @property
    def usb_printers(self) -> Sequence[DetectedPrinter]: ...


class ScannerTest(Protocol):
    def stop(self) -> None: ...


class DevicePort(Protocol):
    """What the screen needs of ``DeviceTools``; all but ``start_scanner`` block."""

    def current(self) -> DeviceConfig: ...
    def save(self, settings: DeviceSettings) -> SavedDevices: ...
    def detect(self) -> Detected: ...
    def test_print(self, printer_url: str) -> None: ...
    def start_scanner(
        self, port: str, on_scan: Callable[[str], None], on_state: Callable[[bool, str], None]
    ) -> ScannerTest: ...


class _ScanRelay(QObject):
    """Carries a scanner's callbacks from its reader thread to the GUI thread.

    Created on the GUI thread with no parent, it lives until its scanner has stopped; codes
    still queued after ``close()`` are dropped."""

    _code = Signal(str)
    _state = Signal(bool, str)

    def __init__(self, on_code: Callable[[str], None], on_state: Callable[[bool, str], None]):
        super().__init__()
        self._on_code, self._on_state = on_code, on_state
        self._code.connect(self._deliver_code, Qt.ConnectionType.QueuedConnection)
        self._state.connect(self._deliver_state, Qt.ConnectionType.QueuedConnection)

    def code(self, code: str) -> None:  # any thread
        self._code.emit(code)

    def state(self, connected: bool, reason: str) -> None:  # any thread
        self._state.emit(connected, reason)

    def close(self) -> None:
        self._on_code, self._on_state = _ignore, _ignore

    @Slot(str)
    def _deliver_code(self, code: str) -> None:
        self._on_code(code)

    @Slot(bool, str)
    def _deliver_state(self, connected: bool, reason: str) -> None:
        self._on_state(connected, reason)


def _ignore(*_args: object) -> None:
    pass


class DeviceSettingsDialog(QDialog):
    def __init__(self, port: DevicePort, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deviceSettings")
        self.setWindowTitle(self.tr("Device settings"))
        self.setMinimumWidth(640)
        self._port, self._tasks = port, tasks
        self._config: DeviceConfig | None = None
        self._closed = False
        self._scanner: ScannerTest | None = None
        self._relay: _ScanRelay | None = None
        self.scanner_connected = False

        layout = QVBoxLayout(self)
        layout.addWidget(self._printer_box())
        layout.addWidget(self._scanner_box())
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setEnabled(False)  # until the file is read
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._kind_changed()

        Op(tasks, port.current, Lane.IO).success(self._loaded).failure(self._load_failed).run()
        self.detect()

    # -- layout ------------------------------------------------------------------------------
    def _printer_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Receipt printer"), self)
        form = QFormLayout(box)
        self.printer_kind = QComboBox(box)
        kinds = (
            ("", self.tr("No printer")),
            ("tcp", self.tr("Network (TCP/IP, port 9100)")),
            ("serial", self.tr("Serial port or USB-serial adapter")),
            ("file", self.tr("USB printer device (Linux usblp) or a file")),
            ("usb", self.tr("USB, direct through libusb")),
            ("dummy", self.tr("None, for trying the till (prints nowhere)")),
        )
        for kind, text in kinds:
            self.printer_kind.addItem(text, kind)
        self.printer_kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow(self.tr("Printer type"), self.printer_kind)
        self.printer_address = QLineEdit(box)
        form.addRow(self.tr("Address"), self.printer_address)
        detected = QHBoxLayout()
        self.detected_printers = QComboBox(box)
        self.detected_printers.activated.connect(self._detected_chosen)
        self.detect_button = QPushButton(self.tr("Search again"), box)
        self.detect_button.clicked.connect(self.detect)
        detected.addWidget(self.detected_printers, 1)
        detected.addWidget(self.detect_button)
        form.addRow(self.tr("Found"), detected)
        self.profile = QComboBox(box)
        self.profile.setEditable(True)
        self.profile.addItems(PROFILES)
        form.addRow(self.tr("Profile"), self.profile)
        self.paper = QComboBox(box)
        for columns, text in (
            (None, self.tr("As the profile says")),
            (32, self.tr("58 mm · 32 characters a line")),
            (42, self.tr("80 mm · 42 characters a line")),
            (48, self.tr("80 mm · 48 characters a line")),
        ):
            self.paper.addItem(text, columns)
        form.addRow(self.tr("Paper width"), self.paper)
        self.codepage = QComboBox(box)
        self.codepage.setEditable(True)
        self.codepage.addItems(CODEPAGES)
        form.addRow(self.tr("Code page"), self.codepage)
        self.printer_options = QLineEdit(box)
        self.printer_options.setPlaceholderText("baudrate=19200&timeout=5")
        form.addRow(self.tr("More options"), self.printer_options)
        self.printer_url_label = QLabel(box)
        self.printer_url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Printer URL"), self.printer_url_label)
        for edit in (self.printer_address, self.printer_options):
            edit.textChanged.connect(self._show_url)
        for combo in (self.profile, self.codepage):
            combo.currentTextChanged.connect(self._show_url)
        self.paper.currentIndexChanged.connect(self._show_url)
        test = QHBoxLayout()
        self.test_print_button = QPushButton(self.tr("Test print"), box)
        self.test_print_button.clicked.connect(self.test_print)
        self.print_result = MessageBar(box)
        test.addWidget(self.test_print_button)
        test.addWidget(self.print_result, 1)
        form.addRow(test)
        return box

    def _scanner_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Barcode scanner"), self)
        form = QFormLayout(box)
        self.scanner_port = QComboBox(box)
        self.scanner_port.setEditable(True)
        line = self.scanner_port.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("none (keyboard scanner), or /dev/ttyACM0, COM4 …"))
        form.addRow(self.tr("Serial scanner port"), self.scanner_port)
        self.scan_test_button = QPushButton(self.tr("Start live scan test"), box)
        self.scan_test_button.clicked.connect(self.toggle_scan_test)
        self.scanner_state = QLabel(box)
        self.scanner_state.setWordWrap(True)
        test = QHBoxLayout()
        test.addWidget(self.scan_test_button)
        test.addWidget(self.scanner_state, 1)
        form.addRow(test)
        self.scanned_codes = QListWidget(box)
        self.scanned_codes.setMaximumHeight(90)
        form.addRow(self.tr("Scanned"), self.scanned_codes)
        self.wedge_gap = QSpinBox(box)
        self.wedge_gap.setRange(*setting_range("wedge_max_gap_ms"))
        self.wedge_gap.setSuffix(self.tr(" ms"))
        form.addRow(self.tr("Keyboard scanner: longest pause between keys"), self.wedge_gap)
        self.wedge_length = QSpinBox(box)
        self.wedge_length.setRange(*setting_range("wedge_min_length"))
        form.addRow(self.tr("Keyboard scanner: shortest code"), self.wedge_length)
        return box

    # -- the printer's fields ------------------------------------------------------------------
    def printer_url(self) -> str:
        """The URL the fields describe: what Test print uses and Save writes."""
        kind = self.printer_kind.currentData()
        if kind == RAW:
            return self.printer_address.text().strip()
        codepage = self.codepage.currentText().strip().upper()
        return compose_printer_url(
            PrinterFields(
                kind=kind or "",
                address=self.printer_address.text() if kind != "dummy" else "",
                profile=self.profile.currentText(),
                codepage="" if codepage == DEFAULT_CODEPAGE else codepage,
                columns=self.paper.currentData(),
                options=self.printer_options.text(),
            )
        )

    def _show_printer(self, url: str) -> None:
        fields = split_printer_url(url)
        known = self.printer_kind.findData(fields.kind)
        if url.strip() and (not fields.kind or known < 0):  # as written, for the manager to fix
            if self.printer_kind.findData(RAW) < 0:
                self.printer_kind.addItem(self.tr("Written out in full"), RAW)
            self.printer_kind.setCurrentIndex(self.printer_kind.findData(RAW))
            self.printer_address.setText(url.strip())
            return
        self.printer_kind.setCurrentIndex(max(known, 0))
        self.printer_address.setText(fields.address)
        self.profile.setCurrentText(fields.profile or "default")
        self.codepage.setCurrentText(fields.codepage or DEFAULT_CODEPAGE)
        paper = self.paper.findData(fields.columns)
        if paper < 0 and fields.columns is not None:
            self.paper.addItem(
                self.tr("{columns} characters a line").format(columns=fields.columns),
                fields.columns,
            )
            paper = self.paper.count() - 1
        self.paper.setCurrentIndex(max(paper, 0))
        self.printer_options.setText(fields.options)

    def _kind_changed(self) -> None:
        kind = self.printer_kind.currentData()
        placeholders = {
            "tcp": "192.168.1.50:9100",
            "serial": "/dev/ttyUSB0",
            "file": "/dev/usb/lp0",
            "usb": "0x0416:0x5011",
            RAW: "tcp://192.168.1.50:9100",
        }
        self.printer_address.setEnabled(kind in placeholders)
        self.printer_address.setPlaceholderText(placeholders.get(kind, ""))
        for widget in (self.profile, self.paper, self.codepage, self.printer_options):
            widget.setEnabled(kind not in ("", RAW))
        self.test_print_button.setEnabled(bool(kind))
        self._show_url()

    def _show_url(self) -> None:
        self.printer_url_label.setText(self.printer_url() or self.tr("(no printer)"))

    # -- reading the file and finding devices ----------------------------------------------------
    def _loaded(self, config: DeviceConfig) -> None:
        if self._closed:
            return
        self._config = config
        current = config.settings
        self._show_printer(current.printer_url)
        self.scanner_port.setCurrentText(current.scanner_url)
        self.wedge_gap.setValue(current.wedge_max_gap_ms)
        self.wedge_length.setValue(current.wedge_min_length)
        self.wedge_gap.setEnabled("wedge_max_gap_ms" in config.supported)
        self.wedge_length.setEnabled("wedge_min_length" in config.supported)
        self.save_button.setEnabled(True)
        notes = []
        if "scanner_url" not in config.supported:
            notes.append(self.tr("This till cannot keep a scanner port yet: it is for the test."))
        if config.env_overrides:
            notes.append(
                self.tr("Set by LOYALTY_TILL_* variables, which win over the file: {keys}.").format(
                    keys=", ".join(config.env_overrides)
                )
            )
        if notes:
            self.message.show_message(" ".join(notes), Kind.WARNING)

    def _load_failed(self, exc: Exception) -> None:
        if not self._closed:
            self.message.error(describe(exc))

    def detect(self) -> None:
        self.detect_button.setEnabled(False)
        self.detected_printers.clear()
        self.detected_printers.addItem(self.tr("Searching…"), None)
        Op(self._tasks, self._port.detect, Lane.IO).success(self._detected).failure(
            self._detect_failed
        ).run()

    def _detected(self, found: Detected) -> None:
        if self._closed:
            return
        self.detect_button.setEnabled(True)
        self.detected_printers.clear()
        count = len(found.usb_printers) + len(found.serial_ports)
        if count:
            self.detected_printers.addItem(
                self.tr("{count} found: choose one to use it").format(count=count), None
            )
        else:
            self.detected_printers.addItem(self.tr("No USB printer or serial port found"), None)
        for printer in found.usb_printers:
            self.detected_printers.addItem(printer.label, printer.printer_url)
        for serial_port in found.serial_ports:
            self.detected_printers.addItem(serial_port.label, serial_port.printer_url)
        typed = self.scanner_port.currentText()
        self.scanner_port.clear()
        self.scanner_port.addItem("")
        for serial_port in found.serial_ports:
            self.scanner_port.addItem(serial_port.device)
        self.scanner_port.setCurrentText(typed)

    def _detect_failed(self, exc: Exception) -> None:
        log.warning("device search failed: %s", exc)
        if self._closed:
            return
        self.detect_button.setEnabled(True)
        self.detected_printers.clear()
        self.detected_printers.addItem(self.tr("The search for devices failed"), None)

    def _detected_chosen(self, index: int) -> None:
        url = self.detected_printers.itemData(index)
        if not url:
            return
        fields = split_printer_url(url)
        self.printer_kind.setCurrentIndex(self.printer_kind.findData(fields.kind))
        self.printer_address.setText(fields.address)

    # -- test print ---------------------------------------------------------------------------
    def test_print(self) -> None:
        url = self.printer_url()
        if not url:
            self.print_result.error(self.tr("Choose a printer first."))
            return
        self.test_print_button.setEnabled(False)
        self.print_result.show_message(self.tr("Printing the test page…"))
        self.print_result.setToolTip("")
        Op(self._tasks, lambda: self._port.test_print(url), Lane.IO).success(
            lambda _none: self._printed()
        ).failure(self._print_failed).run()

    def _printed(self) -> None:
        if self._closed:
            return
        self.test_print_button.setEnabled(True)
        self.print_result.show_message(
            self.tr(
                "The test page was printed: check that the Russian lines read right"
                " and the ruler fits on one line."
            ),
            Kind.SUCCESS,
        )

    def _print_failed(self, exc: Exception) -> None:
        log.info("test print failed: %s", exc)
        if self._closed:
            return
        self.test_print_button.setEnabled(True)
        self.print_result.error(self.printer_problem(exc))
        self.print_result.setToolTip(str(exc))

    def printer_problem(self, exc: Exception) -> str:
        """The printer's problem in plain words (the technical text goes in the tooltip)."""
        detail = str(exc) or type(exc).__name__
        texts = {
            "offline": self.tr(
                "The printer does not answer: it is off or unplugged, or the address is wrong."
            ),
            "timeout": self.tr(
                "The printer did not take the page in time: it is busy, stuck or out of reach."
            ),
            "paper_out": self.tr("The printer is out of paper."),
            "cover_open": self.tr("The printer's cover is open."),
            "fault": self.tr("The printer reports an error: a paper jam or the cutter?"),
            "settings": self.tr("These printer settings cannot work: {detail}"),
            "other": self.tr("Printing failed: {detail}"),
        }
        return texts[problem_kind(exc)].format(detail=detail)

    # -- live scan test ------------------------------------------------------------------------
    def toggle_scan_test(self) -> None:
        if self._scanner is not None:
            self.stop_scan_test()
            return
        port = self.scanner_port.currentText().strip()
        if not port:
            self.scanner_state.setText(self.tr("Enter or choose the scanner's port first."))
            return
        relay = _ScanRelay(self._scanned, self._scanner_changed)
        try:
            self._scanner = self._port.start_scanner(port, relay.code, relay.state)
        except Exception as exc:
            log.warning("the scan test could not start on %s: %s", port, exc)
            self.scanner_state.setText(self.tr("Cannot use this port: {error}").format(error=exc))
            relay.deleteLater()
            return
        self._relay = relay
        self.scanned_codes.clear()
        self.scanner_state.setText(self.tr("Opening {port}…").format(port=port))
        self.scan_test_button.setText(self.tr("Stop live scan test"))

    def stop_scan_test(self) -> None:
        """Stop the scanner (on the IO lane: it waits for its reader thread)."""
        scanner, relay = self._scanner, self._relay
        self._scanner = self._relay = None
        self.scanner_connected = False
        if scanner is None or relay is None:
            return
        relay.close()  # what it still carries is dropped

        def stopped(exc: Exception | None = None) -> None:
            if exc is not None:
                log.warning("the test scanner did not stop: %s", exc)
            relay.deleteLater()  # only now: its scanner calls it no more

        Op(self._tasks, scanner.stop, Lane.IO).success(lambda _none: stopped()).failure(
            stopped
        ).run()
        if not self._closed:
            self.scan_test_button.setText(self.tr("Start live scan test"))
            self.scanner_state.setText(self.tr("Scan test stopped."))

    def _scanned(self, code: str) -> None:
        self.scanned_codes.insertItem(0, code)

    def _scanner_changed(self, connected: bool, reason: str) -> None:
        self.scanner_connected = connected
        if connected:
            self.scanner_state.setText(self.tr("Scanner connected: scan a code."))
        else:
            self.scanner_state.setText(
                self.tr("Scanner not connected ({reason}); still trying.").format(reason=reason)
            )

    # -- save ----------------------------------------------------------------------------------
    def settings(self) -> DeviceSettings:
        """What Save writes: the fields, and the file's values for what this till cannot keep."""
        config = self._config
        supported = config.supported if config is not None else frozenset()
        kept = config.settings if config is not None else DeviceSettings()
        return DeviceSettings(
            printer_url=self.printer_url(),
            scanner_url=self.scanner_port.currentText().strip()
            if "scanner_url" in supported
            else kept.scanner_url,
            wedge_max_gap_ms=self.wedge_gap.value()
            if "wedge_max_gap_ms" in supported
            else kept.wedge_max_gap_ms,
            wedge_min_length=self.wedge_length.value()
            if "wedge_min_length" in supported
            else kept.wedge_min_length,
        )

    def save(self) -> None:
        settings = self.settings()
        self.save_button.setEnabled(False)
        self.message.show_message(self.tr("Saving…"))
        Op(self._tasks, lambda: self._port.save(settings), Lane.IO).success(self._saved).failure(
            self._save_failed
        ).run()

    def _saved(self, saved: SavedDevices) -> None:
        if self._closed:
            return
        self.save_button.setEnabled(True)
        if not saved.changed:
            self.message.show_message(self.tr("Nothing changed."), Kind.INFO)
            return
        text = self.tr("Saved in {path}. Restart the till to use the new settings.").format(
            path=saved.path
        )
        if saved.env_overrides:
            text += " " + self.tr(
                "But LOYALTY_TILL_* variables set {keys}, and they win over the file."
            ).format(keys=", ".join(saved.env_overrides))
            self.message.show_message(text, Kind.WARNING)
            return
        self.message.show_message(text, Kind.SUCCESS)

    def _save_failed(self, exc: Exception) -> None:
        if self._closed:
            return
        self.save_button.setEnabled(True)
        self.message.error(describe(exc))

    # -- closing -------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Closing in any way (Close, Esc, the window's X) stops the scan test."""
        self.stop_scan_test()
        self._closed = True
        super().done(result)
