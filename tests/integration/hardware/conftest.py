from __future__ import annotations

import pytest

from hardware import open_printer
from hardware.receipt import ReceiptDocument
from hardware.test_receipt import build_test_receipt


@pytest.fixture
def receipt() -> ReceiptDocument:
    """The admin test page: Russian and English text, a QR code and a cut."""
    return build_test_receipt(open_printer("dummy://").print_format, "test printer")


@pytest.fixture
def dummy_bytes(receipt: ReceiptDocument) -> bytes:
    """What python-escpos' Dummy printer records for `receipt`."""
    printer = open_printer("dummy://")
    printer.print_receipt(receipt)
    output: bytes = printer.transport.output  # type: ignore[attr-defined]
    return output
