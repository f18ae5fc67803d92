from __future__ import annotations

import pytest

from hardware import (
    DummyPrinterConfig,
    FilePrinterConfig,
    NetworkPrinterConfig,
    PrinterConfigError,
    PrintFormat,
    SerialPrinterConfig,
    UsbPrinterConfig,
    open_printer,
    paper_columns,
    parse_printer_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("tcp://192.168.1.50:9100", NetworkPrinterConfig("192.168.1.50", 9100)),
        ("tcp://printer.local", NetworkPrinterConfig("printer.local", 9100)),
        ("tcp://[fe80::1]:9101?timeout=2.5", NetworkPrinterConfig("fe80::1", 9101, timeout=2.5)),
        ("serial:///dev/ttyUSB0", SerialPrinterConfig("/dev/ttyUSB0")),
        (
            "serial:///dev/ttyS0?baudrate=19200&flow=rtscts&status=off",
            SerialPrinterConfig("/dev/ttyS0", 19200, flow="rtscts", check_status=False),
        ),
        ("serial://COM3?baudrate=115200", SerialPrinterConfig("COM3", 115200)),
        ("serial://loop://", SerialPrinterConfig("loop://")),
        ("usb://0x0416:0x5011", UsbPrinterConfig(0x0416, 0x5011)),
        (
            "usb://04b8:0e15?in_ep=0x81&out_ep=0x02",
            UsbPrinterConfig(0x04B8, 0x0E15, in_endpoint=0x81, out_endpoint=0x02),
        ),
        ("file:///dev/usb/lp0", FilePrinterConfig("/dev/usb/lp0")),
        (
            "file:///tmp/receipt.bin?status=no",
            FilePrinterConfig("/tmp/receipt.bin", check_status=False),
        ),
        ("dummy://", DummyPrinterConfig()),
        ("DUMMY://", DummyPrinterConfig()),
    ],
)
def test_printer_urls(url: str, expected: object) -> None:
    assert parse_printer_url(url) == expected


def test_format_options_apply_to_every_printer_type() -> None:
    config = parse_printer_url(
        "tcp://10.0.0.7?profile=TM-T20II&codepage=cp866&codepage_slot=17&columns=48"
        "&qr=image&qr_size=4&drawer_pin=5&cancel_kanji=1"
    )
    assert config.print_format == PrintFormat(
        profile="TM-T20II",
        codepage="CP866",
        codepage_slot=17,
        columns=48,
        qr="image",
        qr_size=4,
        drawer_pin=5,
        cancel_kanji=True,
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "not a printer URL"),
        ("192.168.1.50:9100", "not a printer URL"),
        ("lpt://1", "unknown printer type 'lpt'"),
        ("tcp://", "expected tcp://HOST"),
        ("tcp://host:99999", "port"),
        ("tcp://host:abc", "bad host:port"),
        ("tcp://host/path", "expected tcp://HOST"),
        ("tcp://host?timeout=0", "timeout"),
        ("tcp://host?timeout=soon", "timeout='soon' must be a number"),
        ("tcp://host?baudrate=9600", "unknown option.*baudrate"),
        ("tcp://host?colums=32", "unknown option.*colums"),
        ("tcp://host?columns=8", "columns must be 16..96"),
        ("tcp://host?status=maybe", "on or off"),
        ("tcp://host?timeout=1&timeout=2", "given twice"),
        ("serial://", "serial device must not be empty"),
        ("serial:///dev/ttyUSB0?flow=magic", "flow must be one of"),
        ("serial:///dev/ttyUSB0?baudrate=fast", "whole number"),
        ("usb://0416", "usb://VENDOR:PRODUCT"),
        ("usb://0x0416:zz", "product id must be hexadecimal"),
        ("usb://0x0000:0x5011", "vendor id"),
        ("file://receipt.bin", "must be absolute"),
        ("dummy://somewhere", "takes no address"),
        ("dummy://?qr=svg", "qr must be one of"),
        ("dummy://?drawer_pin=3", "drawer_pin must be 2 or 5"),
    ],
)
def test_bad_printer_url_is_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(PrinterConfigError, match=reason) as caught:
        parse_printer_url(url)
    assert isinstance(caught.value, ValueError)


def test_open_printer_checks_the_profile_without_touching_the_device() -> None:
    with pytest.raises(PrinterConfigError, match="unknown printer profile"):
        open_printer("tcp://192.0.2.1:9100?profile=NoSuchPrinter")
    printer = open_printer("tcp://192.0.2.1:9100?profile=POS-5890")  # TEST-NET: never contacted
    assert printer.print_format.columns == 32
    assert printer.name == "tcp://192.0.2.1:9100"


def test_dataclass_configs_validate_too() -> None:
    with pytest.raises(PrinterConfigError, match="port"):
        NetworkPrinterConfig("printer", port=0)
    with pytest.raises(PrinterConfigError, match="qr_size"):
        PrintFormat(qr_size=0)


@pytest.mark.parametrize(
    ("url", "columns"),
    [
        ("tcp://192.168.1.50:9100?profile=POS-5890", 32),  # 58 mm
        ("tcp://192.168.1.50:9100?profile=TM-T88V", 42),
        ("usb://0x0416:0x5011?columns=48", 48),
        ("", 42),  # no printer: the usual 80 mm width
        ("tcp://192.168.1.50:9100?profile=no-such-printer", 42),
        ("not a url", 42),
    ],
)
def test_the_on_screen_receipt_is_as_wide_as_the_printers_paper(url: str, columns: int) -> None:
    assert paper_columns(url) == columns
