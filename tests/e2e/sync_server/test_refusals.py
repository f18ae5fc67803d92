"""Every refusal over real HTTP has the ``ErrorV1`` body: bodies over the size limit
(declared or streamed), unparseable JSON, many bad fields, unknown paths, wrong methods,
an unreachable database and a failure nobody expected."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from loyalty_core.ids import new_id
from sync_server.adapters.database import create_database_engine
from sync_server.api.errors import MAX_MESSAGE_CHARS, MAX_PROBLEMS
from sync_server.app import create_app
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code
from tests.pg_support import admin_url, temporary_database

TIMEOUT_S = 10
MIB = 1024 * 1024


def assert_error_v1(response: requests.Response, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def server(database_url: str) -> Iterator[tuple[str, ServerSettings]]:
    settings = ServerSettings(database_url=database_url, enroll_rate="1000/minute")
    with running_server(settings) as base_url:
        yield base_url, settings


def raw_request(base_url: str, head: str, body: bytes = b"") -> tuple[bytes, float]:
    """Send ``head`` (and ``body``) on a plain socket; the status line and the seconds it took."""
    host, port = base_url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=TIMEOUT_S) as connection:
        connection.sendall(head.encode("ascii") + body)
        answer = connection.recv(65536)
    return answer.split(b"\r\n", 1)[0], time.monotonic() - started


def test_a_declared_body_over_the_limit_is_413_before_the_body_is_sent(
    server: tuple[str, ServerSettings],
) -> None:
    base_url, _ = server
    head = (
        "POST /v1/tills/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {500 * MIB}\r\n\r\n"
    )

    # Not one byte of the 500 MiB is sent: the server answers from the headers alone.
    status_line, seconds = raw_request(base_url, head)

    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
    assert seconds < 5


def test_an_8_mb_enrollment_body_is_refused_quickly_with_a_short_answer(
    server: tuple[str, ServerSettings],
) -> None:
    base_url, _ = server
    extra = {f"k{i}": 1 for i in range(800_000)}
    body = json.dumps({"code": "1", "till_id": "x", "till_name": "y", **extra}).encode()
    assert len(body) > 8 * MIB

    started = time.monotonic()
    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT_S,
    )

    assert time.monotonic() - started < 5
    body_v1 = assert_error_v1(response, 413, "request.too_large")
    assert "1,048,576 bytes" in body_v1["message"]
    assert len(response.content) < 1024
    assert requests.get(f"{base_url}/health", timeout=TIMEOUT_S).status_code == 200


def test_a_streamed_body_without_a_length_is_counted_and_refused(
    server: tuple[str, ServerSettings],
) -> None:
    base_url, _ = server
    sent = 0

    def chunks() -> Iterator[bytes]:  # requests sends this with Transfer-Encoding: chunked
        nonlocal sent
        yield b'{"code": "'
        for _ in range(64):
            sent += 64 * 1024
            yield b"1" * (64 * 1024)
        yield b'"}'

    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT_S,
    )

    assert sent == 4 * MIB
    assert_error_v1(response, 413, "request.too_large")


def test_the_limit_is_a_setting_and_a_body_within_it_is_read(tmp_path: Path) -> None:
    settings = ServerSettings(
        database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}", max_body_bytes=2048
    )
    request = json.dumps({"code": "1" * 12, "till_id": new_id(), "till_name": "T"})
    headers = {"Content-Type": "application/json"}
    with running_server(settings) as base_url:
        url = f"{base_url}/v1/tills/enroll"
        # JSON may end in any amount of white space: the body's size alone differs.
        within = requests.post(url, data=request + " " * 1900, headers=headers, timeout=10)
        over = requests.post(url, data=request + " " * 2100, headers=headers, timeout=10)

    assert_error_v1(within, 403, "enrollment.code_unknown")  # read, parsed and checked
    assert "2,048 bytes" in assert_error_v1(over, 413, "request.too_large")["message"]


def test_pushed_batches_have_their_own_larger_limit(tmp_path: Path) -> None:
    settings = ServerSettings(
        database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}",
        max_body_bytes=4096,
        max_push_body_bytes=64 * 1024,
    )
    batch = b"[" + b"0," * 10_000 + b"0]"  # 20 KB: over the general limit, under the push one
    with running_server(settings) as base_url:
        push = requests.post(f"{base_url}/v1/sync/push", data=batch, timeout=TIMEOUT_S)
        elsewhere = requests.post(f"{base_url}/v1/tills/enroll", data=batch, timeout=TIMEOUT_S)
        huge = requests.post(f"{base_url}/v1/sync/push", data=b"0" * (65 * 1024), timeout=TIMEOUT_S)

    assert push.status_code != 413  # whatever the push route makes of it, size is no reason
    assert_error_v1(elsewhere, 413, "request.too_large")
    assert "65,536 bytes" in assert_error_v1(huge, 413, "request.too_large")["message"]


def test_a_body_with_many_bad_fields_lists_a_bounded_number_of_them(
    server: tuple[str, ServerSettings],
) -> None:
    base_url, _ = server
    extra = {f"unexpected_{i}": i for i in range(5_000)}
    extra["x" * 20_000] = 1  # one key far longer than a message should be

    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        json={"code": "1", "till_id": "x", "till_name": "y", **extra},
        timeout=TIMEOUT_S,
    )

    message = assert_error_v1(response, 422, "request.invalid")["message"]
    problems = message.split("; ")
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == "unexpected_0: Extra inputs are not permitted"
    assert problems[-1] == f"… and {5_001 - MAX_PROBLEMS:,} more"
    assert len(message) <= MAX_MESSAGE_CHARS
    assert len(response.content) < 2 * MAX_MESSAGE_CHARS


def test_a_huge_field_name_is_cut_in_the_message(server: tuple[str, ServerSettings]) -> None:
    base_url, _ = server

    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        json={"code": "1", "till_id": "x", "till_name": "y", "k" * 100_000: 1},
        timeout=TIMEOUT_S,
    )

    message = assert_error_v1(response, 422, "request.invalid")["message"]
    assert message == "k" * 80 + "…: Extra inputs are not permitted"


@pytest.mark.parametrize(
    "body",
    [b"{", b"code=1", b'{"code": "1",}', b"\xff\xfe"],
    ids=["cut", "form", "trailing-comma", "not-utf8"],
)
def test_a_body_that_does_not_parse_is_400(server: tuple[str, ServerSettings], body: bytes) -> None:
    base_url, _ = server

    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=TIMEOUT_S,
    )

    message = assert_error_v1(response, 400, "request.json_invalid")["message"]
    assert message.startswith("The request body is not valid JSON")


def test_an_unknown_path_is_404(server: tuple[str, ServerSettings]) -> None:
    base_url, _ = server

    response = requests.get(f"{base_url}/v1/no-such-thing", timeout=TIMEOUT_S)

    message = assert_error_v1(response, 404, "request.not_found")["message"]
    assert "/v1/no-such-thing" in message


def test_a_wrong_method_is_405_naming_the_allowed_one(server: tuple[str, ServerSettings]) -> None:
    base_url, _ = server

    response = requests.get(f"{base_url}/v1/tills/enroll", timeout=TIMEOUT_S)

    message = assert_error_v1(response, 405, "request.method_not_allowed")["message"]
    assert response.headers["Allow"] == "POST"
    assert "allowed: POST" in message


def test_an_unexpected_failure_is_500_with_no_details(
    server: tuple[str, ServerSettings], database_url: str
) -> None:
    """A database whose schema was broken behind the server's back: not a refusal the
    client can fix, nor a database that is down; the details stay in the server's log."""
    base_url, _ = server
    engine = create_database_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE enrollment_codes"))
    finally:
        engine.dispose()

    response = requests.post(
        f"{base_url}/v1/tills/enroll",
        json={"code": "1234-5678-9012", "till_id": new_id(), "till_name": "Till 1"},
        timeout=TIMEOUT_S,
    )

    message = assert_error_v1(response, 500, "server.error")["message"]
    assert "enrollment_codes" not in message
    assert "nothing was changed" in message


def test_an_exception_in_a_route_is_500_error_v1(tmp_path: Path) -> None:
    settings = ServerSettings(database_url=f"sqlite:///{tmp_path / 'server.sqlite3'}")
    app = create_app(settings)

    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("a bug with a secret in its message")

    with running_server(settings, app) as base_url:
        response = requests.get(f"{base_url}/explode", timeout=TIMEOUT_S)

    assert_error_v1(response, 500, "server.error")
    assert "secret" not in response.text


def unreachable_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'no-such-directory' / 'server.sqlite3'}"


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_every_endpoint_needing_the_database_is_503_while_it_is_unreachable(
    backend: str, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = unreachable_sqlite(tmp_path)
    else:
        with temporary_database("gone") as url:
            pass  # dropped on leaving: a running PostgreSQL without that database
    settings = ServerSettings(database_url=url, migrate_on_startup=False)

    with running_server(settings) as base_url:
        enroll = requests.post(
            f"{base_url}/v1/tills/enroll",
            json={"code": "1234-5678-9012", "till_id": new_id(), "till_name": "Till 1"},
            timeout=TIMEOUT_S,
        )
        me = requests.get(
            f"{base_url}/v1/tills/me",
            headers={"Authorization": "Bearer some-credential"},
            timeout=TIMEOUT_S,
        )
        health = requests.get(f"{base_url}/health", timeout=TIMEOUT_S)

    for response in (enroll, me):
        message = assert_error_v1(response, 503, "database.unavailable")["message"]
        assert response.headers["Retry-After"] == "5"
        assert "no-such-directory" not in message and "loyalty_test" not in message
    assert health.status_code == 503  # /health keeps its own body, for load balancers
    assert health.json()["status"] == "unavailable"


@pytest.mark.postgres
def test_a_postgresql_database_dropped_while_the_server_runs_gives_503_not_500() -> None:
    with temporary_database("dropped") as url:
        settings = ServerSettings(database_url=url)
        with running_server(settings) as base_url:
            enrolled = requests.post(
                f"{base_url}/v1/tills/enroll",
                json={"code": issue_code(settings), "till_id": new_id(), "till_name": "T"},
                timeout=TIMEOUT_S,
            )
            assert enrolled.status_code == 200
            credential = enrolled.json()["credential"]
            _drop(url)

            me = requests.get(
                f"{base_url}/v1/tills/me",
                headers={"Authorization": f"Bearer {credential}"},
                timeout=TIMEOUT_S,
            )

    assert_error_v1(me, 503, "database.unavailable")
    assert me.headers["Retry-After"] == "5"


def _drop(url: str) -> None:
    """Drop the server's database under it (its pooled connections are terminated)."""
    name = make_url(url).database
    with psycopg.connect(admin_url(), autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(str(name)))
        )


def test_health_checks_log_no_alembic_lines(
    server: tuple[str, ServerSettings], caplog: pytest.LogCaptureFixture
) -> None:
    base_url, _ = server
    caplog.clear()

    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            assert requests.get(f"{base_url}/health", timeout=TIMEOUT_S).status_code == 200

    assert [r.getMessage() for r in caplog.records if r.name.startswith("alembic")] == []
