"""What the fault tests share: a till pointed at another address (a proxy), bounded
sync rounds that tolerate an unreachable server, and the reconciliation every fault test
ends with: every event on the server exactly once, every outbox event answered applied
or duplicate, and every till's balance equal to the server's for every customer."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pos_client.adapters.server_client import ServerUnavailableError
from pos_client.adapters.sync_client import SyncClient, sync_retry
from pos_client.bootstrap import Till
from pos_client.services.enrollment import SERVER_URL_KEY, stored_enrollment
from pos_client.services.sync import RoundResult, SyncService
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.models import Customer, ReceivedEvent, Sale
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.test_cli import START_DEADLINE_S, clean_environment, free_loopback_port

ROUNDS = 12  # sync rounds a till gets to catch up after healing
ROUNDS_S = 60.0  # ... and the time they may take together


def quick_client(url: str, credential: str) -> SyncClient:
    """The till's own retry policy (POST retried, 429/502/503/504, Retry-After) with
    test-sized backoff and timeouts."""
    retry = sync_retry(3).new(backoff_factor=0.01, backoff_jitter=0.01, backoff_max=0.2)
    return SyncClient(url, credential, retry=retry, timeout=(2.0, 30.0))


def quick_sync(till: Till, *, batch_size: int | None = None) -> SyncService:
    """Replace the till's sync service by one over ``quick_client`` (closed with it)."""
    till.sync.close()
    sv = till.services
    kwargs = {} if batch_size is None else {"batch_size": batch_size}
    till.sync = SyncService(sv.uows, sv.ctx, sv.wallets, quick_client, **kwargs)
    sv.balance_confirmer = till.sync.confirm_balance
    return till.sync


def point_at(till: Till, url: str) -> None:
    """Store another server address at the till (as re-enrolling through it would)."""
    with till.services.uows.writing() as uow:
        uow.state.set(SERVER_URL_KEY, url)
        uow.commit()
    till.sync.close()  # the next call connects to the stored address


def try_sync(till: Till) -> RoundResult | None:
    """One round; None when the server (or the path to it) failed it."""
    try:
        return till.sync.sync_now()
    except ServerUnavailableError:
        return None


def sync_until_settled(tills: Iterable[Till]) -> None:
    """Round after round until no till has anything unanswered and a round pulled
    nothing new at any till; bounded by ``ROUNDS`` and ``ROUNDS_S``."""
    tills = list(tills)
    deadline = time.monotonic() + ROUNDS_S
    for _ in range(ROUNDS):
        quiet = True
        for till in tills:
            result = try_sync(till)
            if result is None or result.pushed.sent or result.pulled_rows:
                quiet = False
        if quiet and all(till.sync.counts()[0] == 0 for till in tills):
            return
        assert time.monotonic() < deadline, "the tills did not settle in time"
    raise AssertionError(f"the tills did not settle in {ROUNDS} rounds")


def outbox(database: Path) -> dict[str, tuple[str, str]]:
    """The till's outbox read from its file: event id -> (kind, status)."""
    conn = sqlite3.connect(database)
    try:
        rows = conn.execute("SELECT event_id, kind, status FROM outbox").fetchall()
    finally:
        conn.close()
    return {event_id: (kind, status) for event_id, kind, status in rows}


@dataclass(frozen=True, slots=True)
class ServerView:
    received: dict[str, str]  # event id -> status
    sales: int
    sale_ids: list[str]
    customers: dict[str, str]  # id -> phone


def server_view(settings: ServerSettings) -> ServerView:
    engine = create_database_engine(settings.database_url)
    try:
        with Session(engine) as session:
            received = session.execute(select(ReceivedEvent.event_id, ReceivedEvent.status))
            sales = session.scalar(select(func.count()).select_from(Sale)) or 0
            sale_ids = session.scalars(select(Sale.id)).all()
            customers = session.execute(select(Customer.id, Customer.phone))
            return ServerView(
                {str(event_id): status for event_id, status in received},
                sales,
                [str(s) for s in sale_ids],
                {str(customer_id): phone for customer_id, phone in customers},
            )
    finally:
        engine.dispose()


def assert_exactly_once(settings: ServerSettings, databases: Iterable[Path]) -> ServerView:
    """Every till event is on the server once and applied; every outbox event was
    answered applied or duplicate; one sales row per sale event."""
    events: dict[str, tuple[str, str]] = {}
    for database in databases:
        events.update(outbox(database))
    view = server_view(settings)
    statuses = Counter(status for _, status in events.values())
    assert set(statuses) <= {"applied", "duplicate"}, statuses
    assert set(view.received) == set(events)
    assert set(view.received.values()) == {"applied"}
    sales = [e for e, (kind, _) in events.items() if kind == "sale.completed"]
    assert view.sales == len(view.sale_ids) == len(set(view.sale_ids)) == len(sales)
    return view


def server_balance(url: str, till: Till, customer_id: str) -> tuple[int, int, int]:
    enrollment = stored_enrollment(till.services.uows.reading())
    assert enrollment is not None
    answer = requests.get(
        f"{url}/v1/sync/customers/{customer_id}/balance",
        headers={"Authorization": f"Bearer {enrollment.credential}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body["available"], body["pending"], body["debt"]


def till_balance(till: Till, phone: str) -> tuple[str, tuple[int, int, int]]:
    found = till.services.identify(phone)
    shown = found.balance
    return found.customer.id, (shown.available, shown.pending_total, shown.debt)


def assert_balances_agree(url: str, settings: ServerSettings, tills: Iterable[Till]) -> int:
    """Every till's balance of every customer on the server equals the server's;
    returns how many customers were compared."""
    tills = list(tills)
    customers = server_view(settings).customers
    assert customers
    for customer_id, phone in customers.items():
        expected = server_balance(url, tills[0], customer_id)
        for till in tills:
            assert till_balance(till, phone) == (customer_id, expected), (till.settings, phone)
    return len(customers)


class ServerProcess:
    """``python -m sync_server serve --migrate`` in a child process on a fixed loopback
    port, which can be SIGKILLed and started again on the same port and database."""

    def __init__(self, database_url: str, folder: Path, *, admin_token: str) -> None:
        self.database_url = database_url
        self._env = clean_environment(environment="development", admin_token=admin_token)
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = folder / "server-process.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self._process is None or self._process.poll() is not None
        command = [
            sys.executable,
            "-m",
            "sync_server",
            "serve",
            "--database-url",
            self.database_url,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--migrate",
        ]
        with self._log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, env=self._env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_DEADLINE_S
        while True:
            try:
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{self.log()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback sent, no connection closed politely."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=START_DEADLINE_S)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=START_DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self._log_path.read_text(errors="replace") if self._log_path.exists() else ""


@contextmanager
def feed_held(database_url: str) -> Iterator[Callable[[], int]]:
    """Hold what a push takes last before it commits, so a push that arrives meanwhile
    waits inside its transaction. PostgreSQL: the change-feed counter row, FOR UPDATE;
    yields how many other sessions wait on a lock. SQLite: the write lock (BEGIN
    IMMEDIATE), which a push takes first; yields nothing observable (-1)."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(database_url).database or "", timeout=10)
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield lambda: -1
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    url = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url) as held, psycopg.connect(url, autocommit=True) as watch:
        held.execute("SELECT last_position FROM change_feed_counter FOR UPDATE")

        def waiting() -> int:
            row = watch.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> %s",
                (held.info.backend_pid,),
            ).fetchone()
            return int(row[0]) if row else 0

        try:
            yield waiting
        finally:
            held.rollback()


def wait_for(test: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not test():
        assert time.monotonic() < deadline, f"{what}: not within {timeout_s} s"
        time.sleep(0.02)
