"""Serial scanners read on a background thread: fed through pseudo-terminals (the scanner opens
the slave's path, the test writes to the master) and pyserial's loop://, unplugged and replugged.
Every wait is bounded; nothing sleeps."""

from __future__ import annotations

import logging
import os
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import serial

from hardware import CodeSplitter, ScannerState, ScanSource, SerialScanner, SerialScannerSettings

WAIT = 10.0  # seconds; generous for a busy machine, and only ever reached by a failing test
FAST = SerialScannerSettings(
    baudrate=115200, read_timeout_s=0.05, retry_initial_s=0.02, retry_max_s=0.2
)


class Recorder:
    """Collects what the scanner reports, and waits (bounded) for it."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.states: list[ScannerState] = []
        self._changed = threading.Condition()

    def on_scan(self, code: str) -> None:
        with self._changed:
            self.codes.append(code)
            self._changed.notify_all()

    def on_state(self, state: ScannerState) -> None:
        with self._changed:
            self.states.append(state)
            self._changed.notify_all()

    def wait_codes(self, count: int) -> list[str]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.codes) >= count, WAIT), self.codes
            return list(self.codes)

    def wait_state(self, connected: bool, after: int = 0) -> int:
        """The index of the first state from `after` on that is (dis)connected."""

        def found() -> int | None:
            for index in range(after, len(self.states)):
                if self.states[index].connected == connected:
                    return index
            return None

        with self._changed:
            assert self._changed.wait_for(lambda: found() is not None, WAIT), self.states
            index = found()
            assert index is not None
            return index


class PtyDevice:
    """A scanner's end of a pseudo-terminal: what the test writes, the scanner reads."""

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # bytes pass unchanged, as pyserial sets its own end
        self.path = os.ttyname(self._slave)

    def send(self, data: bytes) -> None:
        os.write(self._master, data)

    def unplug(self) -> None:
        os.close(self._master)
        os.close(self._slave)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def pty_device() -> Iterator[PtyDevice]:
    device = PtyDevice()
    yield device
    device.unplug()


@pytest.fixture
def run_scanner(recorder: Recorder) -> Iterator[Callable[..., SerialScanner]]:
    started: list[SerialScanner] = []

    def run(url: str, settings: SerialScannerSettings = FAST, **options: Any) -> SerialScanner:
        scanner = SerialScanner(url, settings, on_state=recorder.on_state, **options)
        source: ScanSource = scanner
        source.start(recorder.on_scan)
        started.append(scanner)
        return scanner

    yield run
    for scanner in started:
        scanner.stop()
        assert not scanner.running


class LoopPorts:
    """Opens pyserial loop:// ports for the scanner and keeps them, so the test can write into
    the one in use (a loop port reads back what is written to it)."""

    def __init__(self) -> None:
        self.opened: list[Any] = []

    def __call__(self) -> Any:
        port = serial.serial_for_url("loop://", timeout=FAST.read_timeout_s)
        self.opened.append(port)
        return port

    @property
    def current(self) -> Any:
        return self.opened[-1]


def test_codes_through_a_pty_arrive_once_each_without_their_line_ends(
    recorder: Recorder, pty_device: PtyDevice, run_scanner: Callable[..., SerialScanner]
) -> None:
    scanner = run_scanner(pty_device.path)
    recorder.wait_state(connected=True)
    assert scanner.state == ScannerState(connected=True)

    pty_device.send(b"4607001234567\r\n2000000000017\r")
    pty_device.send(b"\n\r\n   \n  ABC-12 \nhttps://survey.example/r/")
    pty_device.send(b"00042\n")

    assert recorder.wait_codes(4) == [
        "4607001234567",
        "2000000000017",
        "ABC-12",
        "https://survey.example/r/00042",
    ]


def test_bytes_that_are_not_utf8_are_replaced_not_fatal(
    recorder: Recorder, pty_device: PtyDevice, run_scanner: Callable[..., SerialScanner]
) -> None:
    run_scanner(pty_device.path)
    recorder.wait_state(connected=True)
    pty_device.send(b"12\xff34\r\n" + "КОД-1\r\n".encode())
    assert recorder.wait_codes(2) == ["12\N{REPLACEMENT CHARACTER}34", "КОД-1"]


def test_a_configured_suffix_ends_codes_instead_of_cr_lf(
    recorder: Recorder, pty_device: PtyDevice, run_scanner: Callable[..., SerialScanner]
) -> None:
    settings = SerialScannerSettings(
        read_timeout_s=0.05, retry_initial_s=0.02, retry_max_s=0.2, suffix=b"\x03"
    )
    run_scanner(pty_device.path, settings)
    recorder.wait_state(connected=True)
    pty_device.send(b"ONE\r\nLINE\x03\x03TWO\x03")
    assert recorder.wait_codes(2) == ["ONE\r\nLINE", "TWO"]


def test_noise_without_an_end_is_dropped_and_the_next_code_gets_through(
    recorder: Recorder, pty_device: PtyDevice, run_scanner: Callable[..., SerialScanner]
) -> None:
    settings = SerialScannerSettings(
        read_timeout_s=0.05, retry_initial_s=0.02, retry_max_s=0.2, max_code_length=16
    )
    run_scanner(pty_device.path, settings)
    recorder.wait_state(connected=True)
    pty_device.send(b"x" * 40)
    pty_device.send(b"yyyy\r\n7777\r\n")
    assert recorder.wait_codes(1) == ["7777"]


def test_a_failing_callback_is_logged_and_the_next_code_still_arrives(
    pty_device: PtyDevice, caplog: pytest.LogCaptureFixture
) -> None:
    codes: list[str] = []
    arrived = threading.Event()
    states = Recorder()

    def on_scan(code: str) -> None:
        if code == "BAD":
            raise RuntimeError("the till fell over")
        codes.append(code)
        arrived.set()

    scanner = SerialScanner(pty_device.path, FAST, on_state=states.on_state)
    with caplog.at_level(logging.ERROR, logger="hardware.scanners.serial_scanner"):
        scanner.start(on_scan)
        try:
            states.wait_state(connected=True)
            pty_device.send(b"BAD\r\nGOOD\r\n")
            assert arrived.wait(WAIT)
        finally:
            scanner.stop()
    assert codes == ["GOOD"]
    assert "on_scan failed" in caplog.text


def test_unplug_and_replug_through_a_stable_port_name(
    recorder: Recorder, tmp_path: Path, run_scanner: Callable[..., SerialScanner]
) -> None:
    # Like /dev/serial/by-id/...: a symlink that goes away on unplug and comes back to a new
    # device node (here a new pty) on replug.
    link = tmp_path / "usb-Scanner_1234-if00"
    first = PtyDevice()
    link.symlink_to(first.path)
    run_scanner(str(link))
    recorder.wait_state(connected=True)
    first.send(b"BEFORE\r\n")
    assert recorder.wait_codes(1) == ["BEFORE"]

    link.unlink()
    first.unplug()
    gone = recorder.wait_state(connected=False, after=1)
    assert "unplugged" in recorder.states[gone].reason

    second = PtyDevice()
    try:
        link.symlink_to(second.path)
        recorder.wait_state(connected=True, after=gone)
        second.send(b"AFTER\r\n")
        second.send(b"END\r\n")
        assert recorder.wait_codes(3) == ["BEFORE", "AFTER", "END"]
    finally:
        second.unplug()
    connected = [state.connected for state in recorder.states]
    assert connected[0] is True
    assert connected.count(True) == 2  # one reconnection, not a flapping port


def test_closing_the_pty_master_is_an_unplug(
    recorder: Recorder, run_scanner: Callable[..., SerialScanner]
) -> None:
    device = PtyDevice()
    run_scanner(device.path)
    recorder.wait_state(connected=True)
    device.unplug()
    gone = recorder.wait_state(connected=False, after=1)
    assert recorder.states[gone].reason.startswith(f"lost {device.path}")


def test_loop_port_codes_then_an_unplug_and_a_fresh_port(
    recorder: Recorder, run_scanner: Callable[..., SerialScanner]
) -> None:
    ports = LoopPorts()
    run_scanner("loop://", opener=ports)
    recorder.wait_state(connected=True)
    ports.current.write(b"111\r\n222")
    ports.current.write(b"\r\n")
    assert recorder.wait_codes(2) == ["111", "222"]

    ports.current.write(b"HALF-A-CO")  # cut off by the unplug: never delivered
    ports.current.close()
    gone = recorder.wait_state(connected=False, after=1)
    recorder.wait_state(connected=True, after=gone)
    ports.current.write(b"333\r\n")
    assert recorder.wait_codes(3) == ["111", "222", "333"]
    assert len(ports.opened) == 2


def test_a_missing_port_is_reported_and_retried_until_stopped(
    recorder: Recorder, tmp_path: Path
) -> None:
    path = tmp_path / "ttyACM9"
    scanner = SerialScanner(str(path), FAST, on_state=recorder.on_state)
    scanner.start(recorder.on_scan)
    try:
        first = recorder.wait_state(connected=False)
        assert (
            recorder.states[first].reason == f"{path} not found: scanner unplugged, or wrong port"
        )
        assert scanner.running
    finally:
        scanner.stop()
    assert not scanner.running
    assert recorder.states[-1] == ScannerState(connected=False, reason="stopped")
    assert recorder.states.count(recorder.states[first]) == 1  # retries repeat no state


def test_a_bad_url_is_reported_as_unusable(recorder: Recorder) -> None:
    scanner = SerialScanner("nonsense-scheme://x", FAST, on_state=recorder.on_state)
    scanner.start(recorder.on_scan)
    try:
        first = recorder.wait_state(connected=False)
        assert recorder.states[first].reason.startswith("cannot use nonsense-scheme://x")
    finally:
        scanner.stop()


def test_stop_does_not_wait_for_a_long_read_to_time_out(
    recorder: Recorder, pty_device: PtyDevice
) -> None:
    slow_reads = SerialScannerSettings(read_timeout_s=30.0)
    scanner = SerialScanner(pty_device.path, slow_reads, on_state=recorder.on_state)
    scanner.start(recorder.on_scan)
    recorder.wait_state(connected=True)
    began = time.monotonic()
    scanner.stop()
    assert time.monotonic() - began < 5.0  # far below the 30 s read: the read was cancelled
    assert not scanner.running
    assert recorder.states == [ScannerState(connected=True), ScannerState(False, "stopped")]


def test_a_stopped_scanner_starts_again_and_refuses_a_second_start(
    recorder: Recorder, pty_device: PtyDevice
) -> None:
    scanner = SerialScanner(pty_device.path, FAST, on_state=recorder.on_state)
    scanner.stop()  # never started: nothing to do
    scanner.start(recorder.on_scan)
    try:
        with pytest.raises(RuntimeError, match="already running"):
            scanner.start(recorder.on_scan)
        recorder.wait_state(connected=True)
    finally:
        scanner.stop()
    scanner.start(recorder.on_scan)
    try:
        again = recorder.wait_state(connected=True, after=2)
        pty_device.send(b"ONCE\r\n")
        assert recorder.wait_codes(1) == ["ONCE"]
        assert again == 2
    finally:
        scanner.stop()


def test_the_splitter_drops_noise_whether_it_comes_in_one_piece_or_many() -> None:
    # What a reader thread sees depends on timing; the codes must not.
    noise_then_code = b"x" * 40 + b"yyyy\r\n7777\r\n"
    whole = CodeSplitter(max_code_length=16)
    assert whole.feed(noise_then_code) == ["7777"]
    bytewise = CodeSplitter(max_code_length=16)
    codes = [
        code
        for at in range(len(noise_then_code))
        for code in bytewise.feed(noise_then_code[at : at + 1])
    ]
    assert codes == ["7777"]
    exactly = CodeSplitter(max_code_length=4)
    assert exactly.feed(b"1234\n12345\n5678\r\n") == ["1234", "5678"]


def test_the_splitter_keeps_a_partial_code_until_its_end_arrives() -> None:
    splitter = CodeSplitter(suffix=b"\t")
    assert splitter.feed(b"46070") == []
    assert splitter.feed(b"01\t\t 99 \t") == ["4607001", "99"]


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="suffix"):
        SerialScannerSettings(suffix=b"")
    with pytest.raises(ValueError, match="retry"):
        SerialScannerSettings(retry_initial_s=2.0, retry_max_s=1.0)
    with pytest.raises(ValueError, match="positive"):
        SerialScannerSettings(read_timeout_s=0)
