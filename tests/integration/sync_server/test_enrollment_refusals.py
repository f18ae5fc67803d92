"""What a refused enrollment or credential tells the till, word for word (docs/OPERATIONS.md
lists these messages), and names as they are kept: trimmed, at their longest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from sync_server.adapters.models import Store, Till
from sync_server.services.enrollment import (
    CodeAlreadyUsedError,
    CodeExpiredError,
    TillInAnotherStoreError,
    TillNameTakenError,
    UnknownCodeError,
)
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


def said(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str]:
    return error.value.code, error.value.message


def test_an_unknown_code_says_so_and_what_to_do(server: Server) -> None:
    with pytest.raises(UnknownCodeError) as refused:
        server.enroll("0000-0000-0001")  # no code was issued at all

    assert said(refused) == (
        "enrollment.code_unknown",
        "This enrollment code is not known to the server. Check the digits, or ask for a new code.",
    )


def test_a_used_code_says_each_code_enrolls_one_till(server: Server) -> None:
    issued = server.issue()
    server.enroll(issued.code, name="Till 1")

    with pytest.raises(CodeAlreadyUsedError) as refused:
        server.enroll(issued.code, name="Till 2")

    assert said(refused) == (
        "enrollment.code_used",
        "This enrollment code was already used; each code enrolls one till. Ask for a new one.",
    )


def test_an_expired_code_says_when_it_expired(server: Server) -> None:
    issued = server.issue(ttl=timedelta(hours=2, minutes=30))  # 12:00 + 2:30

    with pytest.raises(CodeExpiredError) as refused:
        server.enroll(issued.code, now=NOW + timedelta(days=1))

    assert said(refused) == (
        "enrollment.code_expired",
        "This enrollment code expired at 2026-03-01 14:30 UTC. Ask for a new one.",
    )


def test_a_taken_till_name_names_the_store_and_the_name(server: Server) -> None:
    server.enroll(server.issue("Main street").code, name="Till 1")

    with pytest.raises(TillNameTakenError) as refused:
        server.enroll(server.issue("Main street").code, name="Till 1")

    assert said(refused) == (
        "enrollment.till_name_taken",
        "Store 'Main street' already has a till named 'Till 1'; choose another name.",
    )


def test_a_till_of_another_store_is_told_which_store_it_belongs_to(server: Server) -> None:
    till_id = server.enroll(server.issue("Main street").code).till_id

    with pytest.raises(TillInAnotherStoreError) as refused:
        server.enroll(server.issue("Station").code, till_id)

    assert said(refused) == (
        "enrollment.till_in_another_store",
        "This till is enrolled with store 'Main street', and the code is for store "
        "'Station'. Ask for a code for 'Main street'.",
    )


def test_credential_refusals_say_what_happened(server: Server) -> None:
    enrollment = server.enroll(server.issue().code)
    revoke_till(enrollment.till_id, server.uow(), now=NOW + timedelta(hours=3, minutes=7))

    with pytest.raises(CredentialUnknownError) as unknown:
        authenticate_till("not-a-credential-the-server-issued", server.uow())
    with pytest.raises(CredentialRevokedError) as revoked:
        authenticate_till(enrollment.credential, server.uow())

    assert said(unknown) == (
        "auth.credential_unknown",
        "The server does not know this credential (it may have been replaced by a newer "
        "enrollment). Enroll the till again with a new code.",
    )
    assert said(revoked) == (
        "auth.credential_revoked",
        "This till's credential was revoked at 2026-03-01 15:07 UTC. "
        "Enroll the till again with a new code.",
    )


def test_revoking_an_unknown_till_quotes_the_id_as_given(server: Server) -> None:
    with pytest.raises(UnknownTillError) as refused:
        revoke_till("till-1", server.uow(), now=NOW)

    assert said(refused) == ("tills.unknown", "There is no till with id 'till-1'.")


def test_a_till_can_be_revoked_by_its_id_in_capitals_or_with_spaces(server: Server) -> None:
    enrollment = server.enroll(server.issue().code)

    revoked = revoke_till(f"  {enrollment.till_id.upper()} ", server.uow(), now=NOW)

    assert revoked.id == enrollment.till_id
    with pytest.raises(CredentialRevokedError):
        authenticate_till(enrollment.credential, server.uow())


def test_names_are_kept_without_the_spaces_around_them(server: Server) -> None:
    issued = server.issue("  Main street  ")
    till_id = new_id()

    enrollment = server.enroll(issued.code, f" {till_id} ", "  Till 1  ")

    assert issued.store.name == "Main street"
    assert server.issue("Main street").store == issued.store  # the same store, not a second
    assert (enrollment.till_id, enrollment.till_name) == (till_id, "Till 1")
    with Session(server.engine) as session:
        assert session.get_one(Till, till_id).name == "Till 1"


def test_the_longest_names_are_kept_whole(server: Server) -> None:
    store_name, till_name = "С" * 200, "К" * 100  # the limits, in Cyrillic

    enrollment = server.enroll(server.issue(store_name).code, name=till_name)

    assert (enrollment.store.name, enrollment.till_name) == (store_name, till_name)
    with Session(server.engine) as session:
        assert session.scalars(select(Store.name)).one() == store_name
        assert session.get_one(Till, enrollment.till_id).name == till_name
