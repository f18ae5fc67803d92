"""Printer settings as plain dataclasses, and the URL form they are written in.

    tcp://192.168.1.50:9100?timeout=5
    serial:///dev/ttyUSB0?baudrate=19200&flow=rtscts
    usb://0x0416:0x5011
    file:///dev/usb/lp0          file:///tmp/receipt.bin
    dummy://

Options valid for every printer: profile, codepage, codepage_slot, columns, qr, qr_size,
drawer_pin, cancel_kanji. For tcp/serial/usb/file also timeout and status; serial adds baudrate
and flow; usb adds in_ep and out_ep. docs/HARDWARE.md explains each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar, cast, get_args
from urllib.parse import parse_qsl, urlsplit

from hardware.errors import PrinterConfigError

QrMode = Literal["auto", "native", "image"]
FlowControl = Literal["none", "rtscts", "xonxoff", "dsrdtr"]

DEFAULT_TIMEOUT = 5.0
MAX_TIMEOUT = 120.0
_T = TypeVar("_T")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class PrintFormat:
    """How to turn a receipt into ESC/POS bytes for one printer model.

    `profile` is a python-escpos printer profile (e.g. "default", "TM-T20II", "POS-5890");
    it gives the column count, the code page slot table and whether QR and cutting are native.
    `codepage_slot` overrides the ESC t number when the profile's table is wrong for a printer.
    """

    profile: str = "default"
    codepage: str = "CP866"
    codepage_slot: int | None = None
    columns: int | None = None
    qr: QrMode = "auto"
    qr_size: int = 6
    drawer_pin: int = 2
    cancel_kanji: bool = False

    def __post_init__(self) -> None:
        _require(bool(self.profile), "profile must not be empty")
        _require(bool(self.codepage), "codepage must not be empty")
        _require(
            self.qr in get_args(QrMode), f"qr must be one of {get_args(QrMode)}, got {self.qr!r}"
        )
        _require(1 <= self.qr_size <= 16, "qr_size must be 1..16")
        _require(self.drawer_pin in (2, 5), "drawer_pin must be 2 or 5")
        if self.codepage_slot is not None:
            _require(0 <= self.codepage_slot <= 255, "codepage_slot must be 0..255")
        if self.columns is not None:
            _require(16 <= self.columns <= 96, "columns must be 16..96")


@dataclass(frozen=True)
class NetworkPrinterConfig:
    """A printer on the network, raw TCP ("JetDirect") usually on port 9100."""

    host: str
    port: int = 9100
    timeout: float = DEFAULT_TIMEOUT
    check_status: bool = True
    print_format: PrintFormat = field(default_factory=PrintFormat)

    def __post_init__(self) -> None:
        _require(bool(self.host), "host must not be empty")
        _require(1 <= self.port <= 65535, "port must be 1..65535")
        _check_timeout(self.timeout)


@dataclass(frozen=True)
class SerialPrinterConfig:
    """A printer on a serial port (or USB-serial adapter); `device` may be a pyserial URL."""

    device: str
    baudrate: int = 9600
    flow: FlowControl = "none"
    timeout: float = DEFAULT_TIMEOUT
    check_status: bool = True
    print_format: PrintFormat = field(default_factory=PrintFormat)

    def __post_init__(self) -> None:
        _require(bool(self.device), "serial device must not be empty")
        _require(self.baudrate > 0, "baudrate must be positive")
        _require(
            self.flow in get_args(FlowControl),
            f"flow must be one of {get_args(FlowControl)}, got {self.flow!r}",
        )
        _check_timeout(self.timeout)


@dataclass(frozen=True)
class UsbPrinterConfig:
    """A USB printer driven directly through libusb (needs pyusb)."""

    vendor_id: int
    product_id: int
    in_endpoint: int = 0x82
    out_endpoint: int = 0x01
    timeout: float = DEFAULT_TIMEOUT
    check_status: bool = True
    print_format: PrintFormat = field(default_factory=PrintFormat)

    def __post_init__(self) -> None:
        _require(0 < self.vendor_id <= 0xFFFF, "vendor id must be 0x0001..0xFFFF")
        _require(0 < self.product_id <= 0xFFFF, "product id must be 0x0001..0xFFFF")
        _require(0 <= self.in_endpoint <= 0xFF, "in_ep must be 0x00..0xFF")
        _require(0 <= self.out_endpoint <= 0xFF, "out_ep must be 0x00..0xFF")
        _check_timeout(self.timeout)


@dataclass(frozen=True)
class FilePrinterConfig:
    """A device node such as /dev/usb/lp0 (kernel usblp driver), a FIFO, or a plain file."""

    path: str
    timeout: float = DEFAULT_TIMEOUT
    check_status: bool = True
    print_format: PrintFormat = field(default_factory=PrintFormat)

    def __post_init__(self) -> None:
        _require(self.path.startswith("/"), f"file printer path must be absolute: {self.path!r}")
        _check_timeout(self.timeout)


@dataclass(frozen=True)
class DummyPrinterConfig:
    """Keeps the bytes in memory (python-escpos Dummy): for tests and demos."""

    print_format: PrintFormat = field(default_factory=PrintFormat)


PrinterConfig = (
    NetworkPrinterConfig
    | SerialPrinterConfig
    | UsbPrinterConfig
    | FilePrinterConfig
    | DummyPrinterConfig
)

_EXAMPLES = (
    "tcp://192.168.1.50:9100, serial:///dev/ttyUSB0?baudrate=19200, "
    "usb://0x0416:0x5011, file:///dev/usb/lp0, dummy://"
)


def parse_printer_url(url: str) -> PrinterConfig:
    """Parse a printer URL; raises PrinterConfigError saying what is wrong and what is expected."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        raise PrinterConfigError(f"not a printer URL: {url!r}; expected one like {_EXAMPLES}")
    target, _, query = rest.partition("?")
    options = _Options(url, query)
    parsers: dict[str, Callable[[str, _Options], PrinterConfig]] = {
        "tcp": _network,
        "serial": _serial,
        "usb": _usb,
        "file": _file,
        "dummy": _dummy,
    }
    parser = parsers.get(scheme.lower())
    if parser is None:
        raise PrinterConfigError(
            f"unknown printer type {scheme!r} in {url!r}; use one of: {', '.join(parsers)}"
        )
    try:
        config = parser(target, options)
    except PrinterConfigError as error:
        raise PrinterConfigError(f"{error} (in {url!r})") from None
    options.reject_unused()
    return config


# --- one parser per scheme --------------------------------------------------------------------


def _network(target: str, options: _Options) -> PrinterConfig:
    try:
        parts = urlsplit("//" + target)
        host, port = parts.hostname, parts.port
    except ValueError as error:
        raise PrinterConfigError(f"bad host:port {target!r}: {error}") from None
    if not host or parts.path or parts.username:
        raise PrinterConfigError(f"expected tcp://HOST[:PORT], got host part {target!r}")
    return NetworkPrinterConfig(
        host=host,
        port=port or 9100,
        timeout=options.number("timeout", DEFAULT_TIMEOUT),
        check_status=options.boolean("status", True),
        print_format=options.print_format(),
    )


def _serial(target: str, options: _Options) -> PrinterConfig:
    return SerialPrinterConfig(
        device=target,
        baudrate=options.integer("baudrate", 9600),
        flow=cast(FlowControl, options.text("flow", "none")),  # checked by SerialPrinterConfig
        timeout=options.number("timeout", DEFAULT_TIMEOUT),
        check_status=options.boolean("status", True),
        print_format=options.print_format(),
    )


def _usb(target: str, options: _Options) -> PrinterConfig:
    vendor, colon, product = target.partition(":")
    if not colon:
        raise PrinterConfigError(f"expected usb://VENDOR:PRODUCT in hex, got {target!r}")
    return UsbPrinterConfig(
        vendor_id=_hex(vendor, "vendor id"),
        product_id=_hex(product, "product id"),
        in_endpoint=_hex(options.text("in_ep", "0x82"), "in_ep"),
        out_endpoint=_hex(options.text("out_ep", "0x01"), "out_ep"),
        timeout=options.number("timeout", DEFAULT_TIMEOUT),
        check_status=options.boolean("status", True),
        print_format=options.print_format(),
    )


def _file(target: str, options: _Options) -> PrinterConfig:
    return FilePrinterConfig(
        path=target,
        timeout=options.number("timeout", DEFAULT_TIMEOUT),
        check_status=options.boolean("status", True),
        print_format=options.print_format(),
    )


def _dummy(target: str, options: _Options) -> PrinterConfig:
    if target:
        raise PrinterConfigError(f"dummy:// takes no address, got {target!r}")
    return DummyPrinterConfig(print_format=options.print_format())


# --- helpers ----------------------------------------------------------------------------------


class _Options:
    """Query options, each read at most once; anything left over is an error (catches typos)."""

    def __init__(self, url: str, query: str) -> None:
        self.url = url
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
        except ValueError:
            raise PrinterConfigError(f"bad options {query!r} in {url!r}") from None
        self.values: dict[str, str] = {}
        for key, value in pairs:
            if key in self.values:
                raise PrinterConfigError(f"option {key!r} given twice in {url!r}")
            self.values[key] = value
        self.known: set[str] = set()

    def text(self, key: str, default: str) -> str:
        self.known.add(key)
        return self.values.get(key, default)

    def optional_text(self, key: str) -> str | None:
        self.known.add(key)
        return self.values.get(key)

    def integer(self, key: str, default: int) -> int:
        raw = self.optional_text(key)
        return default if raw is None else _parse(int, raw, key, "a whole number")

    def optional_integer(self, key: str) -> int | None:
        raw = self.optional_text(key)
        return None if raw is None else _parse(int, raw, key, "a whole number")

    def number(self, key: str, default: float) -> float:
        raw = self.optional_text(key)
        return default if raw is None else _parse(float, raw, key, "a number of seconds")

    def boolean(self, key: str, default: bool) -> bool:
        raw = self.optional_text(key)
        if raw is None:
            return default
        if raw.lower() in _TRUE | _FALSE:
            return raw.lower() in _TRUE
        raise PrinterConfigError(f"option {key}={raw!r} must be on or off")

    def print_format(self) -> PrintFormat:
        return PrintFormat(
            profile=self.text("profile", "default"),
            codepage=self.text("codepage", "CP866").upper(),
            codepage_slot=self.optional_integer("codepage_slot"),
            columns=self.optional_integer("columns"),
            qr=cast(QrMode, self.text("qr", "auto")),  # checked by PrintFormat
            qr_size=self.integer("qr_size", 6),
            drawer_pin=self.integer("drawer_pin", 2),
            cancel_kanji=self.boolean("cancel_kanji", False),
        )

    def reject_unused(self) -> None:
        unknown = sorted(set(self.values) - self.known)
        if unknown:
            raise PrinterConfigError(
                f"unknown option(s) {', '.join(unknown)} in {self.url!r}; "
                f"this printer type takes: {', '.join(sorted(self.known))}"
            )


def _parse(convert: Callable[[str], _T], raw: str, key: str, what: str) -> _T:
    try:
        return convert(raw)
    except ValueError:
        raise PrinterConfigError(f"option {key}={raw!r} must be {what}") from None


def _hex(raw: str, what: str) -> int:
    digits = raw.lower().removeprefix("0x")
    try:
        return int(digits, 16)
    except ValueError:
        raise PrinterConfigError(f"{what} must be hexadecimal like 0x0416, got {raw!r}") from None


def _check_timeout(timeout: float) -> None:
    _require(0 < timeout <= MAX_TIMEOUT, f"timeout must be above 0 and at most {MAX_TIMEOUT:g} s")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PrinterConfigError(message)
