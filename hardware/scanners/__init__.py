"""Barcode scanners: keyboard-wedge (HID) input told from typing, serial/USB-CDC scanners read on a
background thread; both are a `ScanSource` delivering codes to one callback. No Qt here."""

from hardware.scanners.serial_scanner import (
    CodeSplitter,
    ScannerState,
    SerialScanner,
    SerialScannerSettings,
)
from hardware.scanners.source import ScanCallback, ScanSource
from hardware.scanners.wedge import (
    KeyStroke,
    Scan,
    Suffix,
    Typing,
    WedgeClassifier,
    WedgeScanner,
    WedgeSettings,
)

__all__ = [
    "CodeSplitter",
    "KeyStroke",
    "Scan",
    "ScanCallback",
    "ScanSource",
    "ScannerState",
    "SerialScanner",
    "SerialScannerSettings",
    "Suffix",
    "Typing",
    "WedgeClassifier",
    "WedgeScanner",
    "WedgeSettings",
]
