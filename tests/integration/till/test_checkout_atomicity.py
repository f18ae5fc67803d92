"""A sale, its ledger entries and its outbox event commit together or not at all.

The crash is real: a child process checks out against a real SQLite file and is
killed with SIGKILL between writing the sale and writing its outbox event (or
right after the commit). The parent then opens the same file.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pos_client.bootstrap import bootstrap
from pos_client.config import load_settings
from pos_client.services.demo_store import demo_phone, seed_demo_store
from pos_client.services.messages import CartItem, CheckoutRequest

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from pos_client.adapters.repositories import outbox
    from pos_client.bootstrap import bootstrap
    from pos_client.config import load_settings
    from pos_client.services.messages import CartItem, CheckoutRequest

    data_dir, moment, customer_id, staff_id = sys.argv[1:5]
    till = bootstrap(load_settings(data_dir=Path(data_dir)), logs=False)
    services = till.services

    def die(*_args, **_kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if moment == "before-outbox":
        # Fault injection: the process dies where the outbox event would be written.
        outbox.OutboxRepository.add = die
    items = tuple(CartItem(sku=f"sku{i}", name=f"item {i}", unit_price=25_000) for i in range(3))
    sale = services.checkout(
        CheckoutRequest(items=items, staff_id=staff_id, customer_id=customer_id, redeem="max")
    )
    print(sale.sale_id, flush=True)
    if moment == "after-commit":
        die()
    """
)


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("sales", "sale_lines", "ledger_entries", "outbox")
        }
    finally:
        conn.close()


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, str, str]:
    till = bootstrap(load_settings(data_dir=tmp_path), logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=10)
    customer = till.services.identify(demo_phone(0))
    staff = till.services.staff_list()[0]
    till.close()
    return tmp_path, customer.customer.id, staff.id


def _run_child(
    data_dir: Path, moment: str, customer_id: str, staff_id: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), moment, customer_id, staff_id],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_crash_between_sale_and_outbox_leaves_neither(seeded: tuple[Path, str, str]) -> None:
    data_dir, customer_id, staff_id = seeded
    before = _counts(data_dir / "till.sqlite3")
    child = _run_child(data_dir, "before-outbox", customer_id, staff_id)
    assert child.returncode == -9, child.stderr  # killed, not a clean exit
    assert _counts(data_dir / "till.sqlite3") == before


def test_crash_right_after_commit_keeps_sale_and_outbox(seeded: tuple[Path, str, str]) -> None:
    data_dir, customer_id, staff_id = seeded
    before = _counts(data_dir / "till.sqlite3")
    child = _run_child(data_dir, "after-commit", customer_id, staff_id)
    assert child.returncode == -9, child.stderr
    sale_id = child.stdout.strip()
    after = _counts(data_dir / "till.sqlite3")
    assert after["sales"] == before["sales"] + 1
    assert after["sale_lines"] == before["sale_lines"] + 3
    assert after["outbox"] == before["outbox"] + 1
    assert after["ledger_entries"] > before["ledger_entries"]
    conn = sqlite3.connect(data_dir / "till.sqlite3")
    payload = json.loads(
        conn.execute("SELECT payload FROM outbox WHERE aggregate_id = ?", (sale_id,)).fetchone()[0]
    )
    conn.close()
    assert payload["sale_id"] == sale_id


def test_an_error_inside_the_transaction_writes_nothing(seeded: tuple[Path, str, str]) -> None:
    data_dir, _customer_id, staff_id = seeded
    till = bootstrap(load_settings(data_dir=data_dir), logs=False)
    before = _counts(data_dir / "till.sqlite3")
    items = (CartItem(sku="a", name="a", unit_price=10_000),)
    with pytest.raises(ValueError), till.services.uows.writing() as uow:
        uow.sales.next_number()
        uow.ledger.add([])
        uow.state.set("probe", "written")
        raise ValueError("simulated failure before commit")
    sale = till.services.checkout(CheckoutRequest(items=items, staff_id=staff_id))
    till.close()
    after = _counts(data_dir / "till.sqlite3")
    assert after["sales"] == before["sales"] + 1 and sale.number == 1
    conn = sqlite3.connect(data_dir / "till.sqlite3")
    assert conn.execute("SELECT value FROM settings WHERE key='probe'").fetchone() is None
    conn.close()
