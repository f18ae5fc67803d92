"""``ui_scale`` makes the whole till larger on a touch screen: Qt scales every window, type
and touch target alike (checked in a fresh process: the scale is set before Qt starts)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = """
from pos_client.ui.app import application, set_scale
set_scale({scale})
app = application(["till"])
print(app.primaryScreen().devicePixelRatio())
"""


@pytest.mark.parametrize(("scale", "ratio"), [(1.0, "1.0"), (1.5, "1.5"), (2.0, "2.0")])
def test_the_scale_setting_scales_what_qt_draws(scale: float, ratio: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_SCALE_FACTOR"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(scale=scale)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == ratio
