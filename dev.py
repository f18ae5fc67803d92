#!/usr/bin/env python3
"""The two Quick start commands; needs nothing but Python 3.11+.

    python3 dev.py demo    set up .venv, seed the demo store, start the sync server and the till
    python3 dev.py test    set up .venv, then ruff, mypy, import-linter and the whole pytest suite

and, for developers (see docs/TESTING.md):

    python3 dev.py mutants [PATH...]   mutation testing with mutmut, one JSON line per module
    python3 dev.py flakes [N] [PYTEST ARGS...]   the UI suite N times in a row (default 100)
    python3 dev.py screenshots [--language ru|en]   docs/screenshots/{en,ru}/*.png under Xvfb
    python3 dev.py web-screenshots   the dashboard and the survey, in headless Chromium

The virtual environment is created in ``.venv`` and reinstalled only when
``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed-pyproject-sha256"


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on any python3)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == digest:
        return
    if not PYTHON.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    steps = [
        (PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"),
        (PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]"),
    ]
    for step in steps:
        if _run(*step) != 0:
            sys.exit("Installing the dependencies failed; see pip's message above.")
    STAMP.write_text(digest)


# What Qt's xcb platform plugin (a real window on Linux) needs from the system, by the
# Debian package that brings it. pip cannot bring them; libxcb-cursor is loaded at run time,
# so ldd does not name it.
QT_SYSTEM_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def _output(*cmd: str) -> tuple[int, str]:
    done = subprocess.run(list(cmd), check=False, capture_output=True, text=True)
    return done.returncode, done.stdout


def missing_qt_libraries() -> list[str]:
    """The system libraries Qt's xcb plugin cannot find here (Linux only; else none)."""
    if not sys.platform.startswith("linux"):
        return []
    where = "import PySide6, pathlib; print(pathlib.Path(PySide6.__file__).parent)"
    code, package = _output(str(PYTHON), "-c", where)
    plugin = Path(package.strip()) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if code != 0 or not plugin.exists():
        return []
    _code, linked = _output("ldd", str(plugin))
    missing = [line.split()[0] for line in linked.splitlines() if "not found" in line]
    _code, known = _output("ldconfig", "-p")
    if "libxcb-cursor.so.0" not in known:
        missing.append("libxcb-cursor.so.0")
    return sorted(set(missing))


def ensure_qt_libraries() -> None:
    """Install what a real Qt window lacks (as root, with apt), or say the one command to run."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "wayland")):
        return
    missing = missing_qt_libraries()
    if not missing:
        return
    packages = sorted({QT_SYSTEM_LIBRARIES.get(lib, lib) for lib in missing})
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    print("Qt needs system libraries this machine lacks: " + ", ".join(missing), flush=True)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if as_root and _run("apt-get", "update", "-q") == 0 and _run(*command) == 0:
        return
    sys.exit(
        "Install them, then run this again:\n    sudo " + " ".join(command) + "\n"
        "(or run without a window: QT_QPA_PLATFORM=offscreen python3 dev.py demo)"
    )


def test(pytest_args: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The browser tests' Chromium: installed when we can; else they fail and say so.
    ensure_packages(BROWSER_PACKAGES, "The browser tests need Debian's Chromium", required=False)
    checks: list[tuple[str, list[str | Path]]] = [
        ("ruff lint", [BIN / "ruff", "check", "."]),
        ("ruff format", [BIN / "ruff", "format", "--check", "."]),
        ("mypy", [BIN / "mypy"]),
        ("import-linter", [BIN / "lint-imports"]),
        ("pytest", [PYTHON, "-m", "pytest", *pytest_args]),
    ]
    failed = []
    for name, cmd in checks:
        code = _run(*cmd, env=env)
        if code != 0:  # pytest's 5 ("no tests collected") is a failure too
            failed.append(f"{name} (exit {code})")
    if failed:
        print("FAILED: " + ", ".join(failed), flush=True)
        return 1
    print("All checks passed.", flush=True)
    return 0


def mutants(args: list[str]) -> int:
    return _run(PYTHON, ROOT / ".ci" / "mutants.py", *args)


def flakes(args: list[str]) -> int:
    """Run the UI suite (or the given pytest args) N times; stop at the first red run."""
    runs = int(args.pop(0)) if args and args[0].isdigit() else 100
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    selection = args or ["tests/integration/ui"]
    for number in range(1, runs + 1):
        print(f"run {number}/{runs}", flush=True)
        code = _run(PYTHON, "-m", "pytest", "-q", *selection, env=env)
        if code != 0:
            print(f"FAILED on run {number} of {runs}.", flush=True)
            return 1
    print(f"Green {runs} times in a row.", flush=True)
    return 0


XVFB_PACKAGES = {"xvfb-run": "xvfb", "xauth": "xauth"}  # xvfb-run needs xauth (a Recommends)
SCREEN = "1366x768x24"  # the screenshots' screen: a common till monitor


BROWSER_PACKAGES = {"/usr/bin/chromium": "chromium", "/usr/bin/chromedriver": "chromium-driver"}


def ensure_packages(tools: dict[str, str], why: str, *, required: bool = True) -> None:
    """Install the Debian packages of the ``tools`` missing (as root, with apt), or say the
    one command to run: stop there when ``required``, else go on (what needs them fails)."""
    missing = sorted(pkg for tool, pkg in tools.items() if shutil.which(tool) is None)
    if not missing:
        return
    command = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    print(f"{why} this machine lacks: " + ", ".join(missing), flush=True)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if as_root and _run("apt-get", "update", "-q") == 0 and _run(*command) == 0:
        return
    advice = "Install it, then run this again:\n    sudo " + " ".join(command)
    if required:
        sys.exit(advice)
    print(advice, flush=True)


def ensure_xvfb() -> None:
    ensure_packages(XVFB_PACKAGES, "The screenshots need a virtual X server")


def screenshots(args: list[str]) -> int:
    """docs/screenshots/take.py on a virtual 1366×768 screen, with Qt's real xcb platform."""
    if not sys.platform.startswith("linux"):
        sys.exit("dev.py screenshots runs on Linux (Xvfb).")
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # the real window plugin, never offscreen
    ensure_qt_libraries()
    ensure_xvfb()
    script = ROOT / "docs" / "screenshots" / "take.py"
    return _run("xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", PYTHON, script, *args)


def web_screenshots(args: list[str]) -> int:
    """docs/screenshots/web.py: the managers' dashboard and the survey in headless Chromium."""
    ensure_packages(BROWSER_PACKAGES, "The web screenshots need Debian's Chromium")
    return _run(PYTHON, ROOT / "docs" / "screenshots" / "web.py", *args)


def main(argv: list[str]) -> int:
    commands = {
        "test": test,
        "mutants": mutants,
        "flakes": flakes,
        "screenshots": screenshots,
        "web-screenshots": web_screenshots,
    }
    if not argv or argv[0] not in ("demo", *commands):
        print(__doc__)
        return 2
    ensure_venv()
    if argv[0] in commands:
        return commands[argv[0]](argv[1:])
    ensure_qt_libraries()
    return _run(BIN / "pos-admin", "demo", *argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
