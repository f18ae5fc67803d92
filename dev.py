#!/usr/bin/env python3
"""The two Quick start commands; needs nothing but Python 3.11+.

    python3 dev.py demo    set up .venv, seed the demo store, start the sync server and the till
    python3 dev.py test    set up .venv, then ruff, mypy, import-linter and the whole pytest suite

and, for developers (see docs/TESTING.md):

    python3 dev.py mutants [PATH...]   mutation testing with mutmut, one JSON line per module
    python3 dev.py flakes [N] [PYTEST ARGS...]   the UI suite N times in a row (default 100)

The virtual environment is created in ``.venv`` and reinstalled only when
``pyproject.toml`` changes.
"""

from __future__ import annotations

import hashlib
import os
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


def test(pytest_args: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
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


def main(argv: list[str]) -> int:
    commands = {"test": test, "mutants": mutants, "flakes": flakes}
    if not argv or argv[0] not in ("demo", *commands):
        print(__doc__)
        return 2
    ensure_venv()
    if argv[0] in commands:
        return commands[argv[0]](argv[1:])
    return _run(BIN / "pos-admin", "demo", *argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
