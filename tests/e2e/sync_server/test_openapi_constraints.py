"""``/openapi.json`` states what the server enforces, so a schema-driven fuzzer builds
valid requests: requests generated from the served schema alone are never refused as
malformed (a random code is simply unknown: 403)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server

TIMEOUT_S = 10
ERROR_V1 = {"$ref": "#/components/schemas/ErrorV1"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    folder: Path = tmp_path_factory.mktemp("openapi")
    server_settings = ServerSettings(
        database_url=f"sqlite:///{folder / 'server.sqlite3'}", enroll_rate="100000/minute"
    )
    with running_server(server_settings) as base_url:
        schema = requests.get(f"{base_url}/openapi.json", timeout=TIMEOUT_S).json()
        yield base_url, schema


def enrollment_request(schema: dict[str, Any]) -> dict[str, Any]:
    body = schema["paths"]["/v1/tills/enroll"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    result: dict[str, Any] = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return result


def test_the_enrollment_request_states_its_constraints(
    served: tuple[str, dict[str, Any]],
) -> None:
    _, schema = served
    request = enrollment_request(schema)
    fields = request["properties"]

    assert request["additionalProperties"] is False
    assert set(request["required"]) == {"code", "till_id", "till_name"}
    assert re.fullmatch(fields["code"]["pattern"], "4821-0937-5512")
    assert re.fullmatch(fields["code"]["pattern"], "482109375512")
    assert not re.fullmatch(fields["code"]["pattern"], "4821-0937-551")  # 11 digits
    assert fields["till_id"]["format"] == "uuid"
    assert (fields["till_name"]["minLength"], fields["till_name"]["maxLength"]) == (1, 100)
    assert re.fullmatch(fields["till_name"]["pattern"], "Касса №1")
    assert not re.fullmatch(fields["till_name"]["pattern"], "   ")


def test_responses_state_uuids_and_every_refusal_as_error_v1(
    served: tuple[str, dict[str, Any]],
) -> None:
    _, schema = served
    components = schema["components"]["schemas"]
    enroll = schema["paths"]["/v1/tills/enroll"]["post"]["responses"]
    me = schema["paths"]["/v1/tills/me"]["get"]["responses"]

    for status in ("400", "403", "409", "413", "422", "429", "500", "503"):
        assert enroll[status]["content"]["application/json"]["schema"] == ERROR_V1, status
    for status in ("401", "413", "500", "503"):
        assert me[status]["content"]["application/json"]["schema"] == ERROR_V1, status
    assert components["EnrollmentV1"]["properties"]["till_id"]["format"] == "uuid"
    assert components["TillV1"]["properties"]["till_id"]["format"] == "uuid"
    assert components["StoreV1"]["properties"]["id"]["format"] == "uuid"


def strategy_for(field: dict[str, Any]) -> st.SearchStrategy[str]:
    """Strings as a schema-driven fuzzer makes them: from the field's schema only."""
    if field.get("format") == "uuid":
        return st.uuids().map(str)
    low, high = field.get("minLength", 0), field.get("maxLength", 10_000)
    return st.from_regex(field["pattern"]).filter(lambda text: low <= len(text) <= high)


def test_requests_built_from_the_schema_alone_are_well_formed(
    served: tuple[str, dict[str, Any]],
) -> None:
    base_url, schema = served
    fields = enrollment_request(schema)["properties"]
    bodies = st.fixed_dictionaries({name: strategy_for(field) for name, field in fields.items()})

    @settings(max_examples=80, suppress_health_check=[HealthCheck.filter_too_much])
    @given(bodies)
    def check(body: dict[str, str]) -> None:
        response = requests.post(f"{base_url}/v1/tills/enroll", json=body, timeout=TIMEOUT_S)
        # Well formed, so only the code's value can be wrong: no such code.
        assert response.status_code == 403, (body, response.text)
        assert response.json()["code"] == "enrollment.code_unknown"

    check()
