"""The Quick start's demo, minus the window: a real sync server child process on loopback
holding the demo store, and demo tills that enroll by a one-time code from the server's own
CLI, pull the store, and sync what they do."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from loyalty_core.staff import Role
from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.demo_launcher import (
    bootstrap_from_server,
    enroll_demo_till,
    seed_demo_server,
    start_server,
    wait_healthy,
)
from pos_client.services.demo_store import demo_card, demo_data, demo_phone
from pos_client.services.enrollment import stored_enrollment
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(tmp_path, port)
    try:
        assert wait_healthy(url, process), (tmp_path / "server.log").read_text()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _demo_till(folder: Path, url: str, name: str) -> Till:
    till = bootstrap(load_settings(data_dir=folder / name, server_url=url), logs=False)
    assert enroll_demo_till(folder, url, till).startswith("enrolled as")
    bootstrap_from_server(till)
    return till


def test_the_demo_till_pulls_the_store_from_the_server_and_its_sale_reaches_it(
    tmp_path: Path, server: str
) -> None:
    assert "seeded: 3 staff, 30 products, 100 customers" in seed_demo_server(tmp_path, 100)
    assert "already seeded" in seed_demo_server(tmp_path, 100)
    till = _demo_till(tmp_path, server, "till")
    try:
        assert enroll_demo_till(tmp_path, server, till) == "already enrolled"
        enrollment = stored_enrollment(till.services.uows.reading())
        assert enrollment is not None
        assert ServerClient().whoami(server, enrollment.credential).till_id == (
            till.services.ctx.till_id
        )
        sv = till.services
        staff = {s.name: s for s in sv.staff_list()}
        readme = demo_data()["staff"]
        assert sorted(staff) == sorted(p["name"] for p in readme)
        cashier = next(p for p in readme if p["role"] == Role.CASHIER.value)
        assert sv.log_in(staff[cashier["name"]].id, cashier["pin"]).role is Role.CASHIER
        by_phone = sv.identify(demo_phone(0))
        assert sv.identify(demo_card(sv.ctx.card_codec, 0)).customer.id == by_phone.customer.id
        product = sv.product(demo_data()["products"][0]["barcode"])
        # A till whose store came from the server opens its first shift itself.
        sv.open_shift(staff[cashier["name"]].id, 0)
        sale = sv.checkout(
            CheckoutRequest(
                (CartItem(product.barcode, product.name, product.price),),
                staff[cashier["name"]].id,
                by_phone.customer.id,
            )
        )
        assert till.sync.sync_now().pushed.applied == 2  # the shift's opening, the sale
        state = sv.sync_state(sale.sale_id)
        assert state is not None and state.status.is_confirmed
        health = requests.get(f"{server}/health", timeout=5)
        assert health.status_code == 200
    finally:
        till.close()


def test_a_second_demo_till_sees_a_customer_registered_at_the_first(
    tmp_path: Path, server: str
) -> None:
    seed_demo_server(tmp_path, 30)
    one = _demo_till(tmp_path, server, "till")
    two = _demo_till(tmp_path, server, "till-2")
    try:
        cashier = one.services.staff_list()[0].id
        vera = one.services.register_customer(RegisterCustomer("+7 916 700-11-22", True, cashier))
        one.sync.sync_now()
        two.sync.sync_now()
        assert two.services.identify("+79167001122").customer.id == vera.customer.id
    finally:
        one.close()
        two.close()


_CRASHING_DEMO = """
import os, sys
from pathlib import Path
from pos_client.demo_launcher import start_server, wait_healthy
server = start_server(Path(sys.argv[1]), int(sys.argv[2]))
assert wait_healthy(f"http://127.0.0.1:{sys.argv[2]}", server)
print(server.pid, flush=True)
os.abort()  # as Qt does when it cannot open the till's window: no finally runs
"""


def test_a_demo_that_crashes_leaves_no_sync_server_behind(tmp_path: Path) -> None:
    port = _free_port()
    crashed = subprocess.run(
        [sys.executable, "-c", _CRASHING_DEMO, str(tmp_path), str(port)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode != 0
    server_pid = int(crashed.stdout.split()[0])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _alive(server_pid):
        time.sleep(0.1)
    assert not _alive(server_pid), "the demo's sync server outlived the crashed demo"
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/health", timeout=2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by its parent, which here is init) counts as gone.
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"
