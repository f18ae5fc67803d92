"""Suite-wide setup: Qt runs offscreen, and no test reads the developer's own till settings."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A settings file on the developer's machine must not leak into tests.
os.environ["LOYALTY_TILL_CONFIG"] = os.devnull
