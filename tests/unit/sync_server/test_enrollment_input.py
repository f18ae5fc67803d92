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
from sync_server.services.till_auth import CredentialMissingError, authenticate_till

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


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(hours=-1), timedelta(days=31)])
def test_a_code_lifetime_must_be_positive_and_at_most_30_days(ttl: timedelta) -> None:
    with pytest.raises(InvalidCodeLifetimeError, match="at most 720 hours"):
        issue_enrollment_code("Store", NoDatabase(), key=KEY, now=NOW, ttl=ttl)  # type: ignore[arg-type]


@pytest.mark.parametrize("credential", [None, ""])
def test_a_request_without_a_credential_is_refused_without_a_lookup(
    credential: str | None,
) -> None:
    with pytest.raises(CredentialMissingError, match="Authorization: Bearer"):
        authenticate_till(credential, NoDatabase())  # type: ignore[arg-type]
