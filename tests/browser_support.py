"""Headless Chromium from Debian's packages (``chromium``, ``chromium-driver``), driven by
Selenium. Never a browser a tool downloads: the binary and the driver are named here, so
Selenium Manager has nothing to fetch. A machine without them fails the test loudly and
says what to install (``bash .ci/run`` installs them)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
)
PHONE = (390, 844)  # a common phone's CSS pixels
DESKTOP = (1366, 900)


def require_chromium() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if shutil.which(p) is None]
    if missing:
        pytest.fail(
            f"browser tests need Debian's Chromium: {', '.join(missing)} not found; "
            "run `apt-get install chromium chromium-driver` (bash .ci/run does)",
            pytrace=False,
        )


@contextmanager
def chromium(downloads: Path, size: tuple[int, int] = DESKTOP) -> Iterator[webdriver.Chrome]:
    require_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={max(size[0], 500)},{size[1]}")
    if size[0] < 500:  # headless windows are 500 pixels wide at least: emulate the phone
        options.add_experimental_option(
            "mobileEmulation",
            {"deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 3}},
        )
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "intl.accept_languages": "en",
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
