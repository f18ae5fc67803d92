"""Printing over a serial line: a pseudo-terminal stands in for the printer's port."""

from __future__ import annotations

import pytest

from hardware import (
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterTimeoutError,
    open_printer,
)
from hardware.receipt import ItemLine, ReceiptDocument
from tests.integration.hardware.fake_printers import OUT_OF_PAPER, PtySerialPrinter


def test_serial_printer_receives_exactly_the_dummy_bytes(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    with PtySerialPrinter() as fake:
        open_printer(fake.url()).print_receipt(receipt)
        assert fake.received_job(len(dummy_bytes)) == dummy_bytes


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


def test_pyserial_url_ports_work_too() -> None:
    # loop:// echoes our status query back; that is no valid status, so printing goes ahead.
    doc = ReceiptDocument(title="Чек", cut=False)
    open_printer("serial://loop://?baudrate=115200").print_receipt(doc)
