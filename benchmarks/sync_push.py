"""Push 100,000 sale events of 10 lines through the HTTP API into PostgreSQL.

Ours: ``sync-server serve --workers N`` (a child process) on a fresh PostgreSQL database;
several tills, each on its own connection, push their batches of 1,000 events in order
(``POST /v1/sync/push``). Every sale is re-validated and applied as in production: the
payload parsed with the wire models, its entries checked against what its receipt makes,
the cart priced again with the server's rules and the customer's wallet projected from
the server's ledger, then the sale, its lines, its ledger entries and the received event
written with their feed positions. Customers (10 sales each) are registered before the
clock starts; the events are built beforehand with the real engine, as the tills' own
services build them. Every answer must be ``applied``.
Floor: raw psycopg COPYing the very rows the server wrote (sales, sale lines, ledger
entries, received events, read back from it) into another fresh database, one transaction.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import random
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests

from benchmarks import sync_support as support
from loyalty_core.rules import default_rules

DEFAULT_SCALE = 100_000
BATCH = 1000
SALES_PER_CUSTOMER = 10
TILLS = 4
WORKERS = 2
TABLES = ("sales", "sale_lines", "ledger_entries", "received_events")
TARGET_EVENTS_PER_S = 10_000


def _till_events(args: tuple[int, str, str, str, int, int]) -> tuple[list[bytes], list[bytes]]:
    """One till's registrations and sales, as push bodies of ``BATCH`` events."""
    seed, till_id, credential, staff_id, customers, sales = args
    rng = random.Random(seed)
    till = support.SimTill(till_id, credential, staff_id)
    start = support.now_utc() - timedelta(hours=6)
    registrations, ids = [], []
    for n in range(customers):
        customer_id, event = till.register(support.phone_of(seed * 1_000_000 + n), start)
        ids.append(customer_id)
        registrations.append(event)
    sale_events = [
        till.sell(ids[i % customers], rng, start + timedelta(seconds=1 + i // 10, microseconds=i))
        for i in range(sales)
    ]
    return _bodies(registrations), _bodies(sale_events)


def _bodies(events: list[dict[str, Any]]) -> list[bytes]:
    return [
        json.dumps({"v": 1, "events": events[i : i + BATCH]}).encode()
        for i in range(0, len(events), BATCH)
    ]


def _push_all(base: str, credential: str, bodies: list[bytes], out: dict[str, int]) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {credential}", "Content-Type": "application/json"}
    for body in bodies:
        answer = session.post(f"{base}/v1/sync/push", data=body, headers=headers, timeout=300)
        if answer.status_code != 200:
            out["http_errors"] = out.get("http_errors", 0) + 1
            continue
        for result in answer.json()["results"]:
            out[result["status"]] = out.get(result["status"], 0) + 1
    session.close()


def _push_concurrently(base: str, work: list[tuple[str, list[bytes]]]) -> dict[str, int]:
    counts: list[dict[str, int]] = [{} for _ in work]
    threads = [
        threading.Thread(target=_push_all, args=(base, credential, bodies, counts[i]))
        for i, (credential, bodies) in enumerate(work)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total: dict[str, int] = {}
    for c in counts:
        for key, value in c.items():
            total[key] = total.get(key, 0) + value
    return total


def _dump_tables(url: str) -> dict[str, bytes]:
    out = {}
    with psycopg.connect(support.libpq(url)) as conn, conn.cursor() as cur:
        for table in TABLES:
            buffer = io.BytesIO()
            with cur.copy(f"COPY {table} TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
            out[table] = buffer.getvalue()
    return out


def _floor(url: str, dumped: dict[str, bytes]) -> tuple[float, int]:
    """Seconds to COPY the same rows into an empty schema, and how many rows."""
    rows = sum(data.count(b"\n") for data in dumped.values())
    with psycopg.connect(support.libpq(url)) as conn, conn.cursor() as cur:
        # The server's own tills and store are there for the foreign keys, as on the server.
        start = time.perf_counter()
        for table in TABLES:
            with cur.copy(f"COPY {table} FROM STDIN") as copy:
                data = dumped[table]
                for offset in range(0, len(data), 1 << 20):
                    copy.write(data[offset : offset + (1 << 20)])
        conn.commit()
        return time.perf_counter() - start, rows


def _copy_parents(source: str, target: str) -> None:
    """Stores, tills, staff and customers: what the floor's rows refer to."""
    with (
        psycopg.connect(support.libpq(source)) as src,
        psycopg.connect(support.libpq(target)) as dst,
    ):
        for table in ("stores", "tills", "staff", "customers"):
            buffer = io.BytesIO()
            with src.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
            with dst.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        dst.commit()


def run(scale: int | None) -> dict[str, Any]:
    events = scale or DEFAULT_SCALE
    conditions = support.run_conditions()
    tills = min(TILLS, max(1, events // BATCH))
    per_till = [events // tills + (1 if i < events % tills else 0) for i in range(tills)]
    rules = default_rules()
    with (
        tempfile.TemporaryDirectory() as tmp,
        support.fresh_database("push") as url,
        support.fresh_database("push_floor") as floor_url,
    ):
        store_id = support.set_up_store(url, rules, "Bench store")
        staff_id = support.add_cashier(url, store_id)
        with support.server_process(url, WORKERS, Path(tmp)) as base:
            enrolled = [
                support.enroll(base, url, "Bench store", f"Till {i + 1}") for i in range(tills)
            ]
            jobs = [
                (i + 1, till_id, credential, staff_id, max(1, n // SALES_PER_CUSTOMER), n)
                for i, ((till_id, credential), n) in enumerate(zip(enrolled, per_till, strict=True))
            ]
            started = time.perf_counter()
            with multiprocessing.get_context("spawn").Pool(min(2, tills)) as pool:
                built = pool.map(_till_events, jobs)
            built_s = time.perf_counter() - started
            registered = _push_concurrently(
                base, [(c, regs) for (_t, c), (regs, _s) in zip(enrolled, built, strict=True)]
            )
            work = [(c, sales) for (_t, c), (_r, sales) in zip(enrolled, built, strict=True)]
            del built
            start = time.perf_counter()
            answered = _push_concurrently(base, work)
            seconds = time.perf_counter() - start
        dumped = _dump_tables(url)
        _copy_parents(url, floor_url)
        floor_s, floor_rows = _floor(floor_url, dumped)
    ours = events / seconds
    floor = events / floor_s
    return {
        "benchmark": "sync_push",
        "scale": events,
        "lines_per_sale": support.LINES,
        "tills": tills,
        "server_workers": WORKERS,
        "batch": BATCH,
        "events_per_s": round(ours),
        "seconds": round(seconds, 2),
        "applied": answered.get("applied", 0),
        "not_applied": sum(v for k, v in answered.items() if k != "applied"),
        "registrations_applied": registered.get("applied", 0),
        "floor_events_per_s": round(floor),
        "floor_seconds": round(floor_s, 2),
        "floor_rows": floor_rows,
        "ratio": round(floor / ours, 1),
        "target_events_per_s": TARGET_EVENTS_PER_S,
        "meets_target": ours >= TARGET_EVENTS_PER_S,
        "floor": "raw psycopg COPY of the same rows (sales, lines, entries, received events)"
        " into an empty schema, one transaction",
        "events_built_s": round(built_s, 1),
        **conditions,
    }
