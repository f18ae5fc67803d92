from __future__ import annotations

import pytest

from hardware import (
    PrinterCoverOpenError,
    PrinterFaultError,
    PrinterOutOfPaperError,
    PrinterStatus,
)
from hardware.printer_status import (
    QUERY_OFFLINE_CAUSE,
    QUERY_PAPER_SENSOR,
    UNKNOWN_STATUS,
    ensure_ready,
    query_realtime_status,
    status_from_lp_port,
)

READY = 0x12  # the fixed bits only


def answering(offline_cause: bytes, paper: bytes) -> dict[bytes, bytes]:
    return {QUERY_OFFLINE_CAUSE: offline_cause, QUERY_PAPER_SENSOR: paper}


@pytest.mark.parametrize(
    ("replies", "expected"),
    [
        (answering(b"\x12", b"\x12"), PrinterStatus(known=True)),
        (answering(b"\x16", b"\x12"), PrinterStatus(known=True, cover_open=True)),
        (answering(b"\x32", b"\x72"), PrinterStatus(known=True, paper_out=True)),
        (answering(b"\x12", b"\x1e"), PrinterStatus(known=True, paper_low=True)),
        (answering(b"\x52", b"\x12"), PrinterStatus(known=True, fault=True)),
        (answering(b"", b""), UNKNOWN_STATUS),  # no answer
        (answering(b"\x10", b"\x04"), UNKNOWN_STATUS),  # echo of our own query (loop://)
        (answering(b"\x12\x12", b"\x12"), UNKNOWN_STATUS),
    ],
)
def test_realtime_status_replies(replies: dict[bytes, bytes], expected: PrinterStatus) -> None:
    assert query_realtime_status(replies.__getitem__) == expected


def test_no_second_query_after_an_unanswered_first() -> None:
    asked: list[bytes] = []

    def silent(query: bytes) -> bytes:
        asked.append(query)
        return b""

    assert query_realtime_status(silent) == UNKNOWN_STATUS
    assert asked == [QUERY_OFFLINE_CAUSE]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (PrinterStatus(known=True, paper_out=True, cover_open=True), PrinterOutOfPaperError),
        (PrinterStatus(known=True, cover_open=True), PrinterCoverOpenError),
        (PrinterStatus(known=True, fault=True), PrinterFaultError),
    ],
)
def test_status_that_prevents_printing_raises_a_named_error(
    status: PrinterStatus, error: type[Exception]
) -> None:
    with pytest.raises(error, match="tcp://printer"):
        ensure_ready(status, "tcp://printer")


@pytest.mark.parametrize(
    "status", [UNKNOWN_STATUS, PrinterStatus(known=True), PrinterStatus(known=True, paper_low=True)]
)
def test_unknown_ready_or_low_paper_status_lets_printing_go_ahead(status: PrinterStatus) -> None:
    ensure_ready(status, "tcp://printer")


def test_linux_lp_port_status_reports_paper_out() -> None:
    assert status_from_lp_port(0x18) == PrinterStatus(known=True)
    assert status_from_lp_port(0x38).paper_out
