"""Real tills (their own SQLite files, their own services) syncing with a real server on
loopback, SQLite or PostgreSQL behind it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.staff import hash_pin
from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.enrollment import enroll_till
from sync_server.services.clock import utc_now
from sync_server.services.setup import add_product, add_staff, publish_rules
from sync_server.settings import ENV_PREFIX, ServerSettings
from tests.e2e.sync.fault_support import ServerProcess
from tests.e2e.sync_server.live_server import running_server
from tests.e2e.sync_server.server_admin import issue_code
from tests.e2e.sync_server.sync_support import ADMIN_TOKEN, operator
from tests.pg_support import BACKENDS, backend_database_url

STORE = "Main street"
CASHIER_PIN = "1111"
MILK = ("4600000000015", "Молоко 3,2% 1 л", 8_990)
BREAD = ("4600000000022", "Хлеб бородинский", 6_500)


@pytest.fixture(autouse=True)
def settings_only_from_the_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith((ENV_PREFIX, "LOYALTY_TILL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("LOYALTY_TILL_CONFIG", str(tmp_path / "no-such-till.toml"))


@dataclass
class Store:
    """The server with one store set up as an operator would, and tills enrolled in it."""

    url: str
    settings: ServerSettings
    folder: Path
    rules: LoyaltyRules = field(default_factory=default_rules)
    store_id: str | None = None
    cashier_id: str = field(default_factory=new_id)
    tills: list[Till] = field(default_factory=list)

    def till(self, name: str) -> Till:
        """A new till, enrolled with a fresh code, its shift open, its store not pulled yet."""
        till = bootstrap(load_settings(data_dir=self.folder / name), logs=False)
        self.tills.append(till)
        result = enroll_till(
            self.url,
            issue_code(self.settings, STORE),
            name,
            till.services.uows.writing(),
            till.services.ctx,
            ServerClient(),
        )
        if self.store_id is None:
            self._set_up(result.store_id)
        # The cashier's shift is open (sales need one), and the server has its opening: the
        # till's outbox is empty when the test starts.
        till.services.open_shift(self.cashier_id, 0)
        batch = till.sync.claim()
        assert batch is not None and [e.kind for e in batch] == ["shift.opened"]
        assert till.sync.record(batch, till.sync.send(batch)).applied == 1
        return till

    def _set_up(self, store_id: str) -> None:
        self.store_id = store_id
        now = utc_now()
        with operator(self.settings) as uow:
            publish_rules(self.rules, uow, now=now)
        with operator(self.settings) as uow:
            add_staff(
                self.cashier_id, store_id, "Анна", "cashier", hash_pin(CASHIER_PIN), uow, now=now
            )
        for barcode, name, price in (MILK, BREAD):
            with operator(self.settings) as uow:
                add_product(new_id(), barcode, name, price, uow, now=now, store_id=store_id)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with backend_database_url(request.param, request.node.name, tmp_path) as database_url:
        settings = ServerSettings(database_url=database_url, admin_token=ADMIN_TOKEN)
        with running_server(settings) as url:
            world = Store(url, settings, tmp_path)
            try:
                yield world
            finally:
                for till in world.tills:
                    till.close()


TillMaker = Callable[[str], Till]


@dataclass
class ServedStore(Store):
    """A ``Store`` whose server is a child process that a test may SIGKILL and restart."""

    process: ServerProcess | None = None


@pytest.fixture(params=BACKENDS)
def served_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServedStore]:
    with backend_database_url(request.param, request.node.name, tmp_path) as database_url:
        settings = ServerSettings(database_url=database_url, admin_token=ADMIN_TOKEN)
        process = ServerProcess(database_url, tmp_path, admin_token=ADMIN_TOKEN)
        process.start()
        world = ServedStore(process.url, settings, tmp_path, process=process)
        try:
            yield world
        finally:
            for till in world.tills:
                till.close()
            process.stop()
