"""From the scanner's Enter to the customer on the checkout's panel, among ``scale`` customers.

Ours: the till's window as ``pos-client`` builds it (``MainWindow`` on the app's Qt settings,
``TaskManager``, the keyboard-wedge filter on the application feeding the ``ScanHub`` into
the checkout; no sync runner, printer or serial scanner), on a copy of the benchmark
database, the demo cashier logged in (before the wedge starts, as a person types a PIN) with
the demo's shift open. A card arrives as a wedge scanner sends it (its keys 5 ms apart on
their timestamps, then Enter: the hub's scan reaches ``take_scan``); a phone is typed into
the scan field at a person's pace ("8 9xx xxx-xx-xx", keys 120 ms apart, then Enter: the
field's own Enter). The clock starts just before the Enter key event is sent and stops when
the panel's balance label gets its paint event with that customer current: the lookup on a
worker thread, its result back on the GUI thread, the redraw and the paint. The GUI thread
waits in a Qt event loop meanwhile (no polling). Between samples the customer is cleared,
the cleared panel painted and the workers idle. Each customer is looked up once.
Floor: raw sqlite3 on an open connection: one indexed SELECT of the customer row by phone /
by card, interleaved sample by sample. Both against a warm OS page cache.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from benchmarks.stats import percentile
from benchmarks.till_db import DEFAULT_SCALE, open_copy
from hardware.scanners.wedge import WedgeSettings
from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till
from pos_client.device_tools import DeviceTools
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.tasks import TaskManager
from pos_client.ui.app import (
    application,
    apply_style,
    delete_now,
    install_translations,
    set_scale,
    show_main_window,
)
from pos_client.ui.checkout.screen import CheckoutScreen
from pos_client.ui.main_window import MainWindow
from pos_client.ui.scanning import ScanHub, WedgeFilter

SAMPLES = 200  # of each kind (cards, phones); distinct customers
WARMUP = 20  # of each kind, other customers, not measured
TIMEOUT_MS = 5_000  # one sample's bound
SETTLE_MS = 10  # between samples
SETUP_TIMEOUT_S = 60.0
RUN_TIMEOUT_S = 240.0  # the whole sampling; under the idle lock's 5 minutes
SCANNER_MS, HUMAN_MS = 5, 120
CASHIER, CASHIER_PIN = "Анна Смирнова", "1111"  # the demo's cashier
Key = Qt.Key

PHONE_SQL = "SELECT id, phone, name, birthday FROM customers WHERE phone = ?"
CARD_SQL = (
    "SELECT c.id, c.phone, c.name FROM cards k JOIN customers c"
    " ON c.id = k.customer_id WHERE k.number = ?"
)


class _Keys:
    """Key presses with explicit timestamps to the focused widget, as a keyboard sends them."""

    def __init__(self) -> None:
        self.at_ms = 100_000

    def type(self, text: str, gap_ms: int) -> None:
        for char in text:
            self.press(Key(ord(char.upper())), char, gap_ms)

    def press(self, key: Key, text: str, gap_ms: int) -> None:
        self.at_ms += gap_ms
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            event.setTimestamp(self.at_ms)
            focus = QApplication.focusWidget()
            assert focus is not None, "nothing has the keyboard focus"
            QApplication.sendEvent(focus, event)

    def pause(self) -> None:
        self.at_ms += 10_000  # the next burst starts well apart


class _PanelWatch(QObject):
    """Ends ``loop`` at the balance label's first paint with the expected customer current."""

    def __init__(self, screen: CheckoutScreen) -> None:
        super().__init__(screen)
        self._screen = screen
        self.loop = QEventLoop(self)
        self.expected: str | None = None
        self.seen_ns: int | None = None
        self.shown = ""  # the panel's name line at that paint
        screen.customer_panel.available.installEventFilter(self)

    def arm(self, customer_id: str) -> None:
        self.expected, self.seen_ns = customer_id, None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.expected is not None and event.type() == QEvent.Type.Paint:
            current = self._screen.session.customer
            if current is not None and current.customer.id == self.expected:
                self.seen_ns = time.perf_counter_ns()
                self.shown = self._screen.customer_panel.name.text()
                self.expected = None
                self.loop.quit()
        return False


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_until(ready: Callable[[], bool], timeout_s: float = SETUP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError("the till's window did not get there in time")
        _wait(10)


class _Window:
    """The till's window as ``run_till`` builds it, logged in, on the checkout screen."""

    def __init__(self, till: Till) -> None:
        settings = till.settings
        set_scale(settings.ui_scale)
        self.app = application(["pos-client"])
        self.translators = install_translations(self.app, settings.language)
        apply_style(self.app)
        self.tasks = TaskManager()
        self.hub = ScanHub()
        self.wedge = WedgeFilter(
            self.hub,
            WedgeSettings(
                max_gap_ms=settings.wedge_max_gap_ms, min_length=settings.wedge_min_length
            ),
        )
        self.window = MainWindow(
            till.services,
            self.tasks,
            till_identity(till),
            devices=DeviceTools(),
            idle_lock_s=settings.idle_lock_minutes * 60,
            customer_display=settings.customer_display,
        )
        show_main_window(self.window, settings.window.value)
        self.window.activateWindow()
        self.hub.scanned.connect(self.window.checkout.take_scan)
        login = self.window.login
        _wait_until(lambda: self.window.isActiveWindow() and login.staff.count() > 0)
        rows = [login.staff.item(i).text() for i in range(login.staff.count())]
        login.staff.setCurrentRow(next(i for i, t in enumerate(rows) if t.startswith(CASHIER)))
        login.pin.setFocus()
        login.pin.setText(CASHIER_PIN)
        login.submit()
        checkout = self.window.checkout
        _wait_until(lambda: self.window.screens.currentWidget() is checkout)
        _wait_until(lambda: not self.tasks.busy)
        assert self.window.shift is None, "no shift open: the shift window came up"
        assert self.window.staff is not None and self.window.staff.name == CASHIER
        self.wedge.start(self.app)
        _wait_until(checkout.scan_bar.field.hasFocus)
        self.watch = _PanelWatch(checkout)
        self.keys = _Keys()

    def clear(self) -> None:
        self.window.checkout.session.set_customer(None)
        _wait_until(lambda: not self.tasks.busy)
        _wait(SETTLE_MS)  # the cleared panel is painted

    def sample(self, text: str, gap_ms: int, customer_id: str) -> int | None:
        """Nanoseconds from the Enter after ``text`` to the panel painted with the customer."""
        field = self.window.checkout.scan_bar.field
        if not field.hasFocus():
            self.window.checkout.scan_bar.focus_scan()
        self.keys.type(text, gap_ms)
        self.watch.arm(customer_id)
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(self.watch.loop.quit)
        timeout.start(TIMEOUT_MS)
        start = time.perf_counter_ns()
        self.keys.press(Key.Key_Return, "\r", gap_ms)
        if self.watch.seen_ns is None:
            self.watch.loop.exec()
        timeout.stop()
        seen = self.watch.seen_ns
        self.watch.expected = None
        self.keys.pause()
        self.clear()
        return None if seen is None else seen - start

    def close(self) -> None:
        self.wedge.stop()
        self.window.close()
        self.tasks.shutdown()
        delete_now(self.wedge, self.hub, self.window, self.tasks)


def _warm_page_cache(path: Path) -> None:
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass


def _summary(ns: list[int], prefix: str) -> dict[str, float]:
    ms = [n / 1e6 for n in ns]
    if not ms:
        return {}
    return {
        f"{prefix}p50_ms": round(percentile(ms, 50), 2),
        f"{prefix}p99_ms": round(percentile(ms, 99), 2),
        f"{prefix}max_ms": round(max(ms), 2),
    }


Work = tuple[str, int, str, str]  # typed text, key gap, floor SQL, its parameter


def _work(till: Till, picks: list[int]) -> list[Work]:
    """A card scanned and a phone typed, alternating; each customer once."""
    codec, half = till.services.ctx.card_codec, len(picks) // 2
    work: list[Work] = []
    for card_i, phone_i in zip(picks[:half], picks[half:], strict=True):
        card = demo_card(codec, card_i)
        work.append((card, SCANNER_MS, CARD_SQL, card))
        p = demo_phone(phone_i)
        work.append((f"8 {p[2:5]} {p[5:8]}-{p[8:10]}-{p[10:]}", HUMAN_MS, PHONE_SQL, p))
    return work


class _Tally:
    def __init__(self) -> None:
        self.ours: dict[int, list[int]] = {SCANNER_MS: [], HUMAN_MS: []}
        self.floor: list[int] = []
        self.timeouts = self.wrong = 0


def _measure(window: _Window, raw: sqlite3.Connection, work: list[Work]) -> _Tally:
    """Floor then ours, sample by sample; the first ``2 * WARMUP`` are not kept."""
    tally = _Tally()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    for n, (text, gap, sql, param) in enumerate(work):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter_ns()
        row = raw.execute(sql, (param,)).fetchone()
        took = time.perf_counter_ns() - start
        assert row is not None, f"no customer for {param}"
        got = window.sample(text, gap, str(row[0]))
        if n < 2 * WARMUP:
            continue
        tally.floor.append(took)
        if got is None:
            tally.timeouts += 1
            continue
        tally.ours[gap].append(got)
        tally.wrong += row[2] is not None and window.watch.shown != row[2]
    return tally


def run(scale: int | None) -> dict[str, Any]:
    scale = scale or DEFAULT_SCALE
    per_kind = min(SAMPLES + WARMUP, scale // 2)
    picks = random.Random(5).sample(range(scale), 2 * per_kind)
    with tempfile.TemporaryDirectory() as tmp:
        till, built = open_copy(scale, Path(tmp))
        try:
            db = till.settings.resolved_database_path
            _warm_page_cache(db)
            raw = sqlite3.connect(db)
            raw.execute("PRAGMA query_only=ON")
            window = _Window(till)
            try:
                tally = _measure(window, raw, _work(till, picks))
            finally:
                window.close()
                raw.close()
        finally:
            till.close()
    both = tally.ours[SCANNER_MS] + tally.ours[HUMAN_MS]
    assert both, "no sample finished"
    result = _summary(both, "")
    floor = _summary(tally.floor, "floor_")
    return {
        "benchmark": "scan_to_panel",
        "scale": scale,
        "samples": len(both),
        "timeouts": tally.timeouts,
        "wrong_name_shown": tally.wrong,
        **result,
        **_summary(tally.ours[SCANNER_MS], "card_"),
        **_summary(tally.ours[HUMAN_MS], "phone_"),
        "floor_p50_ms": round(percentile([n / 1e6 for n in tally.floor], 50), 3),
        "floor_p99_ms": round(percentile([n / 1e6 for n in tally.floor], 99), 3),
        "target_p99_ms": 50,
        "ratio_p99": round(result["p99_ms"] / floor["floor_p99_ms"], 1),
        "meets_target": tally.timeouts == tally.wrong == 0 and result["p99_ms"] <= 50,
        "floor": "raw sqlite3: one indexed SELECT of the customer (by phone / by card join)",
        "database_built_s": round(built, 1) if built is not None else None,
    }
