"""Input that cannot be right is refused before the database is touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import TracebackType

import pytest

from sync_server.services.enrollment import (
    EnrollTill,
    InvalidCodeLifetimeError,
    InvalidNameError,
    MalformedCodeError,
    MalformedTillIdError,
    enroll_till,
    issue_enrollment_code,
)
from sync_server.services.till_auth import (
    CredentialMissingError,
    CredentialUnknownError,
    authenticate_till,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KEY = b"k" * 32
TILL_ID = "0195a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"


class NoDatabase:
    """A unit of work that fails the test if a use case opens it."""

    def __enter__(self) -> NoDatabase:
        raise AssertionError("the database was touched")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


def enroll(code: str = "4821-0937-5512", till_id: str = TILL_ID, name: str = "Till 1") -> None:
    enroll_till(EnrollTill(code, till_id, name), NoDatabase(), key=KEY, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["", "1234", "abcd-efgh-ijkl", "4821-0937-5512-0"])
def test_a_malformed_code_is_refused_with_an_example(code: str) -> None:
    with pytest.raises(MalformedCodeError, match=r"12 digits, e\.g\. 1234-5678-9012"):
        enroll(code=code)


@pytest.mark.parametrize(
    "till_id", ["", "till-1", "0195a1b2-c3d4-7e5f-8a6b", "'; DROP TABLE tills"]
)
def test_a_till_id_that_is_not_a_uuid_is_refused(till_id: str) -> None:
    with pytest.raises(MalformedTillIdError, match="must be a UUID"):
        enroll(till_id=till_id)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "Till\n1"])
def test_a_till_name_must_be_short_and_printable(name: str) -> None:
    with pytest.raises(InvalidNameError, match="till name must be 1 to 100"):
        enroll(name=name)


@pytest.mark.parametrize("name", ["", "  ", "s" * 201])
def test_a_store_name_must_be_short_and_printable(name: str) -> None:
    with pytest.raises(InvalidNameError, match="store name"):
        issue_enrollment_code(name, NoDatabase(), key=KEY, now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "ttl",
    [
        timedelta(0),
        timedelta(hours=-1),
        timedelta(days=30, microseconds=1),  # one microsecond over the longest
        timedelta(days=31),
    ],
)
def test_a_code_lifetime_must_be_positive_and_at_most_30_days(ttl: timedelta) -> None:
    with pytest.raises(InvalidCodeLifetimeError, match="at most 720 hours"):
        issue_enrollment_code("Store", NoDatabase(), key=KEY, now=NOW, ttl=ttl)  # type: ignore[arg-type]


@pytest.mark.parametrize("credential", [None, ""])
def test_a_request_without_a_credential_is_refused_without_a_lookup(
    credential: str | None,
) -> None:
    with pytest.raises(CredentialMissingError, match="Authorization: Bearer"):
        authenticate_till(credential, NoDatabase())  # type: ignore[arg-type]


def test_each_refused_input_has_its_code_and_says_what_to_fix() -> None:
    with pytest.raises(MalformedCodeError) as code:
        enroll(code="4821-0937")
    with pytest.raises(MalformedTillIdError) as till_id:
        enroll(till_id="till-1")
    with pytest.raises(InvalidNameError) as till_name:
        enroll(name="")
    with pytest.raises(InvalidNameError) as store_name:
        issue_enrollment_code("", NoDatabase(), key=KEY, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeLifetimeError) as lifetime:
        issue_enrollment_code("Store", NoDatabase(), key=KEY, now=NOW, ttl=timedelta(0))  # type: ignore[arg-type]

    assert [(e.value.code, e.value.message) for e in (code, till_id, till_name, store_name)] == [
        (
            "enrollment.code_malformed",
            "An enrollment code is 12 digits, e.g. 1234-5678-9012; check what was typed.",
        ),
        (
            "enrollment.till_id_malformed",
            "The till id must be a UUID made by the till; got 'till-1'.",
        ),
        ("enrollment.name_invalid", "The till name must be 1 to 100 printable characters."),
        ("enrollment.name_invalid", "The store name must be 1 to 200 printable characters."),
    ]
    assert (lifetime.value.code, lifetime.value.message) == (
        "enrollment.ttl_invalid",
        "A code must live more than 0 hours and at most 720 hours.",
    )


def test_a_refused_till_id_is_quoted_only_up_to_64_characters() -> None:
    with pytest.raises(MalformedTillIdError) as refused:
        enroll(till_id="x" * 65)

    assert (
        refused.value.message == f"The till id must be a UUID made by the till; got {'x' * 64!r}."
    )


def test_a_credential_over_512_characters_is_refused_without_a_lookup() -> None:
    with pytest.raises(CredentialUnknownError, match="does not know this credential"):
        authenticate_till("x" * 513, NoDatabase())  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="the database was touched"):
        authenticate_till("x" * 512, NoDatabase())  # type: ignore[arg-type]
