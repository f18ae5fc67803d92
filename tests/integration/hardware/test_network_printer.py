"""Printing over raw TCP to a real socket server on 127.0.0.1."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time

import pytest

from hardware import (
    PrinterConfigError,
    PrinterCoverOpenError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterStatus,
    PrinterTimeoutError,
    PrinterUnconfirmedError,
    open_printer,
    print_test_receipt,
)
from hardware.printer_status import UNKNOWN_STATUS
from hardware.receipt import ReceiptDocument
from tests.integration.hardware.escpos_bytes import assert_test_page_bytes
from tests.integration.hardware.fake_printers import (
    COVER_OPEN,
    OUT_OF_PAPER,
    PAPER_LOW,
    LoopbackTcpPrinter,
)

DLE_EOT_2, DLE_EOT_4 = b"\x10\x04\x02", b"\x10\x04\x04"  # what the status query sends
BOTH = DLE_EOT_2 + DLE_EOT_4


def test_loopback_printer_receives_exactly_the_dummy_bytes(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with LoopbackTcpPrinter() as fake:
        open_printer(fake.url()).print_receipt(receipt)
        job = fake.next_job()
    assert fake.status_queries == [BOTH]  # asked first, then the job
    assert_test_page_bytes(job)
    assert job == dummy_bytes


def test_test_receipt_over_tcp_has_russian_text_a_qr_and_a_cut() -> None:
    with LoopbackTcpPrinter() as fake:
        print_test_receipt(fake.url())
        job = fake.next_job()
    assert "ТЕСТОВЫЙ ЧЕК / TEST RECEIPT" in job.decode("cp866")
    assert b"\x1d(k" in job and job.endswith(b"\x1dV\x00")


def test_printer_that_is_off_is_refused_at_once_with_a_clear_reason() -> None:
    """Nobody listens on the port: the host answers the connection attempt with a refusal,
    so the till is told at once that the printer is off. The configured timeout (here the
    longest allowed, 120 s) only bounds a printer that does not answer at all, and that is
    a PrinterTimeoutError (see the busy printer below), not this."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printer = open_printer(f"tcp://127.0.0.1:{port}?timeout=120")
    with pytest.raises(PrinterOfflineError) as caught:
        printer.print_receipt(ReceiptDocument(title="Чек"))
    assert str(caught.value) == (
        f"tcp://127.0.0.1:{port} refused the connection: printer off, restarting, "
        "or not listening on this port"
    )
    # The refusal itself, answered by the host, not a wait that ran out.
    assert isinstance(caught.value.__cause__, ConnectionRefusedError)


def test_busy_printer_that_accepts_no_connection_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0), backlog=0) as busy:
        port = busy.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):  # the other till's job
            printer = open_printer(f"tcp://127.0.0.1:{port}?timeout=0.5")
            with pytest.raises(PrinterTimeoutError, match="did not accept a connection"):
                printer.print_receipt(ReceiptDocument(title="Чек"))


@pytest.mark.parametrize(
    ("replies", "error", "reason"),
    [
        (OUT_OF_PAPER, PrinterOutOfPaperError, "out of paper"),
        (COVER_OPEN, PrinterCoverOpenError, "cover open"),
    ],
)
def test_printer_status_stops_the_job_before_any_byte_is_sent(
    receipt: ReceiptDocument, replies: dict[int, int], error: type[Exception], reason: str
) -> None:
    with LoopbackTcpPrinter(replies) as fake:
        with pytest.raises(error, match=reason):
            open_printer(fake.url()).print_receipt(receipt)
        fake.wait_for_connections(1)
        assert fake.jobs.empty()
    assert fake.status_queries == [BOTH]


def test_printer_that_never_answers_status_still_prints(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with LoopbackTcpPrinter(replies=None) as fake:
        open_printer(fake.url()).print_receipt(receipt)
        job = fake.next_job()
    assert fake.status_queries == [DLE_EOT_2]  # no answer within a second: stop asking, print
    assert job == dummy_bytes


def test_status_off_sends_no_queries(receipt: ReceiptDocument, dummy_bytes: bytes) -> None:
    with LoopbackTcpPrinter(OUT_OF_PAPER) as fake:
        open_printer(fake.url("status=off")).print_receipt(receipt)
        job = fake.next_job()
    assert fake.status_queries == [b""]
    assert job == dummy_bytes


def test_status_off_answers_unknown_without_connecting() -> None:
    with LoopbackTcpPrinter(OUT_OF_PAPER) as fake:
        assert open_printer(fake.url("status=off")).query_status() == UNKNOWN_STATUS
    assert fake.status_queries == []


def test_status_can_be_queried_without_printing() -> None:
    with LoopbackTcpPrinter(PAPER_LOW) as fake:
        status = open_printer(fake.url()).query_status()
        fake.wait_for_connections(1)
        assert fake.jobs.empty()
    assert fake.status_queries == [b"\x10\x04\x02\x10\x04\x04"]  # DLE EOT 2, DLE EOT 4
    assert status == PrinterStatus(known=True, paper_low=True)


@pytest.mark.parametrize(
    ("answers", "status", "asked"),
    [
        # DLE EOT 2 (offline cause), DLE EOT 4 (paper sensor); fixed bits 0x12 = 0001 0010
        ({2: 0x12, 4: 0x12}, PrinterStatus(known=True), BOTH),
        ({2: 0x12, 4: 0x1E}, PrinterStatus(known=True, paper_low=True), BOTH),  # 0x0C near end
        ({2: 0x12, 4: 0x72}, PrinterStatus(known=True, paper_out=True), BOTH),  # 0x60 paper end
        ({2: 0x32, 4: 0x12}, PrinterStatus(known=True, paper_out=True), BOTH),  # 0x20 no paper
        ({2: 0x16, 4: 0x12}, PrinterStatus(known=True, cover_open=True), BOTH),  # 0x04 cover
        ({2: 0x52, 4: 0x12}, PrinterStatus(known=True, fault=True), BOTH),  # 0x40 error
        ({2: 0x12, 4: 0x13}, UNKNOWN_STATUS, BOTH),  # bit 0 set: not a status byte
        ({2: 0x00, 4: 0x12}, UNKNOWN_STATUS, DLE_EOT_2),  # lacks the fixed bits: stop asking
    ],
)
def test_the_printers_answer_maps_to_the_status_the_till_sees(
    answers: dict[int, int], status: PrinterStatus, asked: bytes
) -> None:
    with LoopbackTcpPrinter(answers) as fake:
        assert open_printer(fake.url()).query_status() == status
        fake.wait_for_connections(1)
    assert fake.status_queries == [asked]


def test_an_answer_to_the_first_query_only_leaves_the_status_unknown() -> None:
    with LoopbackTcpPrinter({2: 0x32}) as fake:  # says "no paper", then falls silent
        assert open_printer(fake.url()).query_status() == UNKNOWN_STATUS
        fake.wait_for_connections(1)
    assert fake.status_queries == [BOTH]


def test_bad_printer_url_for_the_test_receipt_names_the_problem() -> None:
    with pytest.raises(PrinterConfigError, match="unknown printer type 'http'"):
        print_test_receipt("http://192.168.1.50")


def _printer_that(behaviour: str) -> tuple[socket.socket, threading.Thread, list[int]]:
    """A port-9100 listener that takes 100 bytes of the job, then resets the connection
    ("reset") or keeps it open without ever closing it ("hangs")."""
    server = socket.create_server(("127.0.0.1", 0))
    taken: list[int] = []

    def serve() -> None:
        connection, _ = server.accept()
        connection.settimeout(5)
        got = b""
        while len(got) < 100:
            got += connection.recv(100 - len(got))
        taken.append(len(got))
        if behaviour == "reset":  # SO_LINGER 0: close() sends RST, not FIN
            time.sleep(0.3)  # the till has sent the rest and waits for the printer's close
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            time.sleep(1.5)
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread, taken


def test_a_printer_that_resets_the_connection_mid_job_is_not_reported_printed(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    server, thread, taken = _printer_that("reset")
    port = server.getsockname()[1]
    try:
        printer = open_printer(f"tcp://127.0.0.1:{port}?timeout=5&status=off")
        # Lost while sending or before the printer's close, as the reset happens to land.
        lost = re.escape(f"connection to tcp://127.0.0.1:{port} lost")
        with pytest.raises(PrinterOfflineError, match=lost):
            printer.print_receipt(receipt)
    finally:
        thread.join(timeout=5)
        server.close()
    assert taken == [100] and len(dummy_bytes) > 100  # it took a part of the job, not all


def test_a_printer_that_never_confirms_the_job_times_out_instead_of_printed(
    receipt: ReceiptDocument,
) -> None:
    server, thread, _taken = _printer_that("hangs")
    port = server.getsockname()[1]
    try:
        printer = open_printer(f"tcp://127.0.0.1:{port}?timeout=0.5&status=off")
        with pytest.raises(PrinterUnconfirmedError, match=r"did not confirm it within 0\.5 s"):
            printer.print_receipt(receipt)
    finally:
        thread.join(timeout=5)
        server.close()
