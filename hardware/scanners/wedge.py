"""Keyboard-wedge (HID) scanners: telling a scan from a person typing, by key timing and suffix.

A wedge scanner is a keyboard to the computer: it "types" the code a few milliseconds per key and
ends it with Enter or Tab. A person types about ten times slower. The caller (the till's Qt event
filter) hands every printable key and every Enter/Tab to `WedgeClassifier.feed` instead of the
focused widget, with the key's timestamp in milliseconds, and acts on the answer:

- `None`: the key is held. Arm a timer for a little after `typing_deadline_ms`, and call
  `expire(now_ms)` when it fires (a key arriving in time re-arms it).
- `Scan(code)`: the held keys and the suffix were a scan. Deliver the code; the keys go nowhere.
- `Typing(keys)`: a person typed these. Replay them, in order, to the focused widget.

Any other key (Backspace, arrows, a shortcut) ends a burst: call `flush()` and replay its keys
before letting that key through. Modifier keys alone (Shift, which scanners send for capitals)
are neither fed nor flushed.

The rule: a burst is a scan when it has at least `min_length` characters, every gap between
consecutive keys, including the gap before the suffix, is at most `max_gap_ms` (a gap exactly
`max_gap_ms` is scanner speed), and it ends with an accepted suffix. A timestamp earlier than the
previous one breaks the burst. A key within `max_gap_ms` of a key already given back as typing is
typing too, so the tail of a burst replayed by `flush()` or `expire()` can never pass for a
(shortened, wrong) scan.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from hardware.scanners.source import ScanCallback


class Suffix(enum.Enum):
    """The key a wedge scanner sends after the code."""

    ENTER = "enter"
    TAB = "tab"


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    max_gap_ms: int = 30
    """Longest pause between two keys of a scan (and before its suffix)."""
    min_length: int = 4
    """Fewest characters in a scan; a shorter fast burst, such as a typed pair, is typing."""
    suffixes: frozenset[Suffix] = field(default=frozenset({Suffix.ENTER, Suffix.TAB}))
    """The suffixes that end a scan; any other ends the burst as typing."""

    def __post_init__(self) -> None:
        if self.max_gap_ms <= 0:
            raise ValueError(f"max_gap_ms must be positive, not {self.max_gap_ms}")
        if self.min_length < 1:
            raise ValueError(f"min_length must be at least 1, not {self.min_length}")
        if not self.suffixes:
            raise ValueError("at least one suffix must end a scan")


@dataclass(frozen=True, slots=True)
class KeyStroke:
    key: str | Suffix
    """The key's text (usually one character) or a suffix key."""
    at_ms: int


@dataclass(frozen=True, slots=True)
class Scan:
    code: str


@dataclass(frozen=True, slots=True)
class Typing:
    keys: tuple[KeyStroke, ...]
    """The keys to replay to the focused widget, in the order they were fed."""


WedgeDecision = Scan | Typing | None


class WedgeClassifier:
    """Pure and single-threaded: no clock of its own, every time comes from the caller."""

    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.settings = settings or WedgeSettings()
        self._held: list[KeyStroke] = []
        self._typed_at: int | None = None  # the latest key given back as typing

    @property
    def held(self) -> tuple[KeyStroke, ...]:
        return tuple(self._held)

    @property
    def typing_deadline_ms(self) -> int | None:
        """After this time, with no further key, the held keys are typing (None: none held)."""
        if not self._held:
            return None
        return self._held[-1].at_ms + self.settings.max_gap_ms

    def feed(self, key: str | Suffix, at_ms: int) -> WedgeDecision:
        if isinstance(key, str) and not key:
            raise ValueError("a key needs its text")
        stroke = KeyStroke(key, at_ms)
        if self._held and not self._in_time(self._held[-1].at_ms, at_ms):
            earlier = self._release()
            if isinstance(key, Suffix):
                return self._typed((*earlier, stroke))
            typed = self._typed(earlier)
            self._held.append(stroke)
            return typed
        if not self._held and self._typed_at is not None and self._in_time(self._typed_at, at_ms):
            return self._typed((stroke,))
        if isinstance(key, str):
            self._held.append(stroke)
            return None
        code = "".join(str(held.key) for held in self._held)
        if key in self.settings.suffixes and len(code) >= self.settings.min_length:
            self._held.clear()
            return Scan(code)
        return self._typed((*self._release(), stroke))

    def expire(self, now_ms: int) -> Typing | None:
        """The held keys as typing if `now_ms` is past `typing_deadline_ms`, else None."""
        deadline = self.typing_deadline_ms
        if deadline is None or self._held[-1].at_ms <= now_ms <= deadline:
            return None
        return self._typed(self._release())

    def flush(self) -> Typing | None:
        """The held keys as typing, now (another key came, or the scanner is stopped)."""
        if not self._held:
            return None
        return self._typed(self._release())

    def _in_time(self, earlier_ms: int, later_ms: int) -> bool:
        return 0 <= later_ms - earlier_ms <= self.settings.max_gap_ms

    def _release(self) -> tuple[KeyStroke, ...]:
        held = tuple(self._held)
        self._held.clear()
        return held

    def _typed(self, keys: tuple[KeyStroke, ...]) -> Typing:
        self._typed_at = keys[-1].at_ms
        return Typing(keys)


class WedgeScanner:
    """The keyboard wedge as a `ScanSource`: fed by the till's Qt event filter on the GUI thread.

    Each method returns the keys to replay to the focused widget now (often none); a scan goes to
    `on_scan` instead. While stopped, every key comes straight back (after any still held).
    """

    def __init__(self, settings: WedgeSettings | None = None) -> None:
        self.classifier = WedgeClassifier(settings)
        self._on_scan: ScanCallback | None = None

    @property
    def running(self) -> bool:
        return self._on_scan is not None

    @property
    def typing_deadline_ms(self) -> int | None:
        return self.classifier.typing_deadline_ms

    def start(self, on_scan: ScanCallback) -> None:
        self._on_scan = on_scan

    def stop(self) -> None:
        """No more scans; keys still held come back from the next `feed` or `flush`."""
        self._on_scan = None

    def feed(self, key: str | Suffix, at_ms: int) -> tuple[KeyStroke, ...]:
        if self._on_scan is None:
            return (*self.flush(), KeyStroke(key, at_ms))
        decision = self.classifier.feed(key, at_ms)
        if isinstance(decision, Scan):
            self._on_scan(decision.code)
            return ()
        return _keys(decision)

    def expire(self, now_ms: int) -> tuple[KeyStroke, ...]:
        return _keys(self.classifier.expire(now_ms))

    def flush(self) -> tuple[KeyStroke, ...]:
        return _keys(self.classifier.flush())


def _keys(typing: Typing | None) -> tuple[KeyStroke, ...]:
    return () if typing is None else typing.keys
