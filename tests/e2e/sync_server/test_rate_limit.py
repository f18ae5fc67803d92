"""Enrollment is rate-limited per client address, over real HTTP: an online guesser of
codes is slowed down; another till's address is not held up by it."""

from __future__ import annotations

import http.client
import json
from pathlib import Path

import requests

from loyalty_core.ids import new_id
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code

TIMEOUT_S = 10


def enroll_from(
    base_url: str, source: str, body: dict[str, str]
) -> tuple[int, http.client.HTTPMessage, dict[str, str]]:
    """POST /v1/tills/enroll from the loopback address ``source`` (127.0.0.0/8 are all ours)."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(
        host, int(port), timeout=TIMEOUT_S, source_address=(source, 0)
    )
    try:
        connection.request(
            "POST", "/v1/tills/enroll", json.dumps(body), {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        return response.status, response.headers, json.loads(response.read())
    finally:
        connection.close()


def test_enrollment_attempts_over_the_rate_are_429_per_address(tmp_path: Path) -> None:
    settings = ServerSettings(
        database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}", enroll_rate="3/minute"
    )
    with running_server(settings) as base_url:
        good_code = issue_code(settings)
        guesses = [
            {"code": "0000-0000-0000", "till_id": new_id(), "till_name": "Guess"},  # 403
            {"code": "12", "till_id": new_id(), "till_name": "Guess"},  # 422
            {"nonsense": "x"},  # 422 as well: every attempt counts, whatever it holds
        ]
        answers = [enroll_from(base_url, "127.0.0.1", guess)[0] for guess in guesses]
        good = {"code": good_code, "till_id": new_id(), "till_name": "Till 1"}
        status, headers, body = enroll_from(base_url, "127.0.0.1", good)
        other_address = enroll_from(base_url, "127.0.0.2", good)
        me = requests.get(
            f"{base_url}/v1/tills/me",
            headers={"Authorization": f"Bearer {other_address[2].get('credential')}"},
            timeout=TIMEOUT_S,
        )

    assert answers == [403, 422, 422]
    assert status == 429
    assert body["code"] == "rate.limited"
    assert set(body) == {"code", "message"}
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert f"try again in {headers['Retry-After']} seconds" in body["message"]
    # The refused attempt spent nothing: the same code enrolls from another address.
    assert other_address[0] == 200
    assert me.status_code == 200  # only enrollment is limited


def test_the_rate_is_a_setting(tmp_path: Path) -> None:
    settings = ServerSettings(
        database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}", enroll_rate="12 per minute"
    )
    bad = {"code": "0000-0000-0000", "till_id": new_id(), "till_name": "Guess"}
    with running_server(settings) as base_url:
        statuses = [enroll_from(base_url, "127.0.0.3", bad)[0] for _ in range(13)]

    assert statuses == [403] * 12 + [429]
