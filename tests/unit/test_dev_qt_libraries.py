"""``python3 dev.py demo`` on a bare Debian: every X/xcb library Qt's window plugin links is one
dev.py knows the Debian package of, so it can install it (as root) or name the command."""

from __future__ import annotations

import subprocess
from pathlib import Path

import PySide6

import dev

PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
X_FAMILIES = ("libxcb", "libxkb", "libX11")


def test_each_x_library_the_window_plugin_links_has_its_debian_package_named() -> None:
    linked = subprocess.run(["ldd", str(PLUGIN)], check=True, capture_output=True, text=True)
    names = {line.split()[0] for line in linked.stdout.splitlines() if "=>" in line}
    x_libraries = {name for name in names if name.startswith(X_FAMILIES)}
    assert "libxcb.so.1" in x_libraries  # ldd read the plugin
    assert x_libraries <= set(dev.QT_SYSTEM_LIBRARIES), x_libraries - set(dev.QT_SYSTEM_LIBRARIES)


def test_what_this_machine_lacks_is_known_by_package() -> None:
    assert set(dev.missing_qt_libraries()) <= set(dev.QT_SYSTEM_LIBRARIES)
