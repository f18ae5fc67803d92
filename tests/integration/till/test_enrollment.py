"""Enrolling the till as an operator types it: spaces and slashes around what they typed, a
blank name, the log lines, and a warning when the till's clock is off the server's.

One real server (SQLite behind it) on loopback for the module; each test spends its own code.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from pos_client.adapters.server_client import (
    EnrollmentResult,
    InvalidServerUrlError,
    ServerClient,
    ServerUnavailableError,
)
from pos_client.bootstrap import Till
from pos_client.services.enrollment import (
    CREDENTIAL_KEY,
    ENROLLED_AT_KEY,
    SERVER_URL_KEY,
    STORE_ID_KEY,
    STORE_NAME_KEY,
    TILL_NAME_KEY,
    default_till_name,
    enroll_till,
    stored_enrollment,
)
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code


@dataclass(frozen=True)
class Server:
    url: str
    settings: ServerSettings

    def code(self) -> str:
        return issue_code(self.settings, "Main street")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    settings = ServerSettings(database_url=f"sqlite:///{folder / 'server.sqlite3'}")
    with running_server(settings) as url:
        yield Server(url, settings)


def _enroll(
    till: Till,
    url: str,
    code: str,
    name: str | None = None,  # the default name, unique to each test's till
    clock: Callable[[], datetime] | None = None,
) -> EnrollmentResult:
    sv = till.services
    ctx = sv.ctx if clock is None else replace(sv.ctx, clock=clock)
    return enroll_till(url, code, name, sv.uows.writing(), ctx, ServerClient())


def _state(till: Till, key: str) -> str | None:
    with till.services.uows.reading() as uow:
        return uow.state.get(key)


def test_the_till_name_is_trimmed(server: Server, empty_till: Till) -> None:
    result = _enroll(empty_till, server.url, server.code(), "  Front till \t")
    assert result.till_name == "Front till"
    assert _state(empty_till, TILL_NAME_KEY) == "Front till"


def test_a_blank_till_name_gets_the_default_one(server: Server, empty_till: Till) -> None:
    result = _enroll(empty_till, server.url, server.code(), "   ")
    assert result.till_name == default_till_name(empty_till.services.ctx.till_id)


def test_the_default_name_ends_with_the_last_six_digits_of_the_till_id() -> None:
    assert default_till_name("01234567-89ab-7cde-8f01-23456789abcd") == "Till 89abcd"


def test_a_code_and_an_address_typed_with_spaces_and_slashes_are_accepted(
    server: Server, empty_till: Till
) -> None:
    result = _enroll(empty_till, f"  {server.url}//  ", f"  {server.code()} \n")
    assert result.store_name == "Main street"
    assert _state(empty_till, SERVER_URL_KEY) == server.url
    assert _state(empty_till, CREDENTIAL_KEY) == result.credential
    assert _state(empty_till, STORE_ID_KEY) == result.store_id
    assert _state(empty_till, STORE_NAME_KEY) == "Main street"
    assert _state(empty_till, ENROLLED_AT_KEY) == result.server_time.isoformat()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_an_http_or_https_address_is_tried(empty_till: Till, closed_port: int, scheme: str) -> None:
    with pytest.raises(ServerUnavailableError) as unavailable:
        _enroll(empty_till, f" {scheme}://127.0.0.1:{closed_port}/ ", "1234-5678-9012")
    assert unavailable.value.params["url"] == f"{scheme}://127.0.0.1:{closed_port}"


@pytest.mark.parametrize("path", ["/X", "/sync/x"])
def test_an_address_keeps_its_path_without_the_trailing_slash(
    empty_till: Till, closed_port: int, path: str
) -> None:
    with pytest.raises(ServerUnavailableError) as unavailable:
        _enroll(empty_till, f"http://127.0.0.1:{closed_port}{path}/", "1234-5678-9012")
    assert unavailable.value.params["url"] == f"http://127.0.0.1:{closed_port}{path}"


@pytest.mark.parametrize(
    "typed",
    [
        "https://",
        " https:// ",
        "https:///",
        "http://",
        "ftp://sync.example.com",
        "127.0.0.1:8000",
        "sync.example.com",
    ],
)
def test_a_scheme_with_nothing_after_it_is_not_an_address(empty_till: Till, typed: str) -> None:
    with pytest.raises(InvalidServerUrlError) as refused:
        _enroll(empty_till, typed, "1234-5678-9012")
    assert refused.value.params["url"] == typed
    assert stored_enrollment(empty_till.services.uows.reading()) is None


def test_enrolling_logs_the_till_its_name_the_address_and_the_store(
    server: Server, empty_till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pos_client.services.enrollment")
    till_id = empty_till.services.ctx.till_id
    result = _enroll(empty_till, server.url, server.code(), "Back till")
    assert [r.getMessage() for r in caplog.records if r.name.endswith("enrollment")] == [
        f"enrolling till {till_id} as 'Back till' with {server.url}",
        f"till {till_id} enrolled with store 'Main street' ({result.store_id})",
    ]


def _clock_off_the_server_by(till: Till, offset: timedelta) -> Callable[[], datetime]:
    """The till's clock, ``offset`` from the server's: the server's time is what enrolling
    stored (the till reads its clock only after that, to compare)."""

    def clock() -> datetime:
        server_time = _state(till, ENROLLED_AT_KEY)
        assert server_time is not None
        return datetime.fromisoformat(server_time) + offset

    return clock


def _skew_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.parametrize("offset", [timedelta(minutes=2), -timedelta(minutes=2)])
def test_a_clock_two_minutes_off_the_servers_is_not_warned_about(
    server: Server, empty_till: Till, caplog: pytest.LogCaptureFixture, offset: timedelta
) -> None:
    caplog.set_level(logging.INFO, logger="pos_client.services.enrollment")
    clock = _clock_off_the_server_by(empty_till, offset)
    _enroll(empty_till, server.url, server.code(), clock=clock)
    assert _skew_warnings(caplog) == []


@pytest.mark.parametrize(
    ("offset", "shown"),
    [(timedelta(minutes=2, seconds=1), "+121"), (-timedelta(minutes=2, seconds=1), "-121")],
)
def test_a_clock_more_than_two_minutes_off_the_servers_is_warned_about(
    server: Server,
    empty_till: Till,
    caplog: pytest.LogCaptureFixture,
    offset: timedelta,
    shown: str,
) -> None:
    caplog.set_level(logging.INFO, logger="pos_client.services.enrollment")
    clock = _clock_off_the_server_by(empty_till, offset)
    _enroll(empty_till, server.url, server.code(), clock=clock)
    assert _skew_warnings(caplog) == [
        f"this till's clock differs from the server's by {shown} s; set the time"
    ]


def test_a_till_that_enrolled_only_in_part_has_no_enrollment(empty_till: Till) -> None:
    """Say a state restored from an old backup: every key is needed."""
    keys = [SERVER_URL_KEY, CREDENTIAL_KEY, STORE_ID_KEY, STORE_NAME_KEY, TILL_NAME_KEY]
    with empty_till.services.uows.writing() as uow:
        for key in keys:
            uow.state.set(key, "x")
        uow.commit()
    assert stored_enrollment(empty_till.services.uows.reading()) is None
    with empty_till.services.uows.writing() as uow:
        uow.state.set(ENROLLED_AT_KEY, datetime(2026, 1, 2, tzinfo=UTC).isoformat())
        uow.commit()
    stored = stored_enrollment(empty_till.services.uows.reading())
    assert stored is not None
    assert (stored.server_url, stored.till_name) == ("x", "x")
    assert stored.enrolled_at == datetime(2026, 1, 2, tzinfo=UTC)
