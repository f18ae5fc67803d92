"""Concurrent enrollments: one code enrolls exactly one till, whatever the timing.

The barrier tests start several enrollments at once on both backends. The
PostgreSQL tests make the overlap certain: one transaction holds the claimed code
while a second enrollment is seen waiting on its row lock, then commits or rolls
back, and the second must lose or win accordingly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text

from loyalty_core.ids import new_id
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.services.credentials import enrollment_code_hash
from sync_server.services.enrollment import CodeAlreadyUsedError, Enrollment
from sync_server.services.till_auth import authenticate_till
from tests.integration.sync_server.enrollment_support import KEY, NOW, Server
from tests.pg_support import temporary_database

RACERS = 8
WAIT_DEADLINE_S = 30.0  # only a guard against hanging; nothing is timed


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start all calls at one barrier; return each one's result or exception."""
    start = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = calls[index]()
        except Exception as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_racing_enrollments_with_one_code_enroll_exactly_one_till(
    migrated_engine: Engine,
) -> None:
    server = Server(migrated_engine)
    issued = server.issue()
    calls: list[Callable[[], Any]] = [
        lambda i=i: server.enroll(issued.code, name=f"Till {i}") for i in range(RACERS)
    ]

    outcomes = run_together(calls)

    winners = [o for o in outcomes if isinstance(o, Enrollment)]
    losers = [o for o in outcomes if isinstance(o, CodeAlreadyUsedError)]
    assert (len(winners), len(losers)) == (1, RACERS - 1), outcomes
    assert server.till_count() == 1
    assert authenticate_till(winners[0].credential, server.uow()).id == winners[0].till_id


def test_racing_operators_naming_one_new_store_get_the_same_store(
    migrated_engine: Engine,
) -> None:
    server = Server(migrated_engine)

    outcomes = run_together([lambda: server.issue("New store") for _ in range(RACERS)])

    assert {o.store for o in outcomes} == {outcomes[0].store}, outcomes


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    with temporary_database(request.node.name) as url:
        engine = create_database_engine(url)
        upgrade_to_head(engine)
        yield engine
        engine.dispose()


@contextmanager
def code_claimed_in_an_open_transaction(server: Server, code: str) -> Iterator[Any]:
    """A first enrollment that has spent the code but not yet committed."""
    with server.uow() as uow:
        assert uow.enrollment_codes.claim(enrollment_code_hash(code, KEY), NOW) is not None
        yield uow


def wait_until_a_session_waits_on_a_lock(engine: Engine) -> None:
    deadline = time.monotonic() + WAIT_DEADLINE_S
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while True:
        with engine.connect() as connection:
            if connection.execute(query).scalar_one() > 0:
                return
        if time.monotonic() > deadline:
            raise AssertionError("the second enrollment never waited for the first")
        time.sleep(0.01)


def enroll_in_background(server: Server, code: str) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(server.enroll(code, name="Second till"))
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.postgres
def test_postgres_second_enrollment_waits_and_loses_when_the_first_commits(
    pg_engine: Engine,
) -> None:
    server = Server(pg_engine)
    issued = server.issue()

    with code_claimed_in_an_open_transaction(server, issued.code) as first:
        thread, outcome = enroll_in_background(server, issued.code)
        wait_until_a_session_waits_on_a_lock(pg_engine)
        first.tills.add(new_id(), issued.store.id, "First till", "hash-of-first", NOW)
        first.commit()
    thread.join()

    assert len(outcome) == 1
    assert isinstance(outcome[0], CodeAlreadyUsedError)
    assert server.till_count() == 1


@pytest.mark.postgres
def test_postgres_second_enrollment_waits_and_wins_when_the_first_rolls_back(
    pg_engine: Engine,
) -> None:
    server = Server(pg_engine)
    issued = server.issue()

    with code_claimed_in_an_open_transaction(server, issued.code):
        thread, outcome = enroll_in_background(server, issued.code)
        wait_until_a_session_waits_on_a_lock(pg_engine)
        # Leaving without commit: the first enrollment failed; the code is unspent.
    thread.join()

    assert len(outcome) == 1
    assert isinstance(outcome[0], Enrollment), outcome
    assert server.till_count() == 1
