"""Scanners at the till's window: one `ScanHub.scanned(code)`, whatever field has the focus.

A keyboard-wedge scanner is a keyboard: it "types" its code and Enter (or Tab) into the focused
widget. `WedgeFilter`, installed on the application, sees every key press before any widget does
and hands printable keys and Enter/Tab to `hardware.scanners.wedge.WedgeScanner`, which holds them
a moment and judges them by their timing:

- a scan: its keys are swallowed, whichever widget had the focus (the scan field, the register
  dialog's phone field, the PIN field, a table), and the hub emits `scanned(code)`;
- typing: the held keys are sent again, in their order, to the widget that had the focus when each
  was pressed, about `max_gap_ms` late at most. They are sent at once (`sendEvent`, not posted), so
  they stay ahead of the key that follows them; the filter lets its own replays through untouched.

Any other key (Backspace, arrows, a key with Ctrl or Alt, a shortcut such as F2 or Esc) and a key
the keyboard auto-repeats first give back what is held, then go through as they are. Modifier keys
alone (Shift, which scanners send for capitals) are neither fed nor do they end a burst. Key
releases always go through.

Times: a key event's `timestamp()` is the window system's clock (the X server's on Linux), not the
one a QTimer runs on, and synthetic events (QTest's) carry 0. `_KeyClock` keeps keys on their own
clock and maps a timer's "now" onto it from the time the latest key arrived; a key without a
timestamp is stamped with that mapped "now".

Serial scanners deliver through `pos_client.scanner_bridge`, into the same hub. Everything here runs
on the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from hardware.scanners.wedge import KeyStroke, Suffix, WedgeScanner, WedgeSettings

log = logging.getLogger(__name__)

Key = Qt.Key
Modifier = Qt.KeyboardModifier

_MODIFIER_KEYS = frozenset(
    int(key)
    for key in (
        Key.Key_Shift,
        Key.Key_Control,
        Key.Key_Alt,
        Key.Key_AltGr,
        Key.Key_Meta,
        Key.Key_Super_L,
        Key.Key_Super_R,
        Key.Key_Hyper_L,
        Key.Key_Hyper_R,
        Key.Key_CapsLock,
        Key.Key_NumLock,
        Key.Key_Mode_switch,
    )
)
_SUFFIX_KEYS = {
    int(Key.Key_Return): Suffix.ENTER,
    int(Key.Key_Enter): Suffix.ENTER,  # the keypad's Enter
    int(Key.Key_Tab): Suffix.TAB,
}
# Keys with these held are commands (Ctrl+A, Alt+F4), never a scanner's characters.
_COMMAND_MODIFIERS = Modifier.ControlModifier | Modifier.AltModifier | Modifier.MetaModifier


class ScanHub(QObject):
    """Where every scanner's codes meet: `scanned(code)` on the GUI thread, once per scan."""

    scanned = Signal(str)

    def deliver(self, code: str) -> None:
        """A finished code from any scanner; call on the GUI thread."""
        code = code.strip()
        if code:
            self.scanned.emit(code)


class _KeyClock:
    """Key timestamps, and a timer's "now", on one clock: the key events' own."""

    def __init__(self, monotonic_ms: Callable[[], int] | None = None) -> None:
        self._monotonic_ms = monotonic_ms or (lambda: time.monotonic_ns() // 1_000_000)
        self._anchor: tuple[int, int] | None = None  # (a key's time, when it arrived)

    def stamp(self, event_ms: int) -> int:
        """The key's time: its own timestamp, or "now" when it has none (0)."""
        arrived = self._monotonic_ms()
        at = event_ms if event_ms > 0 else self._on_key_clock(arrived)
        self._anchor = (at, arrived)
        return at

    def now(self) -> int:
        return self._on_key_clock(self._monotonic_ms())

    def _on_key_clock(self, monotonic: int) -> int:
        if self._anchor is None:
            return monotonic
        at, arrived = self._anchor
        return at + (monotonic - arrived)


@dataclass(frozen=True, slots=True)
class _HeldKey:
    """A key press held back, with what is needed to send it again to where it was going."""

    stroke: KeyStroke
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    native_scan_code: int
    native_virtual_key: int
    native_modifiers: int

    @classmethod
    def of(cls, event: QKeyEvent, target: QWidget, stroke: KeyStroke) -> _HeldKey:
        return cls(
            stroke,
            target,
            event.key(),
            event.modifiers(),
            event.text(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
        )

    def press(self) -> QKeyEvent:
        event = QKeyEvent(
            QEvent.Type.KeyPress,
            self.key,
            self.modifiers,
            self.native_scan_code,
            self.native_virtual_key,
            self.native_modifiers,
            self.text,
        )
        event.setTimestamp(self.stroke.at_ms)
        return event


def scanner_key(event: QKeyEvent) -> str | Suffix | None:
    """What the wedge scanner is fed for this key press: a character, a suffix, or None."""
    modifiers = event.modifiers()
    if modifiers & _COMMAND_MODIFIERS or event.isAutoRepeat():
        return None
    suffix = _SUFFIX_KEYS.get(event.key())
    if suffix is not None:
        return None if modifiers & Modifier.ShiftModifier else suffix
    text = event.text()
    if text and text.isprintable():
        return text
    return None


def _is_modifier_only(event: QKeyEvent) -> bool:
    return event.key() in _MODIFIER_KEYS


def _is_key_target(widget: QWidget) -> bool:
    """Whether a key press reaching `widget` is its first delivery (not one passed to a parent)."""
    window = widget.window()
    focus = window.focusWidget()
    return focus is widget or (focus is None and widget is window)


class WedgeFilter(QObject):
    """Tells a keyboard-wedge scan from typing; `start()` after the window shows, `stop()` at the
    end (before the task manager shuts down). Install it once: on the application by default."""

    def __init__(
        self, hub: ScanHub, settings: WedgeSettings | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._hub = hub
        self._scanner = WedgeScanner(settings)
        self._clock = _KeyClock()
        self._held: deque[_HeldKey] = deque()  # in the scanner's order, oldest first
        self._replaying = 0
        self._watched: QObject | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._expire)

    @property
    def settings(self) -> WedgeSettings:
        return self._scanner.classifier.settings

    @property
    def running(self) -> bool:
        return self._watched is not None

    @property
    def held(self) -> int:
        """How many key presses are held back right now."""
        return len(self._held)

    def start(self, watched: QObject | None = None) -> None:
        """Filter the keys of `watched` (default: the whole application)."""
        if self._watched is not None:
            return
        target = watched or QCoreApplication.instance()
        if target is None:
            raise RuntimeError("the wedge scanner needs a QApplication")
        self._scanner.start(self._hub.deliver)
        target.installEventFilter(self)
        self._watched = target

    def stop(self) -> None:
        """No more scans; keys still held reach their widgets now."""
        watched, self._watched = self._watched, None
        if watched is None:
            return
        if shiboken6.isValid(watched):
            watched.removeEventFilter(self)
        self._timer.stop()
        self._scanner.stop()
        self._replay(self._take(self._scanner.flush()))

    # -- keys ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            if self._replaying or not isinstance(event, QKeyEvent):
                return False
            if not isinstance(watched, QWidget) or not _is_key_target(watched):
                return False
            return self._key_press(watched, event)
        if (
            kind == QEvent.Type.ShortcutOverride
            and self._held
            and not self._replaying
            and isinstance(event, QKeyEvent)
            and not _is_modifier_only(event)
            and scanner_key(event) is None
        ):
            # A shortcut (F2, Esc...) acts before its key press is delivered, if it ever is:
            # what was typed before it must reach its field first.
            self._flush()
        return False

    def _key_press(self, target: QWidget, event: QKeyEvent) -> bool:
        """True: the key is swallowed (held, or part of a scan); False: it goes on as it is."""
        if _is_modifier_only(event):
            return False
        key = scanner_key(event)
        if key is None:
            self._flush()
            return False
        held = _HeldKey.of(event, target, KeyStroke(key, self._clock.stamp(event.timestamp())))
        self._held.append(held)
        keys = self._scanner.feed(key, held.stroke.at_ms)  # a scan is delivered from in here
        back = self._take(keys)
        if not self._scanner.classifier.held:
            self._held.clear()  # a scan took every key held, and this one
        self._arm()
        if back and back[-1] is held:  # this key is typing: it goes on, after the ones before it
            self._replay(back[:-1])
            return False
        self._replay(back)
        return True

    def _take(self, strokes: Iterable[KeyStroke]) -> list[_HeldKey]:
        """The held keys the scanner gave back, which are always the oldest held, in order."""
        taken = []
        for stroke in strokes:
            while self._held:
                held = self._held.popleft()
                if held.stroke == stroke:
                    taken.append(held)
                    break
                log.warning("wedge scanner: a held key went missing (%r)", held.stroke)
        return taken

    def _flush(self) -> None:
        self._timer.stop()
        self._replay(self._take(self._scanner.flush()))

    def _arm(self) -> None:
        deadline = self._scanner.typing_deadline_ms
        if deadline is None:
            self._timer.stop()
            return
        self._timer.start(max(1, deadline - self._clock.now() + 1))

    def _expire(self) -> None:
        self._replay(self._take(self._scanner.expire(self._clock.now())))
        self._arm()  # woken too early: wait for the rest

    def _replay(self, keys: Iterable[_HeldKey]) -> None:
        self._replaying += 1
        try:
            for held in keys:
                if shiboken6.isValid(held.target):  # its widget may have closed meanwhile
                    QCoreApplication.sendEvent(held.target, held.press())
        finally:
            self._replaying -= 1
