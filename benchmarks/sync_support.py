"""What the sync benchmarks share: a fresh PostgreSQL database, the real server as a
``sync-server serve --workers N`` child process on loopback, enrolled tills, and sale
events built with the real engine and wire models, as the till's services build them."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests
from psycopg import sql
from sqlalchemy.engine import make_url

from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project
from loyalty_core.wire.events import (
    AdjustmentRecordedV1,
    ConsentV1,
    CustomerRegisteredV1,
    CustomerV1,
    SaleCompletedV1,
    SaleRequestV1,
    dump,
)
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.migrate import upgrade_to_head
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.context import enrollment_code_key
from sync_server.services.clock import utc_now
from sync_server.services.enrollment import issue_enrollment_code
from sync_server.services.setup import add_staff, publish_rules
from sync_server.settings import ServerSettings

PG_URL_ENV = "LOYALTY_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "benchmark-secret-key-of-at-least-thirty-two-characters"
ADMIN_TOKEN = "benchmark-admin-token-of-thirty-two-chars"
TIMEOUT_S = 120
LINES = 10


def admin_url() -> str:
    url = os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.contextmanager
def fresh_database(label: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, migrated; its SQLAlchemy URL; dropped after."""
    admin = admin_url()
    name = f"loyalty_bench_{label}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = (
        make_url(admin)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )
    try:
        upgrade_to_head(url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def settings_for(database_url: str) -> ServerSettings:
    return ServerSettings(database_url=database_url, secret_key=SECRET_KEY, admin_token=ADMIN_TOKEN)


@contextlib.contextmanager
def operator(database_url: str) -> Iterator[SqlAlchemyUnitOfWork]:
    engine = create_database_engine(database_url)
    try:
        yield SqlAlchemyUnitOfWork(session_factory(engine))
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server_process(database_url: str, workers: int, folder: Path) -> Iterator[str]:
    """``sync-server serve --workers N`` on a loopback port; its base URL; stopped after."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_SERVER_")}
    env.update(
        {
            "LOYALTY_SERVER_SECRET_KEY": SECRET_KEY,
            "LOYALTY_SERVER_ADMIN_TOKEN": ADMIN_TOKEN,
            "LOYALTY_SERVER_LOG_LEVEL": "warning",
            "LOYALTY_SERVER_ENROLL_RATE": "10000/minute",
        }
    )
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_server",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database-url",
            database_url,
            "--workers",
            str(workers),
            "--no-migrate",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped: {(folder / 'server.log').read_text()}")
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.2)
        # Every worker answers once warm (the first request of each imports and connects).
        for _ in range(workers * 4):
            requests.get(f"{base}/health", timeout=10)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def set_up_store(database_url: str, rules: LoyaltyRules | None, store: str) -> str:
    """The store (and ``rules`` published, unless None); the store's id."""
    settings = settings_for(database_url)
    now = utc_now()
    with operator(database_url) as uow:
        issued = issue_enrollment_code(store, uow, key=enrollment_code_key(settings), now=now)
    if rules is not None:
        with operator(database_url) as uow:
            publish_rules(rules, uow, now=now - timedelta(days=30))
    return issued.store.id


def enroll(base_url: str, database_url: str, store: str, name: str) -> tuple[str, str]:
    """A till enrolled over HTTP with a fresh one-time code: (till id, credential)."""
    code = issue_code(database_url, store)
    till_id = new_id()
    answer = requests.post(
        f"{base_url}/v1/tills/enroll",
        json={"code": code, "till_id": till_id, "till_name": name},
        timeout=TIMEOUT_S,
    )
    answer.raise_for_status()
    return till_id, str(answer.json()["credential"])


def issue_code(database_url: str, store: str) -> str:
    settings = settings_for(database_url)
    with operator(database_url) as uow:
        issued = issue_enrollment_code(store, uow, key=enrollment_code_key(settings), now=utc_now())
    return issued.code


def bench_dir() -> Path:
    """Scratch space for benchmark files, beside the repository's ``.bench/`` cache."""
    folder = Path(__file__).resolve().parent.parent / ".bench"
    folder.mkdir(exist_ok=True)
    return folder


def add_cashier(database_url: str, store_id: str) -> str:
    staff_id = new_id()
    with operator(database_url) as uow:
        add_staff(staff_id, store_id, "Кассир", "cashier", "x", uow, now=utc_now())
    return staff_id


@dataclass
class SimTill:
    """A till's event source: registrations and 10-line sales priced with the real
    engine against the till's own view of each customer's ledger."""

    till_id: str
    credential: str
    staff_id: str
    rules: LoyaltyRules = field(default_factory=default_rules)
    ledgers: dict[str, list[LedgerEntry]] = field(default_factory=dict)
    number: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}", "Content-Type": "application/json"}

    def register(self, phone: str, at: datetime) -> tuple[str, dict[str, Any]]:
        customer_id = new_id()
        payload = CustomerRegisteredV1(
            customer=CustomerV1(id=customer_id, phone=phone, created_at=at),
            consent=ConsentV1(given_at=at, text_version="2026-01", channel="till"),
            card=None,
            entries=[],
            staff_id=self.staff_id,
            till_id=self.till_id,
        )
        self.ledgers[customer_id] = []
        return customer_id, _event("customer.registered", customer_id, at, payload)

    def give(self, customer_id: str, points: int, at: datetime) -> dict[str, Any]:
        """An adjustment a manager made at this till (goodwill points)."""
        entry = LedgerEntry(
            id=new_id(),
            kind=EntryKind.ADJUSTMENT,
            occurred_at=at,
            till_id=self.till_id,
            rules_version=self.rules.version,
            customer_id=customer_id,
            points=points,
            activates_at=at,
            expires_at=at + timedelta(days=365),
            reason="goodwill",
            author=self.staff_id,
        )
        self.ledgers.setdefault(customer_id, []).append(entry)
        payload = AdjustmentRecordedV1(
            customer_id=customer_id,
            entries=entries_of([entry]),
            staff_id=self.staff_id,
            till_id=self.till_id,
            at=at,
        )
        return _event("adjustment.recorded", customer_id, at, payload)

    def sell(
        self, customer_id: str | None, rng: random.Random, at: datetime, *, redeem: int = 0
    ) -> dict[str, Any]:
        state = None
        if customer_id is not None:
            state = CustomerState(customer_id, project(customer_id, self.ledgers[customer_id]))
        cart = [
            CartLine(
                new_id(),
                f"sku-{rng.randrange(500)}",
                f"Товар {i}",
                1000 * rng.randint(1, 3),
                rng.randrange(5_000, 60_000),
            )
            for i in range(LINES)
        ]
        receipt = price_checkout(self.rules, cart, now=at, customer=state, redeem=redeem)
        sale_id = new_id()
        entries = sale_entries(receipt, sale_id=sale_id, till_id=self.till_id)
        if customer_id is not None:
            self.ledgers[customer_id] += entries
        self.number += 1
        payload = SaleCompletedV1(
            sale_id=sale_id,
            number=self.number,
            till_id=self.till_id,
            staff_id=self.staff_id,
            customer_id=customer_id,
            card_number=None,
            created_at=at,
            request=SaleRequestV1(redeem=redeem, promo_codes=[]),
            receipt=PricedReceiptV1.model_validate(receipt_to_wire(receipt)),
            entries=entries_of(entries),
        )
        return _event("sale.completed", sale_id, at, payload)


def _event(kind: str, aggregate: str, at: datetime, payload: Any) -> dict[str, Any]:
    return {
        "event_id": new_id(),
        "kind": kind,
        "aggregate_id": aggregate,
        "created_at": at.isoformat(),
        "payload": dump(payload),
    }


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def phone_of(n: int) -> str:
    return f"+7999{n:07d}"


def run_conditions() -> dict[str, Any]:
    """What else the machine was doing: load average at the start, CPUs."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {"cpus": os.cpu_count(), "load_avg_at_start": load}
