"""The PostgreSQL trap, on both backends: writers whose transactions commit out of the
order they started (or took their positions) in; a puller polling in between never
skips a row, and positions are gap-free in commit order."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine

from sync_server.adapters.unit_of_work import session_factory
from sync_server.services.pull import pull
from sync_server.services.tills import TillRecord
from tests.integration.sync_server.enrollment_support import NOW, Server
from tests.integration.sync_server.sync_support import enrolled_till, new_customer


@pytest.fixture
def server(migrated_engine: Engine) -> Server:
    return Server(migrated_engine)


@pytest.fixture
def till(server: Server) -> TillRecord:
    return enrolled_till(server)


class Puller:
    """A till pulling the feed as it goes, remembering every customer it saw."""

    def __init__(self, server: Server, till: TillRecord) -> None:
        self.reading = session_factory(server.engine, read_only=True)
        self.server, self.till = server, till
        self.cursor = 0
        self.seen: list[str] = []

    def poll(self) -> list[str]:
        from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork

        got: list[str] = []
        while True:
            page = pull(self.till, self.cursor, 100, SqlAlchemyUnitOfWork(self.reading), now=NOW)
            got += [row[1] for row in page.customers]
            assert page.next_cursor >= self.cursor
            self.cursor = page.next_cursor
            if not page.has_more:
                break
        self.seen += got
        return got


def test_a_transaction_that_commits_first_is_pulled_first_and_the_other_is_not_skipped(
    server: Server, till: TillRecord
) -> None:
    puller = Puller(server, till)
    started_first, started_second = server.uow(), server.uow()
    first_row, second_row = new_customer(till, "+79160000001"), new_customer(till, "+79160000002")

    with started_first:
        started_first.sync.add_customer(first_row)
        started_first.session.flush()
        # The first writer waits; on PostgreSQL a second one writes and commits meanwhile.
        if server.engine.dialect.name == "postgresql":
            with started_second:
                started_second.sync.add_customer(second_row)
                started_second.commit()
            assert puller.poll() == [second_row.phone]
        started_first.commit()
    if server.engine.dialect.name != "postgresql":  # SQLite: one writer at a time
        with started_second:
            started_second.sync.add_customer(second_row)
            started_second.commit()

    puller.poll()
    assert sorted(puller.seen) == sorted([first_row.phone, second_row.phone])
    assert puller.cursor == 2


def test_a_writer_holding_its_positions_makes_the_next_wait_and_a_poll_between_skips_nothing(
    server: Server, till: TillRecord
) -> None:
    puller = Puller(server, till)
    holder, waiter = server.uow(), server.uow()
    held, waiting = new_customer(till, "+79160000011"), new_customer(till, "+79160000012")
    waiter_done = threading.Event()
    errors: list[BaseException] = []

    def write_second() -> None:
        try:
            with waiter:
                waiter.sync.add_customer(waiting)
                waiter.commit()  # blocks on the counter row (or SQLite's write lock)
        except BaseException as error:
            errors.append(error)
        finally:
            waiter_done.set()

    with holder:
        holder.sync.add_customer(held)
        holder._feed.stamp()  # positions taken, the counter row locked until commit
        second = threading.Thread(target=write_second)
        second.start()
        time.sleep(0.3)
        assert not waiter_done.is_set()  # it waits for the first writer's commit
        assert puller.poll() == []  # nothing committed: the puller's cursor stays put
        assert puller.cursor == 0
        holder.session.commit()
    second.join(timeout=10)

    assert errors == []
    assert puller.poll() == [held.phone, waiting.phone]  # in commit order, none skipped
    assert puller.cursor == 2


def test_many_writers_and_a_busy_puller_see_every_row_once_with_gap_free_positions(
    server: Server, till: TillRecord
) -> None:
    writers, per_writer = 4, 10
    puller = Puller(server, till)
    done = threading.Event()
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for n in range(per_writer):
                with server.uow() as uow:
                    uow.sync.add_customer(new_customer(till, f"+7916{index:03d}{n:04d}"))
                    uow.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()

    polls_during_writes = 0

    def watch() -> None:
        # Polls back to back, but yields the GIL between polls: a loop that never sleeps
        # starves the writers' Python side until one waits past SQLite's busy timeout.
        nonlocal polls_during_writes
        while not done.is_set():
            puller.poll()
            polls_during_writes += 1
            time.sleep(0.002)

    watcher = threading.Thread(target=watch)
    watcher.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()
    puller.poll()

    assert [repr(error.__cause__ or error) for error in errors] == []
    assert polls_during_writes >= 3  # the puller really read while the writers wrote
    assert len(puller.seen) == writers * per_writer
    assert len(set(puller.seen)) == writers * per_writer
    assert puller.cursor == writers * per_writer
