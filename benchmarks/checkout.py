"""Commit a 10-line sale with bonus redemption, accrual, ledger entries and outbox, durably.

Ours: ``TillServices.checkout`` -- price with the loyalty engine, derive the
ledger entries, write sale + lines + entries + outbox event in one IMMEDIATE
transaction with WAL and synchronous=FULL (fsync on commit), then update the
cached wallet. The customer was identified before (as at the till, where the
card is scanned while items are being scanned), so their wallet is warm.
Floor: raw sqlite3 on the same kind of file with the same pragmas, doing the
same inserts (1 sale, 10 lines, 4 ledger entries, 1 outbox row) and a commit.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.stats import summary
from benchmarks.till_db import DEFAULT_SCALE, open_copy
from loyalty_core.ids import new_id
from pos_client.services.demo_store import demo_phone
from pos_client.services.messages import CartItem, CheckoutRequest

SALES = 1000
WARMUP = 50
LINES = 10


def _items(rng: random.Random) -> tuple[CartItem, ...]:
    return tuple(
        CartItem(sku=f"sku-{i}", name=f"Товар {i}", unit_price=rng.randrange(5_000, 60_000))
        for i in range(LINES)
    )


def _floor(db: Path, count: int) -> list[float]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    now = "2026-11-22 10:00:00.000000"
    out = []
    for n in range(count):
        sale_id = new_id()
        start = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO sales (id, number, kind, till_id, staff_id, customer_id, created_at,"
            " subtotal, discount_total, bonus_redeemed, total_due, bonus_accrued, rules_version,"
            " receipt_json) VALUES (?, ?, 'sale', 't', 's', 'c', ?, 1, 0, 0, 1, 0, 1, '{}')",
            (sale_id, 10_000_000 + n, now),
        )
        conn.executemany(
            "INSERT INTO sale_lines (sale_id, line_no, line_id, sku, name, quantity_milli,"
            " unit_price, amount, discount, bonus_redeemed, paid, accrued)"
            " VALUES (?, ?, ?, 'sku', 'name', 1000, 100, 100, 0, 0, 100, 3)",
            [(sale_id, i, new_id()) for i in range(LINES)],
        )
        conn.executemany(
            "INSERT INTO ledger_entries (id, kind, occurred_at, till_id, rules_version,"
            " customer_id, points, amount, sale_id) VALUES (?, 'accrual', ?, 't', 1, 'c', 1, 0, ?)",
            [(new_id(), now, sale_id) for _ in range(4)],
        )
        conn.execute(
            "INSERT INTO outbox (event_id, kind, aggregate_id, payload, created_at, status,"
            " attempts) VALUES (?, 'sale.completed', ?, '{}', ?, 'queued', 0)",
            (new_id(), sale_id, now),
        )
        conn.execute("COMMIT")
        out.append((time.perf_counter_ns() - start) / 1000)
    conn.close()
    return out


def run(scale: int | None) -> dict[str, Any]:
    scale = scale or DEFAULT_SCALE
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent.parent) as tmp:
        till, built = open_copy(scale, Path(tmp))
        sv = till.services
        staff = sv.staff_list()[0]
        # Demo customers 0, 3, 6, ... have history and a balance to spend; each buys once.
        picks = rng.sample(range(0, scale, 3), min(WARMUP + SALES, scale // 3))
        customers = [sv.identify(demo_phone(i)) for i in picks]
        for c in customers[:WARMUP]:
            sv.checkout(
                CheckoutRequest(_items(rng), staff.id, customer_id=c.customer.id, redeem="max")
            )
        ours: list[float] = []
        redeemed = accrued = 0
        for c in customers[WARMUP:]:
            req = CheckoutRequest(_items(rng), staff.id, customer_id=c.customer.id, redeem="max")
            start = time.perf_counter_ns()
            sale = sv.checkout(req)
            ours.append((time.perf_counter_ns() - start) / 1000)
            redeemed += sale.receipt.redeemed > 0
            accrued += sale.receipt.accrual > 0
        till.close()
        floor = _floor(Path(tmp) / "till" / "till.sqlite3", len(ours))
    ms = summary([u / 1000 for u in ours], "", digits=2)
    floor_ms = summary([u / 1000 for u in floor], "floor_", digits=2)
    return {
        "benchmark": "checkout",
        "scale": scale,
        "unit": "ms",
        "sales": len(ours),
        "lines_per_sale": LINES,
        "sales_with_redemption": redeemed,
        "sales_with_accrual": accrued,
        **ms,
        **floor_ms,
        "target_p99_ms": 5,
        "ratio_p50": round(ms["p50"] / floor_ms["floor_p50"], 1),
        "ratio_p99": round(ms["p99"] / floor_ms["floor_p99"], 1),
        "meets_target": ms["p99"] <= 5,
        "floor": "raw sqlite3, WAL + synchronous=FULL: the same inserts and a commit",
        "database_built_s": round(built, 1) if built is not None else None,
    }
