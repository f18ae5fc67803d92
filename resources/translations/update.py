#!/usr/bin/env python3
"""Regenerate the till's translation catalogues from the sources.

    python resources/translations/update.py          update till_<lang>.ts, compile till_<lang>.qm
    python resources/translations/update.py --check  fail if a string lacks a translation or
                                                     the .qm is not compiled from the .ts

``pyside6-lupdate`` collects ``self.tr(...)`` and ``QCoreApplication.translate(...)``
calls from ``pos_client/ui`` and ``pos_client/__main__.py``; new strings land in the
.ts as *unfinished*. Translate them (``pyside6-linguist resources/translations/till_ru.ts``
or any editor), then run this script again to compile the .qm the till loads.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("ru",)


def sources() -> list[Path]:
    ui = sorted((ROOT / "pos_client" / "ui").rglob("*.py"))
    return [*ui, ROOT / "pos_client" / "__main__.py"]


def tool(name: str) -> str:
    """A Qt tool from this interpreter's environment (the venv), else from PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .[dev])")
    return found


def lupdate(ts: Path) -> None:
    files = [str(p.relative_to(ROOT)) for p in sources()]
    cmd = [tool("pyside6-lupdate"), *files, "-ts", str(ts), "-locations", "none", "-no-obsolete"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


def lrelease(ts: Path, qm: Path) -> None:
    cmd = [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


def untranslated(ts: Path) -> list[str]:
    """``context: source`` of every live message without a finished, non-empty translation."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = "" if translation is None else translation.get("type", "")
            if kind in ("obsolete", "vanished"):
                continue
            text = "" if translation is None else (translation.text or "")
            if kind == "unfinished" or not text.strip():
                missing.append(f"{name}: {message.findtext('source', '')!r}")
    return missing


def update() -> int:
    for lang in LANGUAGES:
        ts, qm = HERE / f"till_{lang}.ts", HERE / f"till_{lang}.qm"
        lupdate(ts)
        lrelease(ts, qm)
        missing = untranslated(ts)
        print(f"{ts.name}: {len(missing)} string(s) to translate")
        for line in missing:
            print("  " + line)
    return 0


def check() -> int:
    """What CI runs: the committed catalogues cover the current sources."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            ts, qm = HERE / f"till_{lang}.ts", HERE / f"till_{lang}.qm"
            fresh_ts, fresh_qm = Path(tmp) / ts.name, Path(tmp) / qm.name
            shutil.copyfile(ts, fresh_ts)
            lupdate(fresh_ts)
            problems += [f"{ts.name}: untranslated {m}" for m in untranslated(fresh_ts)]
            lrelease(ts, fresh_qm)
            if not qm.exists() or qm.read_bytes() != fresh_qm.read_bytes():
                problems.append(f"{qm.name} is not compiled from {ts.name}: run update.py")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    if argv and argv[0] not in ("--check",):
        print(__doc__)
        return 2
    return check() if argv else update()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
