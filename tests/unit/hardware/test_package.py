from __future__ import annotations

import subprocess
import sys

import pytest

from hardware import FakeReceiptPrinter, PrinterOutOfPaperError, ReceiptDocument, ReceiptPrinter


def test_importing_hardware_leaves_python_escpos_unloaded() -> None:
    # python-escpos calls logging.basicConfig() when imported, which would hijack the till's
    # logging setup; it must load only when something is printed.
    probe = "import sys, hardware; print('escpos' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_fake_printer_records_documents_and_fails_on_request() -> None:
    fake = FakeReceiptPrinter()
    printer: ReceiptPrinter = fake
    first, second = ReceiptDocument(title="1"), ReceiptDocument(title="2")
    fake.fail_next(PrinterOutOfPaperError("out of paper"))

    with pytest.raises(PrinterOutOfPaperError):
        printer.print_receipt(first)
    printer.print_receipt(first)
    printer.print_receipt(second)

    assert fake.printed == [first, second]
