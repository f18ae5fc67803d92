"""``POST /v1/tills/enroll`` and ``GET /v1/tills/me`` over real HTTP: what a till
sends and gets back, and every refusal as a status with an ``ErrorV1`` body."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from loyalty_core.ids import new_id
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code, revoke

TIMEOUT_S = 10


class Api:
    def __init__(self, base_url: str, settings: ServerSettings) -> None:
        self.base_url = base_url
        self.settings = settings

    def enroll(
        self, code: str, till_id: str | None = None, name: str = "Till 1"
    ) -> requests.Response:
        body = {"code": code, "till_id": till_id or new_id(), "till_name": name}
        return self.post("/v1/tills/enroll", body)

    def post(self, path: str, body: object) -> requests.Response:
        return requests.post(f"{self.base_url}{path}", json=body, timeout=TIMEOUT_S)

    def me(self, authorization: str | None) -> requests.Response:
        headers = {} if authorization is None else {"Authorization": authorization}
        return requests.get(f"{self.base_url}/v1/tills/me", headers=headers, timeout=TIMEOUT_S)


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    settings = ServerSettings(database_url=database_url)
    with running_server(settings) as base_url:
        yield Api(base_url, settings)


def test_a_till_enrolls_and_then_identifies_itself(api: Api) -> None:
    till_id = new_id()

    enrolled = api.enroll(issue_code(api.settings, "Main street"), till_id, "Till 1")

    assert enrolled.status_code == 200
    assert enrolled.headers["Cache-Control"] == "no-store"
    body = enrolled.json()
    assert set(body) == {"till_id", "till_name", "store", "credential", "server_time"}
    assert (body["till_id"], body["till_name"], body["store"]["name"]) == (
        till_id,
        "Till 1",
        "Main street",
    )
    me = api.me(f"Bearer {body['credential']}")
    assert me.status_code == 200
    assert me.json() == {
        "till_id": till_id,
        "till_name": "Till 1",
        "store": body["store"],
        "enrolled_at": body["server_time"],
    }


def test_a_used_code_is_403_with_the_reason(api: Api) -> None:
    code = issue_code(api.settings)
    assert api.enroll(code, name="Till 1").status_code == 200

    again = api.enroll(code, name="Till 2")

    assert again.status_code == 403
    assert again.json()["code"] == "enrollment.code_used"
    assert "already used" in again.json()["message"]


def test_an_expired_code_is_403_saying_when_it_expired_and_stays_unspent(api: Api) -> None:
    # A code that lives one microsecond has expired by the time any request reaches the server.
    code = issue_code(api.settings, ttl=timedelta(microseconds=1))

    refused = api.enroll(code)

    assert refused.status_code == 403
    assert refused.json()["code"] == "enrollment.code_expired"
    assert re.fullmatch(
        r"This enrollment code expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Ask for a new one\.",
        refused.json()["message"],
    )
    assert api.enroll(code).json()["code"] == "enrollment.code_expired"  # not "already used"


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        ({"code": "12", "till_name": "T"}, "enrollment.code_malformed", "12 digits"),
        ({"till_id": "till-1", "till_name": "T"}, "enrollment.till_id_malformed", "UUID"),
        ({"till_name": ""}, "enrollment.name_invalid", "till name"),
        ({"till_name": None}, "request.invalid", "till_name"),
        ({"unexpected": 1}, "request.invalid", "unexpected"),
    ],
    ids=["code", "till-id", "empty-name", "null-name", "extra-field"],
)
def test_bad_input_is_422_with_a_message_and_spends_nothing(
    api: Api, body: dict[str, object], code: str, says: str
) -> None:
    good_code = issue_code(api.settings)
    request = {"code": good_code, "till_id": new_id(), "till_name": "Till 1", **body}

    refused = api.post("/v1/tills/enroll", request)

    assert refused.status_code == 422
    assert refused.json()["code"] == code
    assert says in refused.json()["message"]
    assert api.enroll(good_code).status_code == 200  # the code is still unspent


def test_a_body_that_is_not_json_is_400_saying_so(api: Api) -> None:
    response = requests.post(
        f"{api.base_url}/v1/tills/enroll",
        data="code=1",
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT_S,
    )

    assert response.status_code == 400
    assert response.json()["code"] == "request.json_invalid"
    assert response.json()["message"].startswith("The request body is not valid JSON")


def test_a_till_name_taken_in_the_store_is_409(api: Api) -> None:
    assert api.enroll(issue_code(api.settings), name="Till 1").status_code == 200

    taken = api.enroll(issue_code(api.settings), name="Till 1")

    assert taken.status_code == 409
    assert taken.json()["code"] == "enrollment.till_name_taken"


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "auth.credential_missing"),
        ("Basic dXNlcjpwYXNz", "auth.credential_missing"),
        ("Bearer", "auth.credential_missing"),
        ("Bearer not-a-real-credential", "auth.credential_unknown"),
    ],
    ids=["no-header", "basic", "empty-bearer", "unknown"],
)
def test_me_without_a_valid_credential_is_401(
    api: Api, authorization: str | None, code: str
) -> None:
    response = api.me(authorization)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_a_revoked_till_gets_401_saying_so(api: Api) -> None:
    body = api.enroll(issue_code(api.settings)).json()
    assert api.me(f"Bearer {body['credential']}").status_code == 200

    revoke(api.settings, body["till_id"])

    response = api.me(f"Bearer {body['credential']}")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.credential_revoked"
    assert "Enroll the till again" in response.json()["message"]


def test_openapi_describes_enrollment_and_the_bearer_credential(api: Api) -> None:
    schema = requests.get(f"{api.base_url}/openapi.json", timeout=TIMEOUT_S).json()

    enroll = schema["paths"]["/v1/tills/enroll"]["post"]
    me = schema["paths"]["/v1/tills/me"]["get"]
    assert {"200", "403", "409", "422"} <= set(enroll["responses"])
    assert {"200", "401"} <= set(me["responses"])
    assert me["security"] == [{"TillCredential": []}]
    assert schema["components"]["securitySchemes"]["TillCredential"]["scheme"] == "bearer"
    assert {"EnrollmentRequestV1", "EnrollmentV1", "TillV1", "ErrorV1"} <= set(
        schema["components"]["schemas"]
    )


def test_on_sqlite_a_till_checks_its_credential_while_another_transaction_writes(
    tmp_path: Path,
) -> None:
    """Authenticating only reads: it must not queue for SQLite's write lock (and fail
    once the busy timeout runs out) behind a long write such as a pushed batch."""
    database = tmp_path / "server.sqlite3"
    settings = ServerSettings(database_url=f"sqlite:///{database}")
    with running_server(settings) as base_url:
        api = Api(base_url, settings)
        credential = api.enroll(issue_code(settings)).json()["credential"]
        writer = sqlite3.connect(database, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # holds the write lock until rollback

            response = api.me(f"Bearer {credential}")

            writer.execute("ROLLBACK")
        finally:
            writer.close()

    assert response.status_code == 200, response.text
