"""From spawning the till's process to its login screen on screen.

Ours: ``python -m pos_client`` (what ``pos-client`` runs) on a till already set up (a copy
of the 3,000-customer benchmark database, the demo's size; the sync server's URL points at
a closed port), a fresh process each run. The child is this module: it starts the app
exactly as ``pos_client.__main__.main`` does, only wrapping ``show_main_window`` to print
the CLOCK_MONOTONIC time of the login screen's first paint ("shown") and of the staff
list's first paint with its rows ("ready": the cashier can pick a name), then quit. So the
figure is the interpreter's start, every import, settings, bootstrap, Qt, the window and
the first frame; the parent takes it from just before it spawns the child.
Demo: the same for ``pos-admin demo`` (what the Quick start's ``dev.py demo`` runs, less
dev.py's own process): its local sync server started as a child and healthy, ``seed-demo``
(the store is already there), the enrollment (already done), the pull (nothing new), then
the till.
Floor: ``python -c`` importing PySide6.QtWidgets, a QApplication and an empty QWidget shown,
until its first paint, by the same clock.
One unmeasured run of each first, then the three interleaved run by run: the OS file cache is
warm (a till started before), the process is new.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.stats import percentile

RUNS = 7
CHILD_TIMEOUT_S = 60.0
FIRST_DEMO_TIMEOUT_S = 600.0  # seeds the server's store and pulls it
QUIT_AFTER_MS = 45_000  # a child that never paints quits by itself
DEMO_CUSTOMERS = 3000
MARK = "cold-start:"
ROOT = Path(__file__).resolve().parent.parent

FLOOR = f"""
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("{MARK} shown", time.monotonic_ns(), flush=True)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(["floor"])
widget = QWidget()
painted = Painted()
widget.installEventFilter(painted)
widget.show()
QTimer.singleShot({QUIT_AFTER_MS}, app.quit)
app.exec()
"""


def _child(kind: str, args: list[str]) -> int:
    """In the child: the till (``till``) or the demo (``demo``), stopped at the login screen."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    import pos_client.__main__ as till_main
    from pos_client.ui.app import show_main_window
    from pos_client.ui.main_window import MainWindow

    class Watch(QObject):
        def __init__(self, window: MainWindow) -> None:
            super().__init__(window)
            self.login, self.rows = window.login, window.login.staff.viewport()
            self.shown = False
            for widget in (self.login, self.rows):
                widget.installEventFilter(self)
            QTimer.singleShot(QUIT_AFTER_MS, QCoreApplication.quit)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint:
                return False
            if not self.shown and watched is self.login:
                self.shown = True
                print(MARK, "shown", time.monotonic_ns(), flush=True)
            elif self.shown and watched is self.rows and self.login.staff.count() > 0:
                print(MARK, "ready", time.monotonic_ns(), flush=True)
                for widget in (self.login, self.rows):
                    widget.removeEventFilter(self)
                QTimer.singleShot(0, QCoreApplication.quit)  # run_till then shuts down
            return False

    watches: list[Watch] = []

    def show_and_watch(window: QWidget, mode: str) -> None:
        show_main_window(window, mode)
        if isinstance(window, MainWindow):
            watches.append(Watch(window))

    till_main.__dict__["show_main_window"] = show_and_watch  # what run_till calls
    if kind == "till":
        return till_main.main(args)
    from pos_client.admin_cli import main as admin

    return admin(["demo", *args])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _spawn(cmd: list[str], env: dict[str, str], timeout_s: float) -> dict[str, float] | None:
    """Seconds from spawning ``cmd`` to each mark it printed; None if it printed none."""
    start = time.monotonic_ns()
    child = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its process group: the demo's server goes with it
    )
    try:
        out, _ = child.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
    marks = {}
    for line in out.splitlines():
        if line.startswith(MARK):
            _, name, ns = line.split()
            marks[name] = (int(ns) - start) / 1e9
    return marks or None


def _figures(seconds: list[float], prefix: str) -> dict[str, float | None]:
    if not seconds:
        return {f"{prefix}seconds": None}
    return {
        f"{prefix}seconds": round(statistics.median(seconds), 3),
        f"{prefix}p90_seconds": round(percentile(seconds, 90), 3),
        f"{prefix}max_seconds": round(max(seconds), 3),
    }


def run(scale: int | None) -> dict[str, Any]:
    from benchmarks.till_db import cached_database

    runs = scale or RUNS
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        till_dir = folder / "till"
        till_dir.mkdir()
        source, _ = cached_database(DEMO_CUSTOMERS)
        shutil.copyfile(source / "till.sqlite3", till_dir / "till.sqlite3")
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_TILL_")}
        env["LOYALTY_TILL_CONFIG"] = str(folder / "no-such-till.toml")
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        child = [python, "-m", "benchmarks.cold_start"]
        closed = f"http://127.0.0.1:{_free_port()}"
        port = str(_free_port())  # one for every demo run: the till is enrolled with its URL

        def commands() -> dict[str, list[str]]:
            return {
                "floor": [python, "-c", FLOOR],
                "till": [*child, "till", "--data-dir", str(till_dir), "--server-url", closed],
                "demo": [*child, "demo", "--dir", str(folder / "demo"), "--port", port],
            }

        first = {"floor": CHILD_TIMEOUT_S, "till": CHILD_TIMEOUT_S, "demo": FIRST_DEMO_TIMEOUT_S}
        for name, cmd in commands().items():  # unmeasured: caches, the demo's store
            if _spawn(cmd, env, first[name]) is None:
                raise RuntimeError(f"cold_start: the first {name} run never showed its window")
        shown: dict[str, list[float]] = {"floor": [], "till": [], "demo": []}
        ready: dict[str, list[float]] = {"till": [], "demo": []}
        failed = 0
        for _ in range(runs):
            for name, cmd in commands().items():
                marks = _spawn(cmd, env, CHILD_TIMEOUT_S)
                if marks is None or "shown" not in marks:
                    failed += 1
                    continue
                shown[name].append(marks["shown"])
                if name in ready and "ready" in marks:
                    ready[name].append(marks["ready"])
    till = _figures(shown["till"], "")
    demo = _figures(shown["demo"], "demo_")
    floor = _figures(shown["floor"], "floor_")
    ours, base = till["seconds"], floor["floor_seconds"]
    demo_s = demo["demo_seconds"]
    return {
        "benchmark": "cold_start",
        "runs": runs,
        "failed_runs": failed,
        "measured": "python -m pos_client, login screen painted (demo_: pos-admin demo, incl."
        " starting its sync server)",
        **till,
        "ready_seconds": _figures(ready["till"], "")["seconds"],
        **demo,
        "demo_ready_seconds": _figures(ready["demo"], "")["seconds"],
        **floor,
        "target_seconds": 1.5,
        "ratio": round(ours / base, 1) if ours and base else None,
        "demo_ratio": round(demo_s / base, 1) if demo_s and base else None,
        "meets_target": ours is not None and ours <= 1.5,
        "floor": "python -c: import PySide6.QtWidgets, QApplication, an empty QWidget painted",
        "qt_platform": env["QT_QPA_PLATFORM"],
    }


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1], sys.argv[2:]))
