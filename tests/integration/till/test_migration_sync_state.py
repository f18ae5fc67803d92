"""Migration 0002 on a till holding data: outbox states mapped, line ids kept, returns still right.

The data is made the way the previous release made it: a sale whose lines are
numbered "1", "2" by position, a partial return, outbox events in the old states
(``queued``, ``sent``, ``confirmed``, ``conflict`` with ``last_error``). After the
upgrade the till restarts on it and returns the rest of the sale by line id.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from loyalty_core.returns import ReturnRefusedError
from loyalty_core.shifts import NoOpenShiftError
from pos_client.adapters import migrate
from pos_client.adapters.sqlite_engine import create_till_engines
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.records import EventStatus
from pos_client.services.demo_store import seed_demo_store
from pos_client.services.messages import CartItem, CheckoutRequest, ReturnRequest

# The previous release numbered lines by their position in the cart.
TEA = CartItem("a", "Чай", unit_price=20_000, quantity_milli=2_000, line_id="1")
JAM = CartItem("b", "Джем", unit_price=15_000, line_id="2")


def _downgrade(database: Path, revision: str) -> None:
    engines = create_till_engines(database)
    cfg = migrate.alembic_config(engines.write)
    with engines.write.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engines.dispose()


def _cashier(till: Till) -> str:
    return till.services.staff_list()[0].id


@pytest.fixture
def old_till(tmp_path: Path) -> Path:
    """A till database at revision 0001 with a sale, a partial return and old outbox states."""
    settings = load_settings(data_dir=tmp_path)
    till = bootstrap(settings, logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=3)
    sv = till.services
    sale = sv.checkout(CheckoutRequest((TEA, JAM), _cashier(till)))
    sv.return_items(ReturnRequest(sale.number, {"1": 1_000}, _cashier(till)))
    till.close()
    database = settings.resolved_database_path
    _downgrade(database, "0001")
    conn = sqlite3.connect(database)
    with conn:
        sale_event, return_event = (
            s for (s,) in conn.execute("SELECT seq FROM outbox WHERE kind LIKE 'sale.%'")
        )
        conn.execute("UPDATE outbox SET status = 'confirmed' WHERE seq = ?", (sale_event,))
        conn.execute("UPDATE outbox SET status = 'sent' WHERE seq = ?", (return_event,))
        conn.execute(
            "INSERT INTO outbox (event_id, kind, aggregate_id, payload, created_at, status,"
            " attempts, last_error) VALUES ('e-3', 'card.reissued', 'c-1', '{}',"
            " '2026-11-22 10:00:00.000000', 'conflict', 3, 'stock changed'),"
            " ('e-4', 'card.reissued', 'c-2', '{}', '2026-11-22 10:00:00.000000', 'queued', 0,"
            " NULL)"
        )
        conn.execute("UPDATE sales SET sync_state = 'sent'")
    conn.close()
    return database


def test_old_outbox_states_become_the_five_and_nothing_is_lost(old_till: Path) -> None:
    conn = sqlite3.connect(old_till)
    before = conn.execute("SELECT event_id, status FROM outbox ORDER BY seq").fetchall()
    conn.close()
    engines = create_till_engines(old_till)
    migrate.upgrade(engines.write)
    assert "sync_state" not in {c["name"] for c in inspect(engines.write).get_columns("sales")}
    engines.dispose()
    conn = sqlite3.connect(old_till)
    after = conn.execute(
        "SELECT event_id, status, error_code, error_message, attempts FROM outbox ORDER BY seq"
    ).fetchall()
    conn.close()
    mapped = {"confirmed": "applied", "sent": "queued", "conflict": "rejected", "queued": "queued"}
    assert [(e, mapped[s]) for e, s in before] == [(e, s) for e, s, *_ in after]
    rejected = [row for row in after if row[1] == "rejected"]
    assert [(code, message, attempts) for _, _, code, message, attempts in rejected] == [
        ("sync.conflict", "stock changed", 3)
    ]


def test_stored_lines_keep_their_ids_and_a_return_by_line_id_works_after_the_upgrade(
    old_till: Path,
) -> None:
    settings = load_settings(data_dir=old_till.parent)
    till = bootstrap(settings, logs=False)  # upgrades to head
    try:
        sv = till.services
        sale = sv.find_sale(1)
        assert [line.line_id for line in sale.receipt.lines] == ["1", "2"]
        assert sale.unit_prices == {"1": 20_000, "2": 15_000}
        assert sale.sync is not None and sale.sync.status is EventStatus.APPLIED
        with sv.uows.reading() as uow:
            assert uow.sales.returned_quantities(sale.id) == {"1": 1_000}
        # An earlier release kept no shifts: none is open until the cashier opens one.
        with pytest.raises(NoOpenShiftError):
            sv.return_items(ReturnRequest(1, {"1": 1_000}, _cashier(till)))
        sv.open_shift(_cashier(till), 0)
        rest = sv.return_items(ReturnRequest(1, {"1": 1_000, "2": 1_000}, _cashier(till)))
        assert rest.priced.complete
        with pytest.raises(ReturnRefusedError):
            sv.return_items(ReturnRequest(1, {"1": 1_000}, _cashier(till)))
    finally:
        till.close()
    conn = sqlite3.connect(old_till)
    lines = conn.execute(
        "SELECT s.kind, l.line_no, l.line_id FROM sale_lines l JOIN sales s ON s.id = l.sale_id"
        " ORDER BY s.number, l.line_no"
    ).fetchall()
    conn.close()
    assert lines == [
        ("sale", 1, "1"),
        ("sale", 2, "2"),
        ("return", 1, "1"),
        ("return", 1, "1"),
        ("return", 2, "2"),
    ]


def test_ids_made_in_the_cart_survive_a_downgrade_and_upgrade(tmp_path: Path) -> None:
    """Line ids come back from the receipt each line was sold on, not from positions."""
    settings = load_settings(data_dir=tmp_path)
    till = bootstrap(settings, logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=3)
    tea, jam = CartItem("a", "Чай", 20_000), CartItem("b", "Джем", 15_000)
    sale = till.services.checkout(CheckoutRequest((tea, jam), _cashier(till)))
    till.services.return_items(ReturnRequest(sale.number, {jam.line_id: 1_000}, _cashier(till)))
    till.close()
    _downgrade(settings.resolved_database_path, "0001")
    till = bootstrap(settings, logs=False)
    try:
        till.services.open_shift(_cashier(till), 0)  # the downgrade took the shifts table
        with till.services.uows.reading() as uow:
            assert uow.sales.returned_quantities(sale.sale_id) == {jam.line_id: 1_000}
        with pytest.raises(ReturnRefusedError):
            till.services.return_items(
                ReturnRequest(sale.number, {jam.line_id: 1_000}, _cashier(till))
            )
    finally:
        till.close()
