"""Printing over a serial line: a pseudo-terminal stands in for the printer's port."""

from __future__ import annotations

import pytest

from hardware import (
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterStatus,
    PrinterTimeoutError,
    open_printer,
)
from hardware.printer_status import UNKNOWN_STATUS
from hardware.receipt import ItemLine, ReceiptDocument
from tests.integration.hardware.escpos_bytes import assert_test_page_bytes
from tests.integration.hardware.fake_printers import (
    OUT_OF_PAPER,
    PAPER_LOW,
    LoopbackTcpPrinter,
    PtySerialPrinter,
)

DLE_EOT_2, DLE_EOT_4 = b"\x10\x04\x02", b"\x10\x04\x04"


def test_serial_printer_receives_exactly_the_dummy_bytes(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with PtySerialPrinter() as fake:
        open_printer(fake.url()).print_receipt(receipt)
        job = fake.received_job(len(dummy_bytes))
    assert_test_page_bytes(job)
    assert job == dummy_bytes


def test_out_of_paper_over_serial_stops_the_job(receipt: ReceiptDocument) -> None:
    with PtySerialPrinter(OUT_OF_PAPER) as fake:
        with pytest.raises(PrinterOutOfPaperError, match="out of paper"):
            open_printer(fake.url()).print_receipt(receipt)
        assert fake.job_so_far() == b""


def test_serial_printer_that_stops_taking_data_times_out_instead_of_hanging() -> None:
    long_receipt = ReceiptDocument(
        items=tuple(ItemLine(f"Товар {n}", "1 x 10,00", "10,00") for n in range(600))
    )
    with PtySerialPrinter(stalled=True) as fake:
        printer = open_printer(f"serial://{fake.device}?timeout=0.3&status=off")
        with pytest.raises(PrinterTimeoutError, match="stopped taking data"):
            printer.print_receipt(long_receipt)


def test_unplugged_serial_printer_is_reported_offline(receipt: ReceiptDocument) -> None:
    printer = open_printer("serial:///dev/ttyUSB-loyalty-test-missing")
    with pytest.raises(PrinterOfflineError, match="unplugged"):
        printer.print_receipt(receipt)


def test_a_loop_port_echoes_the_status_query_which_is_no_status_so_printing_goes_ahead() -> None:
    # loop:// sends back what it is given: the answer to DLE EOT 2 is its own first byte, DLE
    # (0x10), whose fixed bits are not 0xx1xx10, so the status is unknown rather than an error.
    printer = open_printer("serial://loop://?baudrate=115200")
    assert printer.query_status() == UNKNOWN_STATUS
    printer.print_receipt(ReceiptDocument(title="Чек", cut=False))


def test_pyserial_url_ports_carry_the_receipt_bytes_and_the_status_queries(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    # socket:// is pyserial's own URL port over TCP: a serial-to-network adapter.
    with LoopbackTcpPrinter(PAPER_LOW) as fake:
        printer = open_printer(f"serial://socket://127.0.0.1:{fake.port}?timeout=5")
        assert printer.query_status() == PrinterStatus(known=True, paper_low=True)
        printer.print_receipt(receipt)
        job = fake.next_job()
    assert fake.status_queries == [DLE_EOT_2 + DLE_EOT_4] * 2  # the status read, the receipt
    assert_test_page_bytes(job)
    assert job == dummy_bytes
