"""Enrollment on real SQLite and PostgreSQL: codes are one-time, expiring and stored
hashed; a refused enrollment changes nothing; re-enrolling replaces the credential."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from loyalty_core.ids import new_id
from sync_server.adapters.models import EnrollmentCode, Store, Till
from sync_server.services.enrollment import (
    DEFAULT_CODE_TTL,
    CodeAlreadyUsedError,
    CodeExpiredError,
    TillInAnotherStoreError,
    TillNameTakenError,
    UnknownCodeError,
)
from sync_server.services.till_auth import CredentialUnknownError, authenticate_till
from tests.integration.sync_server.enrollment_support import NOW, Server


@pytest.fixture
def server(migrated_engine: Engine) -> Server:
    return Server(migrated_engine)


def test_issuing_a_code_creates_the_store_once(server: Server) -> None:
    first = server.issue("Main street")
    second = server.issue("Main street")
    other = server.issue("Station")

    assert first.store == second.store
    assert other.store.id != first.store.id
    assert first.code != second.code
    with Session(server.engine) as session:
        assert sorted(session.scalars(select(Store.name))) == ["Main street", "Station"]


def test_a_code_expires_after_24_hours_by_default_or_as_asked(server: Server) -> None:
    assert server.issue().expires_at == NOW + DEFAULT_CODE_TTL == NOW + timedelta(hours=24)
    assert server.issue(ttl=timedelta(hours=2)).expires_at == NOW + timedelta(hours=2)


def test_the_code_itself_is_never_stored(server: Server) -> None:
    issued = server.issue()
    digits = issued.code.replace("-", "")

    with server.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM enrollment_codes")).all()

    assert len(rows) == 1
    assert all(digits not in str(value) for value in rows[0])


def test_enrolling_registers_the_till_and_spends_the_code(server: Server) -> None:
    issued = server.issue("Main street")
    till_id = new_id()

    enrollment = server.enroll(issued.code, till_id, "Till 1")

    assert (enrollment.till_id, enrollment.till_name) == (till_id, "Till 1")
    assert enrollment.store == issued.store
    assert enrollment.server_time == NOW
    (code,) = server.code_rows()
    assert (code.used_at, code.used_by_till_id) == (NOW, till_id)
    with Session(server.engine) as session:
        till = session.get_one(Till, till_id)
        assert (till.store_id, till.name, till.enrolled_at, till.revoked_at) == (
            issued.store.id,
            "Till 1",
            NOW,
            None,
        )
        # Only a hash of the credential is kept.
        assert till.credential_hash is not None
        assert enrollment.credential not in till.credential_hash


def test_the_credential_identifies_the_till(server: Server) -> None:
    issued = server.issue("Main street")
    enrollment = server.enroll(issued.code, name="Till 7")

    till = authenticate_till(enrollment.credential, server.uow())

    assert (till.id, till.name, till.store) == (enrollment.till_id, "Till 7", issued.store)


def test_a_code_typed_with_spaces_is_accepted(server: Server) -> None:
    issued = server.issue()

    server.enroll(issued.code.replace("-", " "))

    assert server.till_count() == 1


def test_a_used_code_is_refused_and_changes_nothing(server: Server) -> None:
    issued = server.issue()
    server.enroll(issued.code, name="Till 1")

    with pytest.raises(CodeAlreadyUsedError, match="already used"):
        server.enroll(issued.code, name="Till 2")

    assert server.till_count() == 1


def test_an_expired_code_is_refused_and_stays_unspent(server: Server) -> None:
    issued = server.issue(ttl=timedelta(hours=1))

    with pytest.raises(CodeExpiredError, match="expired at 2026-03-01 13:00 UTC"):
        server.enroll(issued.code, now=NOW + timedelta(hours=1))

    assert server.till_count() == 0
    assert [row.used_at for row in server.code_rows()] == [None]


def test_a_code_works_until_just_before_it_expires(server: Server) -> None:
    issued = server.issue(ttl=timedelta(hours=1))

    server.enroll(issued.code, now=NOW + timedelta(minutes=59, seconds=59))

    assert server.till_count() == 1


def test_an_unknown_code_is_refused(server: Server) -> None:
    issued = server.issue()
    wrong = "0000-0000-0000" if issued.code != "0000-0000-0000" else "1111-1111-1111"

    with pytest.raises(UnknownCodeError, match="not known"):
        server.enroll(wrong)

    assert server.till_count() == 0


def test_a_code_issued_under_another_secret_key_is_unknown(migrated_engine: Engine) -> None:
    issued = Server(migrated_engine, key=b"one key").issue()

    with pytest.raises(UnknownCodeError):
        Server(migrated_engine, key=b"another key").enroll(issued.code)


def test_a_name_taken_in_the_store_is_refused_and_the_code_stays_usable(server: Server) -> None:
    server.enroll(server.issue("Main street").code, name="Till 1")
    issued = server.issue("Main street")

    with pytest.raises(TillNameTakenError, match="already has a till named 'Till 1'"):
        server.enroll(issued.code, name="Till 1")

    server.enroll(issued.code, name="Till 2")
    assert server.till_count() == 2


def test_the_same_name_in_another_store_is_fine(server: Server) -> None:
    server.enroll(server.issue("Main street").code, name="Till 1")

    server.enroll(server.issue("Station").code, name="Till 1")

    assert server.till_count() == 2


def test_re_enrolling_replaces_the_credential(server: Server) -> None:
    till_id = new_id()
    first = server.enroll(server.issue().code, till_id, "Till 1")
    later = NOW + timedelta(days=3)

    second = server.enroll(server.issue(now=later).code, till_id, "Front till", now=later)

    assert second.credential != first.credential
    with pytest.raises(CredentialUnknownError):
        authenticate_till(first.credential, server.uow())
    till = authenticate_till(second.credential, server.uow())
    assert (till.id, till.name, till.enrolled_at) == (till_id, "Front till", later)
    assert server.till_count() == 1


def test_a_till_cannot_move_to_another_store_with_a_code(server: Server) -> None:
    till_id = new_id()
    first = server.enroll(server.issue("Main street").code, till_id)
    issued = server.issue("Station")

    with pytest.raises(TillInAnotherStoreError, match="enrolled with store 'Main street'"):
        server.enroll(issued.code, till_id)

    assert authenticate_till(first.credential, server.uow()).store.name == "Main street"
    assert {row.used_at for row in server.code_rows() if row.store_id == issued.store.id} == {None}


def test_a_till_id_is_stored_in_its_canonical_spelling(server: Server) -> None:
    till_id = new_id()

    enrollment = server.enroll(server.issue().code, till_id.upper())

    assert enrollment.till_id == till_id
    with Session(server.engine) as session:
        assert session.scalars(select(EnrollmentCode.used_by_till_id)).one() == till_id
