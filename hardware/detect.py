"""What is plugged into this till: serial ports and USB printers, each with a suggested printer URL.

For the device settings screen, which lists them so an administrator can pick one instead of
typing a path. Nothing here opens a device; every call only reads lists the system keeps.

- Serial ports come from pyserial's ``serial.tools.list_ports`` (built-in ports, USB-serial
  adapters, USB-CDC devices such as scanners; ``COMn`` on Windows).
- USB printers: on Linux the kernel's ``usblp`` nodes ``/dev/usb/lp*`` (their maker and model
  read from sysfs when it has them) and, when pyusb is importable, USB devices of the printer
  class (7), as ``usb://VENDOR:PRODUCT``. Without either, none are found; nothing new is needed.

Blocking (it reads the file system and may ask libusb): call it from a worker thread.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from serial.tools import list_ports

log = logging.getLogger(__name__)

USB_PRINTER_CLASS = 7
DEV_USB = Path("/dev/usb")
SYS_USBMISC = Path("/sys/class/usbmisc")
_LP_NAME = re.compile(r"lp(\d+)")


@dataclass(frozen=True, slots=True)
class DetectedSerialPort:
    device: str  # /dev/ttyUSB0, /dev/ttyACM0, COM3: what a scanner setting or serial:// takes
    description: str  # what the system calls it, e.g. "USB-Serial Controller"; may be "n/a"
    hwid: str  # e.g. "USB VID:PID=067B:2303 SER=... LOCATION=1-1"; "n/a" for built-in ports

    @property
    def printer_url(self) -> str:
        return f"serial://{self.device}"

    @property
    def label(self) -> str:
        known = self.description not in ("", "n/a") and self.description != self.device
        return f"{self.device} — {self.description}" if known else self.device


@dataclass(frozen=True, slots=True)
class DetectedUsbPrinter:
    printer_url: str  # file:///dev/usb/lp0 (usblp) or usb://0x0416:0x5011 (libusb)
    description: str  # maker and model when the system says, else what kind of node it is
    vendor_id: int | None = None
    product_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.description} ({self.printer_url})"


@dataclass(frozen=True, slots=True)
class DetectedDevices:
    serial_ports: tuple[DetectedSerialPort, ...] = ()
    usb_printers: tuple[DetectedUsbPrinter, ...] = ()


def detect_devices(
    *, dev_usb: Path = DEV_USB, sys_usbmisc: Path = SYS_USBMISC, use_pyusb: bool = True
) -> DetectedDevices:
    """Serial ports and USB printers now present (the folders are parameters for tests)."""
    return DetectedDevices(
        serial_ports=serial_ports(),
        usb_printers=usblp_printers(dev_usb, sys_usbmisc) + (pyusb_printers() if use_pyusb else ()),
    )


def serial_ports() -> tuple[DetectedSerialPort, ...]:
    """The serial ports pyserial finds, by device name."""
    found = [
        DetectedSerialPort(
            device=str(info.device),
            description=str(info.description or "n/a"),
            hwid=str(info.hwid or "n/a"),
        )
        for info in list_ports.comports()
    ]
    return tuple(sorted(found, key=lambda port: _natural(port.device)))


def usblp_printers(
    dev_usb: Path = DEV_USB, sys_usbmisc: Path = SYS_USBMISC
) -> tuple[DetectedUsbPrinter, ...]:
    """``lpN`` nodes of the Linux usblp driver in ``dev_usb``, lp0 first (none elsewhere)."""
    try:
        names = [entry.name for entry in dev_usb.iterdir() if _LP_NAME.fullmatch(entry.name)]
    except OSError:  # no such folder: not Linux, or no usblp printer was ever plugged in
        return ()
    printers = []
    for name in sorted(names, key=_natural):
        vendor, product, description = _sysfs_usb_device(sys_usbmisc / name)
        printers.append(
            DetectedUsbPrinter(
                printer_url=f"file://{dev_usb / name}",
                description=description or f"USB printer {name} (usblp)",
                vendor_id=vendor,
                product_id=product,
            )
        )
    return tuple(printers)


def pyusb_printers() -> tuple[DetectedUsbPrinter, ...]:
    """USB devices of the printer class, when pyusb and libusb are there (else none)."""
    if importlib.util.find_spec("usb") is None:
        return ()
    try:
        core: Any = importlib.import_module("usb.core")  # pyusb is untyped and optional
        devices = list(core.find(find_all=True, custom_match=_is_printer))
    except Exception as error:  # NoBackendError (no libusb), permission, a device gone
        log.info("USB printers not listed through pyusb: %s", error)
        return ()
    found = []
    for device in devices:
        vendor, product = int(device.idVendor), int(device.idProduct)
        found.append(
            DetectedUsbPrinter(
                printer_url=f"usb://0x{vendor:04x}:0x{product:04x}",
                description=f"USB printer {vendor:04x}:{product:04x} (libusb)",
                vendor_id=vendor,
                product_id=product,
            )
        )
    return tuple(sorted(found, key=lambda printer: printer.printer_url))


def _is_printer(device: Any) -> bool:
    if device.bDeviceClass == USB_PRINTER_CLASS:
        return True
    try:
        return any(
            interface.bInterfaceClass == USB_PRINTER_CLASS
            for configuration in device
            for interface in configuration
        )
    except Exception:  # a device that cannot be asked for its configurations
        return False


def _sysfs_usb_device(node: Path) -> tuple[int | None, int | None, str]:
    """(vendor, product, "maker model") of the USB device behind an ``lpN`` sysfs entry.

    ``/sys/class/usbmisc/lpN/device`` is the printer's USB interface; the device's own folder,
    one up, holds ``idVendor``, ``idProduct``, ``manufacturer`` and ``product``.
    """
    try:
        device = (node / "device").resolve(strict=True).parent
    except OSError:
        return None, None, ""
    vendor, product = _read_hex(device / "idVendor"), _read_hex(device / "idProduct")
    words = [_read(device / "manufacturer"), _read(device / "product")]
    description = " ".join(word for word in words if word)
    if not description and vendor is not None and product is not None:
        description = f"USB printer {vendor:04x}:{product:04x}"
    return vendor, product, description


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _read_hex(path: Path) -> int | None:
    try:
        return int(_read(path), 16)
    except ValueError:
        return None


def _natural(name: str) -> tuple[str | int, ...]:
    """ttyUSB2 before ttyUSB10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))
