"""Suite-wide setup: Qt runs offscreen, no test reads the developer's own till settings,
and property tests have no per-example deadline (timing belongs in benchmarks/)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A settings file on the developer's machine must not leak into tests: the till reads a file
# that does not exist (never /dev/null: a broken save would replace the machine's device).
os.environ["LOYALTY_TILL_CONFIG"] = str(Path(tempfile.mkdtemp(prefix="till-config-")) / "till.toml")

settings.register_profile("till", deadline=None)
settings.load_profile("till")


@pytest.fixture(autouse=True)
def _own_till_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test has its own (absent) settings file: one that saves device settings there
    leaves nothing for the next."""
    folder = tmp_path_factory.mktemp("till-config")
    monkeypatch.setenv("LOYALTY_TILL_CONFIG", str(folder / "till.toml"))
