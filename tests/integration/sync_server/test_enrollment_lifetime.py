"""How long an enrollment code lives, to the microsecond, on real SQLite and PostgreSQL.

A code issued at T with lifetime L is good for the half-open interval [T, T + L): it enrolls a
till at any instant before ``expires_at = T + L``, up to ``expires_at - 1 µs`` (the finest
instant both databases keep), and is refused from ``expires_at`` on. The operator is told the
expiry to the minute ("expires: 2026-03-01 13:00 UTC"): the code still works at 12:59:59.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from sync_server.services.enrollment import MAX_CODE_TTL, CodeExpiredError
from tests.integration.sync_server.enrollment_support import NOW, Server

ONE_MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def server(migrated_engine: Engine) -> Server:
    return Server(migrated_engine)


def test_a_code_enrolls_a_till_on_the_last_microsecond_of_its_lifetime(server: Server) -> None:
    issued = server.issue(ttl=timedelta(hours=1))  # 12:00 + 1 h: expires at 13:00:00.000000
    last_instant = datetime(2026, 3, 1, 12, 59, 59, 999_999, tzinfo=UTC)
    assert issued.expires_at - ONE_MICROSECOND == last_instant

    server.enroll(issued.code, now=last_instant)

    assert server.till_count() == 1
    assert [row.used_at for row in server.code_rows()] == [last_instant]


def test_a_code_is_refused_from_the_microsecond_it_expires(server: Server) -> None:
    issued = server.issue(ttl=timedelta(hours=1))

    for late in (issued.expires_at, issued.expires_at + ONE_MICROSECOND):
        with pytest.raises(CodeExpiredError, match="expired at 2026-03-01 13:00 UTC"):
            server.enroll(issued.code, now=late)

    assert server.till_count() == 0
    assert [row.used_at for row in server.code_rows()] == [None]


def test_a_code_works_from_the_instant_it_is_issued(server: Server) -> None:
    issued = server.issue(now=NOW)

    server.enroll(issued.code, now=NOW)

    assert server.till_count() == 1


def test_the_longest_lifetime_is_exactly_30_days(server: Server) -> None:
    issued = server.issue(ttl=MAX_CODE_TTL)
    assert issued.expires_at == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)  # 1 March + 30 days

    server.enroll(issued.code, now=issued.expires_at - ONE_MICROSECOND)

    assert server.till_count() == 1


def test_a_code_may_live_a_single_microsecond(server: Server) -> None:
    short = server.issue(ttl=ONE_MICROSECOND)
    assert short.expires_at == NOW + ONE_MICROSECOND

    with pytest.raises(CodeExpiredError):
        server.enroll(short.code, now=NOW + ONE_MICROSECOND)
    server.enroll(short.code, now=NOW)

    assert server.till_count() == 1
