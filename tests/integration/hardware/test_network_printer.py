"""Printing over raw TCP to a real socket server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest

from hardware import (
    PrinterConfigError,
    PrinterCoverOpenError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterStatus,
    PrinterTimeoutError,
    open_printer,
    print_test_receipt,
)
from hardware.receipt import ReceiptDocument
from tests.integration.hardware.fake_printers import (
    COVER_OPEN,
    OUT_OF_PAPER,
    PAPER_LOW,
    LoopbackTcpPrinter,
)


def test_loopback_printer_receives_exactly_the_dummy_bytes(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with LoopbackTcpPrinter() as fake:
        open_printer(fake.url()).print_receipt(receipt)
        assert fake.next_job() == dummy_bytes


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


def test_printer_that_never_answers_status_still_prints(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with LoopbackTcpPrinter(replies=None) as fake:
        open_printer(fake.url()).print_receipt(receipt)
        assert fake.next_job() == dummy_bytes


def test_status_off_sends_no_queries(receipt: ReceiptDocument, dummy_bytes: bytes) -> None:
    with LoopbackTcpPrinter(OUT_OF_PAPER) as fake:
        open_printer(fake.url("status=off")).print_receipt(receipt)
        assert fake.next_job() == dummy_bytes


def test_status_can_be_queried_without_printing() -> None:
    with LoopbackTcpPrinter(PAPER_LOW) as fake:
        status = open_printer(fake.url()).query_status()
        fake.wait_for_connections(1)
        assert fake.jobs.empty()
    assert status == PrinterStatus(known=True, paper_low=True)


def test_bad_printer_url_for_the_test_receipt_names_the_problem() -> None:
    with pytest.raises(PrinterConfigError, match="unknown printer type 'http'"):
        print_test_receipt("http://192.168.1.50")
