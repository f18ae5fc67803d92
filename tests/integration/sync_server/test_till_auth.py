"""Till credentials on real SQLite and PostgreSQL: unknown and revoked ones are
refused, revocation is immediate, and enrolling again reinstates a till."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.ids import new_id
from sync_server.services.till_auth import (
    CredentialRevokedError,
    CredentialUnknownError,
    UnknownTillError,
    authenticate_till,
    revoke_till,
)
from tests.integration.sync_server.enrollment_support import NOW, Server


@pytest.fixture
def server(migrated_engine: Engine) -> Server:
    return Server(migrated_engine)


def test_an_unknown_credential_is_refused(server: Server) -> None:
    server.enroll(server.issue().code)

    with pytest.raises(CredentialUnknownError, match="does not know this credential"):
        authenticate_till("not-a-credential-the-server-issued", server.uow())


def test_an_absurdly_long_credential_is_refused_without_hashing_it(server: Server) -> None:
    with pytest.raises(CredentialUnknownError):
        authenticate_till("x" * 100_000, server.uow())


def test_a_revoked_credential_stops_working(server: Server) -> None:
    enrollment = server.enroll(server.issue().code, name="Till 1")

    revoked = revoke_till(enrollment.till_id, server.uow(), now=NOW + timedelta(hours=1))

    assert revoked.revoked_at == NOW + timedelta(hours=1)
    assert revoked.name == "Till 1"
    with pytest.raises(CredentialRevokedError, match="revoked at 2026-03-01 13:00 UTC"):
        authenticate_till(enrollment.credential, server.uow())


def test_revoking_twice_keeps_the_first_time(server: Server) -> None:
    till_id = server.enroll(server.issue().code).till_id
    revoke_till(till_id, server.uow(), now=NOW + timedelta(hours=1))

    again = revoke_till(till_id, server.uow(), now=NOW + timedelta(hours=5))

    assert again.revoked_at == NOW + timedelta(hours=1)


def test_revoking_one_till_leaves_the_others_working(server: Server) -> None:
    one = server.enroll(server.issue().code, name="Till 1")
    other = server.enroll(server.issue().code, name="Till 2")

    revoke_till(one.till_id, server.uow(), now=NOW)

    assert authenticate_till(other.credential, server.uow()).id == other.till_id


@pytest.mark.parametrize("till_id", [new_id(), "not-a-uuid", ""])
def test_revoking_an_unknown_till_is_refused(server: Server, till_id: str) -> None:
    with pytest.raises(UnknownTillError, match="no till with id"):
        revoke_till(till_id, server.uow(), now=NOW)


def test_a_revoked_till_enrolls_again_with_a_new_code(server: Server) -> None:
    first = server.enroll(server.issue().code, name="Till 1")
    revoke_till(first.till_id, server.uow(), now=NOW)

    second = server.enroll(server.issue().code, first.till_id, "Till 1")

    till = authenticate_till(second.credential, server.uow())
    assert (till.id, till.revoked_at) == (first.till_id, None)
    with pytest.raises(CredentialUnknownError):
        authenticate_till(first.credential, server.uow())
