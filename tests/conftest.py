"""Suite-wide setup: Qt runs offscreen, no test reads the developer's own till settings,
and property tests have no per-example deadline (timing belongs in benchmarks/)."""

from __future__ import annotations

import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A settings file on the developer's machine must not leak into tests.
os.environ["LOYALTY_TILL_CONFIG"] = os.devnull

settings.register_profile("till", deadline=None)
settings.load_profile("till")
