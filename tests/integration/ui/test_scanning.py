"""Scanners at the till's window: keyboard-wedge scans told from typing whatever has the focus,
and a serial scanner's codes, unplugged and replugged, landing in the checkout.

Most key bursts are sent with explicit timestamps (5 ms apart: a scanner; 120 ms: a person), so
their judgement does not depend on how busy the machine is; a few use QTest's real timing, whose
events carry no timestamp at all. Every wait is bounded; nothing sleeps.
"""

from __future__ import annotations

import os
import threading
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from hardware.scanners.serial_scanner import SerialScannerSettings
from hardware.scanners.wedge import WedgeSettings
from pos_client.bootstrap import Till
from pos_client.scanner_bridge import ScannerBridge
from pos_client.services.demo_store import demo_card
from pos_client.ui.app import delete_now
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.message_bar import Kind
from pos_client.ui.scanning import ScanHub, WedgeFilter
from tests.integration.ui.conftest import CASHIER_PIN, KEFIR, MILK, pay_at_till, wait_quote

SCANNER_MS, HUMAN_MS = 5, 120
WAIT_MS = 10_000  # generous for a busy machine; only a failing test waits this long
FAST_SERIAL = SerialScannerSettings(
    baudrate=115200, read_timeout_s=0.05, retry_initial_s=0.02, retry_max_s=0.2
)
Key = Qt.Key
_SUFFIX_TEXT = {Key.Key_Return: "\r", Key.Key_Tab: "\t"}


class Keyboard:
    """Key presses with explicit timestamps, to whatever widget has the focus (as a keyboard)."""

    def __init__(self) -> None:
        self.at_ms = 100_000

    def type(
        self, text: str, gap_ms: int, suffix: Key | None = Key.Key_Return, *, shift: bool = False
    ) -> None:
        for char in text:
            self.press(Key(ord(char.upper())), char, gap_ms, shift=shift and char.isalpha())
        if suffix is not None:
            self.press(suffix, _SUFFIX_TEXT.get(suffix, ""), gap_ms)
        self.at_ms += 10_000  # the next burst starts well apart

    def press(self, key: Key, text: str, gap_ms: int, *, shift: bool = False) -> None:
        modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        if shift:  # as a scanner sends a capital: Shift down, the key, Shift up
            self._send(QEvent.Type.KeyPress, Key.Key_Shift, modifiers, "")
        self._send(QEvent.Type.KeyPress, key, modifiers, text)
        self._send(QEvent.Type.KeyRelease, key, modifiers, text)
        if shift:
            self._send(QEvent.Type.KeyRelease, Key.Key_Shift, Qt.KeyboardModifier.NoModifier, "")
        self.at_ms += gap_ms

    def _send(self, kind: QEvent.Type, key: Key, modifiers: Qt.KeyboardModifier, text: str) -> None:
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing has the keyboard focus"
        event = QKeyEvent(kind, key, modifiers, text)
        event.setTimestamp(self.at_ms)
        QApplication.sendEvent(focus, event)


@pytest.fixture
def keyboard() -> Keyboard:
    return Keyboard()


@pytest.fixture
def hub(window: MainWindow) -> Iterator[ScanHub]:
    hub = ScanHub()
    hub.scanned.connect(window.checkout.take_scan)
    yield hub
    delete_now(hub)


@pytest.fixture
def scans(hub: ScanHub) -> list[str]:
    """Every code the hub emitted, in order."""
    codes: list[str] = []
    hub.scanned.connect(codes.append)
    return codes


@pytest.fixture
def install_wedge(hub: ScanHub) -> Iterator[Callable[..., WedgeFilter]]:
    """Starts the wedge filter on the application (after a login, whose PIN QTest types as fast
    as a scanner); stopped and deleted before the window's teardown."""
    started: list[WedgeFilter] = []

    def install(settings: WedgeSettings | None = None) -> WedgeFilter:
        wedge = WedgeFilter(hub, settings)
        wedge.start()
        started.append(wedge)
        return wedge

    yield install
    for wedge in started:
        wedge.stop()
    delete_now(*started)


@pytest.fixture
def wedge(checkout: CheckoutScreen, install_wedge: Callable[..., WedgeFilter]) -> WedgeFilter:
    return install_wedge()


def cart_pieces(screen: CheckoutScreen) -> dict[str, int]:
    return {str(entry.barcode): entry.pieces for entry in screen.session.cart.entries}


# -- keyboard wedge ----------------------------------------------------------------------------
def test_only_the_burst_at_scanner_speed_is_a_scan(
    qtbot: QtBot,
    checkout: CheckoutScreen,
    wedge: WedgeFilter,
    keyboard: Keyboard,
    scans: list[str],
) -> None:
    field = checkout.scan_bar.field
    assert field.hasFocus()

    keyboard.type(MILK, SCANNER_MS)
    assert scans == [MILK]
    assert field.text() == ""  # not one of the scanner's keys reached the field
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1}, timeout=WAIT_MS)

    keyboard.type("46000", HUMAN_MS, suffix=None)
    qtbot.waitUntil(lambda: field.text() == "46000", timeout=WAIT_MS)  # the last one by the timer
    assert wedge.held == 0
    keyboard.type("00000022", HUMAN_MS)  # the rest of kefir's barcode and Enter, typed by hand
    assert field.text() == ""  # Enter reached the field: it took what was typed
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1, KEFIR: 1}, timeout=WAIT_MS)
    assert scans == [MILK]


def test_a_fast_but_short_burst_and_a_scan_without_its_suffix_are_typing(
    qtbot: QtBot, checkout: CheckoutScreen, wedge: WedgeFilter, keyboard: Keyboard, scans: list[str]
) -> None:
    field = checkout.scan_bar.field
    keyboard.type("123", SCANNER_MS, suffix=None)  # fewer than min_length, and no Enter
    qtbot.waitUntil(lambda: field.text() == "123", timeout=WAIT_MS)
    keyboard.press(Key.Key_Backspace, "", SCANNER_MS)
    keyboard.type("45", SCANNER_MS, suffix=None)
    keyboard.press(Key.Key_Backspace, "", SCANNER_MS)  # gives "45" back first, then deletes the 5
    assert field.text() == "124"
    assert scans == []


def test_keys_typed_by_hand_reach_the_field_promptly_and_in_order(
    qtbot: QtBot, checkout: CheckoutScreen, wedge: WedgeFilter, scans: list[str]
) -> None:
    # Real timing: QTest waits 120 ms before each key, and its events carry no timestamp.
    field = checkout.scan_bar.field
    for count, char in enumerate(MILK, start=1):
        QTest.keyClick(field, char, Qt.KeyboardModifier.NoModifier, HUMAN_MS)
        typed = MILK[:count]
        qtbot.waitUntil(lambda typed=typed: field.text() == typed, timeout=WAIT_MS)  # in time
    QTest.keyClick(field, Key.Key_Return, Qt.KeyboardModifier.NoModifier, HUMAN_MS)

    qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1}, timeout=WAIT_MS)
    assert scans == []  # typed and entered in the scan field, not scanned
    assert field.text() == ""


def test_keys_at_real_scanner_speed_are_a_scan(
    qtbot: QtBot,
    checkout: CheckoutScreen,
    install_wedge: Callable[..., WedgeFilter],
    scans: list[str],
) -> None:
    # Real timing, QTest as fast as it goes (well under a millisecond a key). A 200 ms gap keeps
    # the test deaf to a busy machine pausing the process mid-burst; the 30 ms default is
    # judged with exact timestamps above.
    install_wedge(WedgeSettings(max_gap_ms=200))
    field = checkout.scan_bar.field
    QTest.keyClicks(field, KEFIR)
    QTest.keyClick(field, Key.Key_Return)

    assert scans == [KEFIR]
    assert field.text() == ""
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {KEFIR: 1}, timeout=WAIT_MS)


def test_a_scan_into_the_register_dialog_identifies_and_adds_but_leaves_the_phone_alone(
    qtbot: QtBot,
    till: Till,
    checkout: CheckoutScreen,
    wedge: WedgeFilter,
    keyboard: Keyboard,
    scans: list[str],
) -> None:
    card = demo_card(till.services.ctx.card_codec, 0)
    expected = till.services.identify(card)
    QTest.keyClick(checkout.scan_bar.field, Key.Key_F3)  # not a character: straight through
    dialog = checkout.register_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.phone, timeout=WAIT_MS)
    keyboard.type("8912", HUMAN_MS, suffix=None)
    qtbot.waitUntil(lambda: dialog.phone.text() == "8912", timeout=WAIT_MS)

    keyboard.type(card, SCANNER_MS)
    keyboard.type(MILK, SCANNER_MS, suffix=Key.Key_Tab)  # Tab ends a scan as well as Enter

    assert scans == [card, MILK]
    qtbot.waitUntil(lambda: checkout.session.customer is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1}, timeout=WAIT_MS)
    assert checkout.session.customer == expected
    assert dialog.phone.text() == "8912"
    assert QApplication.focusWidget() is dialog.phone  # neither Tab nor Enter got through
    assert checkout.register_dialog is dialog and dialog.isVisible()  # not submitted
    dialog.reject()
    qtbot.waitUntil(lambda: checkout.register_dialog is None, timeout=WAIT_MS)


def test_a_receipt_code_opens_a_return_of_that_sale_and_an_unknown_code_is_named(
    qtbot: QtBot, checkout: CheckoutScreen, wedge: WedgeFilter, keyboard: Keyboard
) -> None:
    keyboard.type(MILK, SCANNER_MS)
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1}, timeout=WAIT_MS)
    wait_quote(qtbot, checkout)
    sale = pay_at_till(qtbot, checkout)
    window = checkout.window()
    assert isinstance(window, MainWindow)

    # What the receipt's survey QR holds (a scanner types a URL with Shift for ':' and capitals).
    keyboard.type(f"https://survey.example/r/{sale.sale_id}", SCANNER_MS)

    qtbot.waitUntil(lambda: window.returns is not None, timeout=WAIT_MS)
    dialog = window.returns
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.sale is not None, timeout=WAIT_MS)
    assert dialog.sale is not None and dialog.sale.id == sale.sale_id
    assert dialog.title.text().startswith(f"Return from receipt No. {sale.number} of ")
    assert checkout.session.cart.is_empty
    dialog.reject()
    qtbot.waitUntil(lambda: window.returns is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is checkout.scan_bar.field, timeout=WAIT_MS)

    keyboard.type("ABC-12", SCANNER_MS, shift=True)  # Shift alone neither feeds nor breaks a scan
    assert checkout.message.kind is Kind.ERROR
    assert (
        checkout.message.text() == "The scanned code ABC-12 is not a card, a product or a receipt."
    )
    assert checkout.scan_bar.field.text() == ""
    assert checkout.session.cart.is_empty


def test_scans_on_the_login_screen_go_nowhere_and_the_pin_is_typed_as_ever(
    qtbot: QtBot,
    window: MainWindow,
    install_wedge: Callable[..., WedgeFilter],
    keyboard: Keyboard,
    scans: list[str],
) -> None:
    install_wedge()
    login = window.login
    login.staff.setCurrentRow(0)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is login.pin, timeout=WAIT_MS)

    keyboard.type(MILK, SCANNER_MS)

    assert scans == [MILK]
    assert login.pin.text() == ""
    assert window.screens.currentWidget() is login
    assert window.checkout.session.cart.is_empty
    row = next(
        i for i in range(login.staff.count()) if login.staff.item(i).text().startswith("Анна")
    )
    login.staff.setCurrentRow(row)
    keyboard.type(CASHIER_PIN, HUMAN_MS)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout, timeout=WAIT_MS)
    assert scans == [MILK]


def test_stopping_the_wedge_gives_back_the_keys_it_holds(
    qtbot: QtBot, checkout: CheckoutScreen, wedge: WedgeFilter, keyboard: Keyboard
) -> None:
    keyboard.type("77", SCANNER_MS, suffix=None)
    assert wedge.held == 2 and checkout.scan_bar.field.text() == ""
    wedge.stop()
    assert checkout.scan_bar.field.text() == "77"
    keyboard.type("8", SCANNER_MS, suffix=None)  # not filtered any more
    assert checkout.scan_bar.field.text() == "778"


# -- serial scanner ------------------------------------------------------------------------------
class PtyDevice:
    """A scanner's end of a pseudo-terminal: what the test writes, the scanner reads."""

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._open = True

    def send(self, data: bytes) -> None:
        os.write(self._master, data)

    def unplug(self) -> None:
        if self._open:
            self._open = False
            os.close(self._master)
            os.close(self._slave)


@pytest.fixture
def devices() -> Iterator[list[PtyDevice]]:
    plugged: list[PtyDevice] = []
    yield plugged
    for device in plugged:
        device.unplug()


def test_a_serial_scanner_fills_the_cart_and_comes_back_after_a_replug(
    qtbot: QtBot,
    tmp_path: Path,
    checkout: CheckoutScreen,
    hub: ScanHub,
    scans: list[str],
    devices: list[PtyDevice],
) -> None:
    # Like /dev/serial/by-id/...: a name that goes away on unplug and comes back to a new node.
    link = tmp_path / "usb-Scanner_1234-if00"
    devices.append(PtyDevice())
    link.symlink_to(devices[0].path)
    bridge = ScannerBridge(str(link), FAST_SERIAL)
    on_gui_thread: list[bool] = []
    connected: list[bool] = []
    bridge.scanned.connect(
        lambda _code: on_gui_thread.append(threading.current_thread() is threading.main_thread())
    )
    bridge.state_changed.connect(lambda state: connected.append(state.connected))
    bridge.scanned.connect(hub.deliver)
    window = checkout.window()
    assert isinstance(window, MainWindow)
    label = window.status.scanner_label
    bridge.state_changed.connect(window.status.show_scanner)  # as run_till connects it
    try:
        bridge.start()
        qtbot.waitUntil(lambda: bridge.state.connected, timeout=WAIT_MS)
        assert label.isVisible() and label.text() == "Scanner ready"
        devices[0].send(MILK.encode() + b"\r\n")
        qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 1}, timeout=WAIT_MS)

        link.unlink()
        devices[0].unplug()
        qtbot.waitUntil(lambda: not bridge.state.connected, timeout=WAIT_MS)
        assert "unplugged" in bridge.state.reason
        assert label.text() == "Scanner unplugged: reconnecting…"
        assert "unplugged" in label.toolTip()
        devices.append(PtyDevice())
        link.symlink_to(devices[1].path)
        qtbot.waitUntil(lambda: bridge.state.connected, timeout=WAIT_MS)
        assert label.text() == "Scanner ready"
        devices[1].send(KEFIR.encode() + b"\r\n")
        devices[1].send(MILK.encode() + b"\n")  # in order after kefir: kefir came once, or twice
        qtbot.waitUntil(lambda: cart_pieces(checkout) == {MILK: 2, KEFIR: 1}, timeout=WAIT_MS)
    finally:
        bridge.stop()
    assert not [t for t in threading.enumerate() if t.name == f"scanner {link}"]
    assert scans == [MILK, KEFIR, MILK]
    assert on_gui_thread == [True, True, True]  # every code re-emitted on the GUI thread
    assert connected[0] is True and connected.count(True) == 2  # one reconnection
    assert connected[-1] is False and bridge.state.reason == "stopped"
    delete_now(bridge)


def test_a_serial_code_queued_when_the_bridge_stops_is_dropped(
    qtbot: QtBot, checkout: CheckoutScreen, hub: ScanHub, scans: list[str]
) -> None:
    read = threading.Event()
    device = PtyDevice()
    bridge = ScannerBridge(device.path, FAST_SERIAL)
    bridge.scanned.connect(hub.deliver)
    try:
        # A direct connection runs on the reader thread: it tells the test the code was read
        # while its queued delivery to the GUI thread still waits for the event loop.
        bridge._code_read.connect(lambda _code: read.set(), Qt.ConnectionType.DirectConnection)
        bridge.start()
        qtbot.waitUntil(lambda: bridge.state.connected, timeout=WAIT_MS)
        device.send(MILK.encode() + b"\r\n")
        # The one wait here that holds the event loop, on purpose (bounded, and the reader
        # thread needs nothing from the GUI thread to read and post): the code must still be
        # queued when stop() runs.
        assert read.wait(WAIT_MS / 1000)
    finally:
        bridge.stop()
        device.unplug()
    assert not bridge.running
    QApplication.processEvents()  # the queued code is delivered now, to a stopped bridge
    assert scans == []
    assert checkout.session.cart.is_empty
    delete_now(bridge)


def test_a_scan_behind_another_screen_does_not_reach_the_sale(
    qtbot: QtBot, checkout: CheckoutScreen, hub: ScanHub
) -> None:
    # Device settings, say: a manager tries a scanner there; the cart must not fill up.
    other = QDialog(checkout.window())
    other.setModal(True)
    other.open()
    try:
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is other, timeout=WAIT_MS)
        hub.deliver(MILK)
    finally:
        other.reject()
        delete_now(other)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    hub.deliver(KEFIR)
    # Product lookups run in order on one lane: had the milk been taken, it would be there first.
    qtbot.waitUntil(lambda: cart_pieces(checkout) == {KEFIR: 1}, timeout=WAIT_MS)
