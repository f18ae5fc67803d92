"""The managers' dashboard over real HTTP: signing in, the lockout, CSRF, and what a
visitor who is not signed in, or another store's manager, gets (and does not get)."""

from __future__ import annotations

import re

import requests

from sync_server.services.manager_auth import MAX_FAILURES
from tests.e2e.dashboard.conftest import Served
from tests.e2e.sync_server.live_server import running_server
from tests.integration.sync_server.report_support import PASSWORD

TIMEOUT_S = 30
PERIOD = {"from": "2026-11-03", "to": "2026-11-30", "lang": "en"}


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} field"
    return found.group(1)


def _signed_in(served: Served, login: str, password: str = PASSWORD) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{served.url}/dashboard/login?lang=en", timeout=TIMEOUT_S)
    answer = browser.post(
        f"{served.url}/dashboard/login",
        data={
            "csrf": _hidden(form.text, "csrf"),
            "next": _hidden(form.text, "next"),
            "login": login,
            "password": password,
        },
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert answer.status_code == 303, answer.text
    # From the sign-in page itself, on to the scorecards (not back to the sign-in form).
    assert answer.headers["Location"] == "/dashboard/"
    return browser


def test_a_page_asked_for_before_signing_in_is_where_signing_in_leads(served: Served) -> None:
    browser = requests.Session()
    path = f"/dashboard/cashiers/{served.chain.anna}"
    form = browser.get(served.url + path, params=PERIOD, timeout=TIMEOUT_S)
    assert form.status_code == 401
    answer = browser.post(
        f"{served.url}/dashboard/login",
        data={
            "csrf": _hidden(form.text, "csrf"),
            "next": _hidden(form.text, "next").replace("&amp;", "&"),
            "login": "owner",
            "password": PASSWORD,
        },
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(path + "?from=2026-11-03")
    for elsewhere in ("https://evil.example/", "//evil.example/", "/dashboard/login"):
        again = _signed_in_to(served, elsewhere)
        assert again == "/dashboard/", elsewhere


def _signed_in_to(served: Served, next_page: str) -> str:
    browser = requests.Session()
    form = browser.get(f"{served.url}/dashboard/login", timeout=TIMEOUT_S)
    answer = browser.post(
        f"{served.url}/dashboard/login",
        data={
            "csrf": _hidden(form.text, "csrf"),
            "next": next_page,
            "login": "owner",
            "password": PASSWORD,
        },
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert answer.status_code == 303
    return answer.headers["Location"]


def test_signing_in_shows_the_scorecards_and_the_csv(served: Served) -> None:
    browser = _signed_in(served, "Owner ")  # logins are kept trimmed and case-folded
    cookie = next(c for c in browser.cookies if c.name == "loyalty_manager")
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.path == "/dashboard"
    page = browser.get(f"{served.url}/dashboard/", params=PERIOD, timeout=TIMEOUT_S)
    assert page.status_code == 200
    assert "Анна" in page.text and "Вера" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    csv = browser.get(f"{served.url}/dashboard/scorecards.csv", params=PERIOD, timeout=TIMEOUT_S)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in csv.headers["Content-Disposition"]
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("store,cashier,score") and len(rows) == 4
    chart = browser.get(
        f"{served.url}/dashboard/static/vendor/chartjs/chart-4.4.7.umd.js", timeout=TIMEOUT_S
    )
    assert chart.status_code == 200 and "Chart.js v4.4.7" in chart.text[:200]


def test_nothing_is_shown_to_a_visitor_who_has_not_signed_in(served: Served) -> None:
    chain = served.chain
    for path in ("/dashboard/", f"/dashboard/cashiers/{chain.anna}", "/dashboard/alerts"):
        answer = requests.get(served.url + path, params=PERIOD, timeout=TIMEOUT_S)
        assert answer.status_code == 401, path
        assert 'id="sign-in"' in answer.text  # the sign-in form, and nothing else
        assert "Анна" not in answer.text and "Нагрубила" not in answer.text
    csv = requests.get(f"{served.url}/dashboard/scorecards.csv", timeout=TIMEOUT_S)
    assert csv.status_code == 401 and "Анна" not in csv.text
    forged = requests.get(
        f"{served.url}/dashboard/", cookies={"loyalty_manager": "forged"}, timeout=TIMEOUT_S
    )
    assert forged.status_code == 401


def test_another_stores_manager_is_refused_and_learns_nothing(served: Served) -> None:
    chain = served.chain
    east = _signed_in(served, "east")
    mine = east.get(f"{served.url}/dashboard/", params=PERIOD, timeout=TIMEOUT_S)
    assert "Вера" in mine.text and "Анна" not in mine.text and "Арбат" not in mine.text
    for path, params in (
        (f"/dashboard/cashiers/{chain.anna}", PERIOD),
        ("/dashboard/", {**PERIOD, "store": chain.arbat}),
        ("/dashboard/alerts", {**PERIOD, "store": chain.arbat}),
        ("/dashboard/scorecards.csv", {**PERIOD, "store": chain.arbat}),
    ):
        answer = east.get(served.url + path, params=params, timeout=TIMEOUT_S)
        assert answer.status_code == 403, path
        assert "Анна" not in answer.text and "Нагрубила" not in answer.text
        assert "Арбат" not in answer.text


def test_a_store_id_that_is_no_store_is_refused_not_an_error(served: Served) -> None:
    owner = _signed_in(served, "owner")
    for path in (
        "/dashboard/",
        "/dashboard/alerts",
        "/dashboard/sync",
        "/dashboard/scorecards.csv",
    ):
        answer = owner.get(
            served.url + path, params={**PERIOD, "store": "garbage"}, timeout=TIMEOUT_S
        )
        assert answer.status_code == 403, path


def test_a_store_manager_opens_their_cashier(served: Served) -> None:
    arbat = _signed_in(served, "arbat")
    page = arbat.get(
        f"{served.url}/dashboard/cashiers/{served.chain.anna}", params=PERIOD, timeout=TIMEOUT_S
    )
    assert page.status_code == 200
    assert "Нагрубила" in page.text and 'id="figure-score">3.65<' in page.text


def test_wrong_passwords_lock_the_login_even_for_the_right_one(served: Served) -> None:
    browser = requests.Session()

    def attempt(login: str, password: str) -> requests.Response:
        form = browser.get(f"{served.url}/dashboard/login?lang=en", timeout=TIMEOUT_S)
        return browser.post(
            f"{served.url}/dashboard/login",
            data={"csrf": _hidden(form.text, "csrf"), "login": login, "password": password},
            allow_redirects=False,
            timeout=TIMEOUT_S,
        )

    told = "Wrong login or password. After 5 wrong passwords in a row a login waits 15 minutes."
    answers = [attempt("arbat", "wrong") for _ in range(MAX_FAILURES)]
    assert [a.status_code for a in answers] == [401] * MAX_FAILURES
    right = attempt("arbat", PASSWORD)  # locked now: the right password fails too
    assert right.status_code == 401 and "loyalty_manager" not in right.cookies
    # Locked, unknown and wrong all read the same: nothing tells which logins exist.
    unknown = attempt("nobody", "wrong")
    for answer in (*answers, right, unknown):
        assert told in answer.text
    owner = attempt("owner", PASSWORD)  # another login is not locked by this one
    assert owner.status_code == 303


def test_forms_without_their_csrf_token_change_nothing(served: Served) -> None:
    browser = _signed_in(served, "owner")
    refused = browser.post(
        f"{served.url}/dashboard/logout",
        data={"csrf": "guess"},
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert refused.status_code == 403
    still = browser.get(f"{served.url}/dashboard/", params=PERIOD, timeout=TIMEOUT_S)
    assert still.status_code == 200  # still signed in
    page = still.text
    token = browser.cookies["loyalty_manager"]
    out = browser.post(
        f"{served.url}/dashboard/logout",
        data={"csrf": _hidden(page, "csrf")},
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert out.status_code == 303
    after = browser.get(f"{served.url}/dashboard/", params=PERIOD, timeout=TIMEOUT_S)
    assert after.status_code == 401
    # The signed-out session is over on the server too, not only in this browser.
    replayed = requests.get(
        f"{served.url}/dashboard/", cookies={"loyalty_manager": token}, timeout=TIMEOUT_S
    )
    assert replayed.status_code == 401
    # Signing in needs the token of the sign-in form's own cookie.
    blind = requests.post(
        f"{served.url}/dashboard/login",
        data={"csrf": "x", "login": "owner", "password": PASSWORD},
        allow_redirects=False,
        timeout=TIMEOUT_S,
    )
    assert blind.status_code == 403


def test_too_many_sign_ins_from_one_address_are_refused_even_with_the_right_password(
    served: Served,
) -> None:
    settings = served.settings.model_copy(update={"sign_in_rate": "3/minute"})
    with running_server(settings) as url:
        browser = requests.Session()
        codes = []
        for password in ("wrong", "wrong", PASSWORD, PASSWORD):
            form = browser.get(f"{url}/dashboard/login?lang=en", timeout=TIMEOUT_S)
            answer = browser.post(
                f"{url}/dashboard/login",
                data={"csrf": _hidden(form.text, "csrf"), "login": "owner", "password": password},
                allow_redirects=False,
                timeout=TIMEOUT_S,
            )
            codes.append(answer.status_code)
        assert codes == [401, 401, 303, 429]
        assert "Too many sign-in attempts from this address" in answer.text
        assert "loyalty_manager" not in answer.cookies
