"""Device detection with real calls: pyserial's port list of this machine, and the usblp listing
over a /dev/usb and /sys/class/usbmisc laid out in tmp_path as Linux lays them out."""

from __future__ import annotations

import os
import tty
from pathlib import Path

from serial.tools import list_ports

from hardware import DetectedDevices, DetectedSerialPort, DetectedUsbPrinter, detect_devices
from hardware.detect import pyusb_printers, serial_ports, usblp_printers


def fake_usb_printer(
    sys_root: Path, name: str, *, vendor: str, product: str, maker: str = "", model: str = ""
) -> None:
    """/sys/devices/.../1-N/1-N:1.0 (the printer's interface), and usbmisc/lpN/device -> it."""
    device = sys_root / "devices" / "usb1" / f"1-{name}"
    interface = device / f"1-{name}:1.0"
    interface.mkdir(parents=True)
    (device / "idVendor").write_text(vendor + "\n")
    (device / "idProduct").write_text(product + "\n")
    if maker:
        (device / "manufacturer").write_text(maker + "\n")
    if model:
        (device / "product").write_text(model + "\n")
    entry = sys_root / "class" / "usbmisc" / name
    entry.mkdir(parents=True)
    (entry / "device").symlink_to(interface)


def test_serial_ports_are_what_pyserial_lists_by_name() -> None:
    listed = sorted(str(info.device) for info in list_ports.comports())

    found = serial_ports()

    assert sorted(port.device for port in found) == listed
    assert all(isinstance(port, DetectedSerialPort) for port in found)
    assert all(port.printer_url == f"serial://{port.device}" for port in found)


def test_a_pseudo_terminal_is_not_a_listed_serial_port() -> None:
    master, slave = os.openpty()
    try:
        tty.setraw(slave)
        path = os.ttyname(slave)
        assert path not in {port.device for port in serial_ports()}
    finally:
        os.close(master)
        os.close(slave)


def test_a_serial_port_suggests_a_serial_printer_url_and_reads_well() -> None:
    adapter = DetectedSerialPort("/dev/ttyUSB0", "USB-Serial Controller", "USB VID:PID=067B:2303")
    builtin = DetectedSerialPort("/dev/ttyS0", "n/a", "n/a")

    assert adapter.printer_url == "serial:///dev/ttyUSB0"
    assert adapter.label == "/dev/ttyUSB0 — USB-Serial Controller"
    assert builtin.label == "/dev/ttyS0"
    assert DetectedSerialPort("COM3", "COM3", "n/a").printer_url == "serial://COM3"


def test_usblp_nodes_are_listed_in_number_order_with_maker_and_model(tmp_path: Path) -> None:
    dev_usb, sys_root = tmp_path / "dev" / "usb", tmp_path / "sys"
    dev_usb.mkdir(parents=True)
    for name in ("lp10", "lp0", "lp2", "hiddev0", "lpx"):
        (dev_usb / name).touch()
    fake_usb_printer(sys_root, "lp0", vendor="0416", product="5011", maker="Winbond", model="POS58")
    fake_usb_printer(sys_root, "lp2", vendor="04b8", product="0202")

    printers = usblp_printers(dev_usb, sys_root / "class" / "usbmisc")

    assert printers == (
        DetectedUsbPrinter(f"file://{dev_usb}/lp0", "Winbond POS58", 0x0416, 0x5011),
        DetectedUsbPrinter(f"file://{dev_usb}/lp2", "USB printer 04b8:0202", 0x04B8, 0x0202),
        DetectedUsbPrinter(f"file://{dev_usb}/lp10", "USB printer lp10 (usblp)"),
    )
    assert printers[0].label == f"Winbond POS58 (file://{dev_usb}/lp0)"


def test_no_usb_folder_means_no_usblp_printer(tmp_path: Path) -> None:
    assert usblp_printers(tmp_path / "no-such-dir", tmp_path / "no-sys") == ()


def test_without_pyusb_no_libusb_printer_is_listed() -> None:
    try:
        import usb  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        assert pyusb_printers() == ()
    else:  # pyusb here: whatever it finds is a printer URL by vendor and product
        assert all(p.printer_url.startswith("usb://0x") for p in pyusb_printers())


def test_detect_devices_gathers_both(tmp_path: Path) -> None:
    (tmp_path / "lp0").touch()

    found = detect_devices(dev_usb=tmp_path, sys_usbmisc=tmp_path / "sys", use_pyusb=False)

    assert isinstance(found, DetectedDevices)
    assert found.serial_ports == serial_ports()
    assert found.usb_printers == (
        DetectedUsbPrinter(f"file://{tmp_path}/lp0", "USB printer lp0 (usblp)"),
    )
