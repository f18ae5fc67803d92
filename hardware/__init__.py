"""Devices at the till: receipt printers (the document model, its layout, ESC/POS printing over
network/serial/USB/file links), card QR images, and barcode scanners (keyboard wedge, serial).
No Qt and nothing of the till or the server.

Every print call is blocking I/O: run it on a worker thread, never on the GUI thread. A serial
scanner reads on its own thread and calls back from there.
"""

from hardware.card_qr import render_card_qr_png
from hardware.detect import (
    DetectedDevices,
    DetectedSerialPort,
    DetectedUsbPrinter,
    detect_devices,
)
from hardware.errors import (
    PrinterConfigError,
    PrinterCoverOpenError,
    PrinterError,
    PrinterFaultError,
    PrinterNotReadyError,
    PrinterOfflineError,
    PrinterOutOfPaperError,
    PrinterTimeoutError,
    PrinterUnconfirmedError,
)
from hardware.escpos_render import paper_columns
from hardware.fakes import FakeReceiptPrinter
from hardware.printer import EscposReceiptPrinter, ReceiptPrinter, open_printer
from hardware.printer_config import (
    DummyPrinterConfig,
    FilePrinterConfig,
    NetworkPrinterConfig,
    PrinterConfig,
    PrintFormat,
    SerialPrinterConfig,
    UsbPrinterConfig,
    parse_printer_url,
)
from hardware.printer_status import PrinterStatus
from hardware.receipt import (
    BonusBreakdown,
    ItemLine,
    QrCode,
    ReceiptDocument,
    StoreHeader,
    ValueRow,
)
from hardware.receipt_layout import ReceiptLayout, layout_receipt
from hardware.scanners import (
    CodeSplitter,
    KeyStroke,
    Scan,
    ScanCallback,
    ScannerState,
    ScanSource,
    SerialScanner,
    SerialScannerSettings,
    Suffix,
    Typing,
    WedgeClassifier,
    WedgeScanner,
    WedgeSettings,
)
from hardware.test_receipt import print_test_receipt

__all__ = [
    "BonusBreakdown",
    "CodeSplitter",
    "DetectedDevices",
    "DetectedSerialPort",
    "DetectedUsbPrinter",
    "DummyPrinterConfig",
    "EscposReceiptPrinter",
    "FakeReceiptPrinter",
    "FilePrinterConfig",
    "ItemLine",
    "KeyStroke",
    "NetworkPrinterConfig",
    "PrintFormat",
    "PrinterConfig",
    "PrinterConfigError",
    "PrinterCoverOpenError",
    "PrinterError",
    "PrinterFaultError",
    "PrinterNotReadyError",
    "PrinterOfflineError",
    "PrinterOutOfPaperError",
    "PrinterStatus",
    "PrinterTimeoutError",
    "PrinterUnconfirmedError",
    "QrCode",
    "ReceiptDocument",
    "ReceiptLayout",
    "ReceiptPrinter",
    "Scan",
    "ScanCallback",
    "ScanSource",
    "ScannerState",
    "SerialPrinterConfig",
    "SerialScanner",
    "SerialScannerSettings",
    "StoreHeader",
    "Suffix",
    "Typing",
    "UsbPrinterConfig",
    "ValueRow",
    "WedgeClassifier",
    "WedgeScanner",
    "WedgeSettings",
    "detect_devices",
    "layout_receipt",
    "open_printer",
    "paper_columns",
    "parse_printer_url",
    "print_test_receipt",
    "render_card_qr_png",
]
