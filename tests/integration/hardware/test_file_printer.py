"""Printing to a plain file, a FIFO and device nodes."""

from __future__ import annotations

import fcntl
import os
import stat
import uuid
from pathlib import Path

import pytest

from hardware import (
    PrinterConfigError,
    PrinterOfflineError,
    PrinterTimeoutError,
    open_printer,
)
from hardware.receipt import ItemLine, ReceiptDocument
from tests.integration.hardware.escpos_bytes import assert_test_page_bytes
from tests.integration.hardware.fake_printers import PtySerialPrinter


def test_file_printer_writes_the_dummy_bytes_and_each_job_replaces_the_last(
    tmp_path: Path, receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    target = tmp_path / "receipt.bin"
    printer = open_printer(f"file://{target}")
    printer.print_receipt(ReceiptDocument(title="первый"))
    printer.print_receipt(receipt)
    assert target.read_bytes() == dummy_bytes


def test_fifo_with_a_reader_gets_the_job(
    tmp_path: Path, receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    fifo = tmp_path / "printer"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        open_printer(f"file://{fifo}").print_receipt(receipt)
        assert os.read(reader, len(dummy_bytes) + 1) == dummy_bytes  # fits the pipe buffer
    finally:
        os.close(reader)


def test_fifo_without_a_reader_is_offline(tmp_path: Path, receipt: ReceiptDocument) -> None:
    fifo = tmp_path / "printer"
    os.mkfifo(fifo)
    with pytest.raises(PrinterOfflineError, match="nothing answers"):
        open_printer(f"file://{fifo}").print_receipt(receipt)


def test_device_that_stops_taking_data_times_out_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "printer"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: a stalled printer
    try:
        fcntl.fcntl(reader, fcntl.F_SETPIPE_SZ, 4096)
        long_receipt = ReceiptDocument(
            items=tuple(ItemLine(f"Товар {n}", "1 x 10,00", "10,00") for n in range(400))
        )
        printer = open_printer(f"file://{fifo}?timeout=0.3")
        with pytest.raises(PrinterTimeoutError, match="stopped taking data"):
            printer.print_receipt(long_receipt)
    finally:
        os.close(reader)


def test_missing_device_node_is_offline_and_never_created(receipt: ReceiptDocument) -> None:
    # A name of this run's own under /dev: a fixed one is shared with every other run on the
    # machine, and a mutation run's mutant that once created it made every later run fail.
    missing = Path(f"/dev/loyalty-test-lp-missing-{uuid.uuid4().hex}")
    try:
        with pytest.raises(PrinterOfflineError, match="printer off or unplugged"):
            open_printer(f"file://{missing}").print_receipt(receipt)
        assert not missing.exists()
    finally:
        missing.unlink(missing_ok=True)


def test_character_device_without_printer_status_prints(
    receipt: ReceiptDocument, dummy_bytes: bytes
) -> None:
    # A pseudo-terminal is a character device that answers no LPGETSTATUS (ENOTTY), like a
    # printer driver without status: the status is unknown and the job goes ahead, unchanged.
    with PtySerialPrinter(replies=None) as device:
        assert stat.S_ISCHR(os.stat(device.device).st_mode)
        open_printer(f"file://{device.device}").print_receipt(receipt)
        job = device.received_job(len(dummy_bytes))
    assert_test_page_bytes(job)
    assert job == dummy_bytes


def test_file_in_a_missing_folder_is_a_configuration_error(
    tmp_path: Path, receipt: ReceiptDocument
) -> None:
    with pytest.raises(PrinterConfigError, match="folder does not exist"):
        open_printer(f"file://{tmp_path}/nope/receipt.bin").print_receipt(receipt)
