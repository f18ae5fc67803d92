from __future__ import annotations

import pytest

from hardware import PrinterError, open_printer
from hardware.receipt import ReceiptDocument


def test_usb_printer_that_is_absent_gives_a_printer_error() -> None:
    # Without pyusb this is a configuration error, with it the device is simply not found;
    # either way the till gets a PrinterError naming the printer, never a crash.
    printer = open_printer("usb://0x0416:0x5011?timeout=1")
    with pytest.raises(PrinterError, match="0416:5011"):
        printer.print_receipt(ReceiptDocument(title="Чек"))
