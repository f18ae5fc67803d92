"""A real till enrolls with a real server over loopback HTTP, keeps its credential,
and learns clearly when the server refuses it or cannot be reached."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator

import pytest

from pos_client.adapters.server_client import (
    CredentialRefusedError,
    EnrollmentRefusedError,
    EnrollmentResult,
    InvalidServerUrlError,
    ServerClient,
    ServerUnavailableError,
)
from pos_client.bootstrap import TILL_ID_KEY, Till
from pos_client.services.enrollment import (
    CREDENTIAL_KEY,
    SERVER_URL_KEY,
    STORE_ID_KEY,
    STORE_NAME_KEY,
    TILL_NAME_KEY,
    StoredEnrollment,
    default_till_name,
    enroll_till,
    stored_enrollment,
)
from tests.e2e.enrollment.conftest import LiveServer
from tests.e2e.sync_server.server_admin import issue_code, revoke


def enroll(till: Till, server_url: str, code: str, name: str | None = "Till 1") -> EnrollmentResult:
    services = till.services
    return enroll_till(
        server_url, code, name, services.uows.writing(), services.ctx, ServerClient()
    )


def enrollment_of(till: Till) -> StoredEnrollment | None:
    return stored_enrollment(till.services.uows.reading())


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_till_enrolls_keeps_its_credential_and_the_server_knows_it(
    server: LiveServer, till: Till
) -> None:
    code = issue_code(server.settings, "Main street")

    result = enroll(till, server.url + "/", code, "Till 1")

    assert (result.till_id, result.till_name, result.store_name) == (
        till.services.ctx.till_id,
        "Till 1",
        "Main street",
    )
    stored = enrollment_of(till)
    assert stored == StoredEnrollment(
        server_url=server.url,  # kept without the trailing slash
        credential=result.credential,
        store_id=result.store_id,
        store_name="Main street",
        till_name="Till 1",
        enrolled_at=result.server_time,
    )
    with till.services.uows.reading() as uow:
        assert uow.state.get(SERVER_URL_KEY) == server.url
        assert uow.state.get(CREDENTIAL_KEY) == result.credential
        assert uow.state.get(STORE_ID_KEY) == result.store_id
        assert uow.state.get(STORE_NAME_KEY) == "Main street"
        assert uow.state.get(TILL_NAME_KEY) == "Till 1"
        assert uow.state.get(TILL_ID_KEY) == till.services.ctx.till_id

    identity = ServerClient().whoami(stored.server_url, stored.credential)

    assert (identity.till_id, identity.till_name) == (till.services.ctx.till_id, "Till 1")
    assert (identity.store_id, identity.store_name) == (result.store_id, "Main street")


def test_the_credential_and_the_code_never_reach_the_logs(
    server: LiveServer, till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    code = issue_code(server.settings)
    caplog.set_level(logging.DEBUG)

    result = enroll(till, server.url, code)
    ServerClient().whoami(server.url, result.credential)
    stored = enrollment_of(till)

    logged = caplog.text + "".join(repr(r.args) for r in caplog.records)
    assert "enrolled with store" in logged  # the log does say what happened
    for secret in (result.credential, code, code.replace("-", "")):
        assert secret not in logged
        assert secret not in repr(result) + repr(stored)


def test_reusing_a_code_is_refused_with_the_servers_message(
    server: LiveServer, new_till: Callable[[str], Till]
) -> None:
    code = issue_code(server.settings)
    enroll(new_till("first"), server.url, code, "Till 1")
    second = new_till("second")

    with pytest.raises(EnrollmentRefusedError) as refused:
        enroll(second, server.url, code, "Till 2")

    assert refused.value.status == 403
    assert refused.value.server_code == "enrollment.code_used"
    assert "already used" in refused.value.message
    assert enrollment_of(second) is None


def test_a_mistyped_code_is_refused_with_the_servers_message(
    server: LiveServer, till: Till
) -> None:
    with pytest.raises(EnrollmentRefusedError, match="12 digits") as refused:
        enroll(till, server.url, "1234-5678")

    assert refused.value.status == 422
    assert enrollment_of(till) is None


def test_a_refused_enrollment_keeps_the_previous_credential(server: LiveServer, till: Till) -> None:
    before = enroll(till, server.url, issue_code(server.settings))

    with pytest.raises(EnrollmentRefusedError):
        enroll(till, server.url, "0000-0000-0000")

    stored = enrollment_of(till)
    assert stored is not None
    assert stored.credential == before.credential
    assert ServerClient().whoami(server.url, stored.credential).till_id == before.till_id


def test_enrolling_again_replaces_the_credential(server: LiveServer, till: Till) -> None:
    first = enroll(till, server.url, issue_code(server.settings), "Till 1")

    second = enroll(till, server.url, issue_code(server.settings), "Front till")

    stored = enrollment_of(till)
    assert stored is not None
    assert (stored.credential, stored.till_name) == (second.credential, "Front till")
    assert ServerClient().whoami(server.url, second.credential).till_name == "Front till"
    with pytest.raises(CredentialRefusedError) as refused:
        ServerClient().whoami(server.url, first.credential)
    assert refused.value.status == 401


def test_a_revoked_till_is_refused_with_401(server: LiveServer, till: Till) -> None:
    result = enroll(till, server.url, issue_code(server.settings))

    revoke(server.settings, result.till_id)

    with pytest.raises(CredentialRefusedError, match="revoked") as refused:
        ServerClient().whoami(server.url, result.credential)
    assert (refused.value.status, refused.value.server_code) == (401, "auth.credential_revoked")


def test_without_a_name_the_till_gets_one_from_its_id(server: LiveServer, till: Till) -> None:
    result = enroll(till, server.url, issue_code(server.settings), name=None)

    assert result.till_name == default_till_name(till.services.ctx.till_id)


def test_a_server_that_is_down_gives_server_unavailable(till: Till, closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}"

    with pytest.raises(ServerUnavailableError, match="connection failed"):
        enroll(till, url, "1234-5678-9012")
    with pytest.raises(ServerUnavailableError):
        ServerClient().whoami(url, "some-credential")

    assert enrollment_of(till) is None


def test_a_server_that_never_answers_gives_server_unavailable(till: Till, silent_port: int) -> None:
    client = ServerClient(connect_timeout_s=1, read_timeout_s=1)
    services = till.services

    with pytest.raises(ServerUnavailableError, match="no answer in time"):
        enroll_till(
            f"http://127.0.0.1:{silent_port}",
            "1234-5678-9012",
            "Till 1",
            services.uows.writing(),
            services.ctx,
            client,
        )

    assert enrollment_of(till) is None


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://server", "", "http://"])
def test_an_address_that_is_not_a_url_is_refused_before_any_request(till: Till, url: str) -> None:
    with pytest.raises(InvalidServerUrlError, match="not a server address"):
        enroll(till, url, "1234-5678-9012")
