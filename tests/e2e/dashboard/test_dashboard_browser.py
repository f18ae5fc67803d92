"""The managers' dashboard and the receipt's survey in a real browser (Debian's headless
Chromium): sign in, filter by store and period, open a cashier, export the CSV, see the
charts drawn; and rate a receipt from a phone-sized window."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from loyalty_core.survey_links import sign, store_secret
from sync_server.context import survey_secret
from tests.browser_support import PHONE, chromium
from tests.e2e.dashboard.conftest import Served
from tests.integration.sync_server.report_support import PASSWORD

WAIT_S = 20


def _wait(driver: WebDriver) -> WebDriverWait[WebDriver]:
    return WebDriverWait(driver, WAIT_S)


def _sign_in(driver: WebDriver, served: Served, login: str) -> None:
    driver.get(f"{served.url}/dashboard/?lang=en")
    _wait(driver).until(ready.presence_of_element_located((By.ID, "sign-in")))
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "sign-in").click()
    _wait(driver).until(ready.presence_of_element_located((By.ID, "sign-out")))


def _set_date(driver: WebDriver, field: str, day: str) -> None:
    # A date input takes the ISO value from script; typing depends on the locale's format.
    driver.execute_script("document.getElementById(arguments[0]).value = arguments[1];", field, day)


def _downloaded(folder: Path) -> Path:
    """The one file downloaded into ``folder``, once Chromium has finished writing it (it
    writes ``*.crdownload`` and may make the final name before the content is in)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        files = list(folder.iterdir())
        done = [f for f in files if f.suffix == ".csv" and f.stat().st_size > 0]
        if done and not any(f.suffix == ".crdownload" for f in files):
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no download finished in {WAIT_S} s: {list(folder.iterdir())}")


def _cashiers(driver: WebDriver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#scorecards a.cashier")]


def test_a_manager_signs_in_filters_opens_a_cashier_and_exports_csv(
    served: Served, tmp_path: Path
) -> None:
    with chromium(tmp_path) as driver:
        _sign_in(driver, served, "owner")
        assert driver.title.startswith("Scorecards")
        _set_date(driver, "from", "2026-11-03")
        _set_date(driver, "to", "2026-11-30")
        driver.find_element(By.ID, "show").click()
        _wait(driver).until(lambda d: "from=2026-11-03" in d.current_url)
        assert _cashiers(driver) == ["Борис", "Вера", "Анна"]  # best score first
        # The charts are drawn by the vendored Chart.js (no CDN: the page is offline-safe).
        _wait(driver).until(
            lambda d: d.execute_script("return document.documentElement.dataset.charts") == "drawn"
        )
        assert driver.execute_script("return typeof Chart") == "function"

        Select(driver.find_element(By.ID, "store")).select_by_visible_text("Владивосток")
        driver.find_element(By.ID, "show").click()
        _wait(driver).until(lambda d: _cashiers(d) == ["Вера"])

        Select(driver.find_element(By.ID, "store")).select_by_visible_text("Арбат")
        driver.find_element(By.ID, "show").click()
        _wait(driver).until(lambda d: _cashiers(d) == ["Борис", "Анна"])
        driver.find_element(By.ID, "sort-name").click()
        _wait(driver).until(lambda d: _cashiers(d) == ["Анна", "Борис"])

        driver.find_element(By.ID, "export-csv").click()
        exported = _downloaded(tmp_path)
        assert exported.name == "scorecards-2026-11-03-2026-11-30.csv"
        rows = exported.read_text(encoding="utf-8-sig").splitlines()
        assert [r.split(",")[1] for r in rows[1:]] == ["Анна", "Борис"]

        driver.find_element(By.LINK_TEXT, "Анна").click()
        _wait(driver).until(ready.presence_of_element_located((By.ID, "cashier-name")))
        assert driver.find_element(By.ID, "figure-score").text == "3.65"
        assert "Нагрубила" in driver.find_element(By.ID, "low-votes").text
        _wait(driver).until(
            lambda d: d.execute_script("return document.documentElement.dataset.charts") == "drawn"
        )

        driver.find_element(By.ID, "nav-alerts").click()
        _wait(driver).until(ready.presence_of_element_located((By.TAG_NAME, "h1")))
        driver.get(f"{served.url}/dashboard/alerts?lang=en&from=2026-11-03&to=2026-11-30")
        assert "Low rating" in driver.find_element(By.ID, "alerts").text

        driver.find_element(By.ID, "sign-out").click()
        _wait(driver).until(ready.presence_of_element_located((By.ID, "sign-in")))


def test_a_customer_rates_a_receipt_from_a_phone(served: Served, tmp_path: Path) -> None:
    chain = served.chain
    token = sign(
        store_secret(survey_secret(served.settings), chain.vladivostok),
        chain.vera_sale,
        chain.vera,
        datetime.now(UTC),
        timedelta(days=7),
    )
    with chromium(tmp_path, PHONE) as driver:
        driver.get(f"{served.url}/survey/{token}?lang=en")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0]  # nothing wider than the phone: no sideways scrolling
        driver.find_element(By.CSS_SELECTOR, "input[name=score][value='5'] + span").click()
        driver.find_element(By.CSS_SELECTOR, "input[name=reason][value='fast'] + span").click()
        driver.find_element(By.ID, "comment").send_keys("Quick and kind")
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        _wait(driver).until(ready.presence_of_element_located((By.ID, "message")))
        assert driver.find_element(By.ID, "message").text == "Thank you for your rating!"
        driver.get(f"{served.url}/survey/{token}?lang=en")
        assert "already been rated" in driver.find_element(By.ID, "message").text
