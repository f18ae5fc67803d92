"""50 simulated tills in 5 stores pushing and pulling against the multi-worker server.

The server is ``sync-server serve --workers 2`` (a child process) on a fresh PostgreSQL
database, on loopback. Each store has its customers (registered and given an opening
balance before the clock starts) and 10 tills, each a thread with its own connection.
For ``--scale`` seconds (default 30) every till loops: it sells 1-3 times to customers of
its store (10 lines, priced with the real engine against what the till knows of the
customer's ledger, spending bonus in a third of the sales, so two tills may spend the
same points), pushes those events, pulls the feed from its cursor (bringing what the
other tills did), and waits 0.5-1.5 s. Every request's latency is recorded; a non-200
answer, an event not ``applied`` or an exception is an error.
Then the exact reconciliation: after a last pull by every till, every event pushed is on
the server exactly once (``received_events`` holds each id once, applied; one ``sales``
row per sale), and for every customer the balance the server's ledger projects
(``loyalty_core.wallet.project``; a sample also through the balance endpoint) equals the
projection of every till of the store from its own copy of the ledger.
Floor: the same loop of requests against ``GET /health`` (the HTTP stack alone, same
server, same clients), for the latency the server adds.
"""

from __future__ import annotations

import random
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests

from benchmarks import sync_support as support
from benchmarks.stats import percentile
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.rules import default_rules
from loyalty_core.wallet import project
from loyalty_core.wire.sync import PullResponseV1, entry_of_row

DEFAULT_SECONDS = 30
STORES = 5
TILLS_PER_STORE = 10
CUSTOMERS_PER_STORE = 200
OPENING_POINTS = 5_000
WORKERS = 2
TARGET_P99_MS = 250


class _Till:
    def __init__(self, base: str, sim: support.SimTill, customers: list[str], seed: int) -> None:
        self.base, self.sim, self.customers = base, sim, customers
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.session.headers.update(sim.headers)
        self.cursor = 0
        self.known: set[str] = set()  # ledger entry ids this till holds
        self.pushed: list[str] = []  # event ids
        self.sales: list[str] = []
        self.latencies: dict[str, list[float]] = {"push": [], "pull": []}
        self.errors: list[str] = []

    # -- requests ------------------------------------------------------------------
    def push(self, events: list[dict[str, Any]], timed: bool = True) -> None:
        body = {"v": 1, "events": events}
        start = time.perf_counter()
        answer = self.session.post(f"{self.base}/v1/sync/push", json=body, timeout=60)
        if timed:
            self.latencies["push"].append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            self.errors.append(f"push HTTP {answer.status_code}")
            return
        for result in answer.json()["results"]:
            if result["status"] != "applied":
                self.errors.append(f"push {result['status']} {result.get('code')}")
        self.pushed += [e["event_id"] for e in events]
        for e in events:
            for entry in e["payload"].get("entries", ()):
                self.known.add(entry["id"])

    def pull(self, timed: bool = True) -> bool:
        start = time.perf_counter()
        answer = self.session.get(
            f"{self.base}/v1/sync/pull", params={"cursor": self.cursor}, timeout=60
        )
        if timed:
            self.latencies["pull"].append((time.perf_counter() - start) * 1000)
        if answer.status_code != 200:
            self.errors.append(f"pull HTTP {answer.status_code}")
            return False
        page = PullResponseV1.model_validate_json(answer.content)
        for row in page.ledger:
            if row[0] in self.known or row[5] is None:
                continue
            entry = entry_of_row(row)
            self.known.add(entry.id)
            self.sim.ledgers.setdefault(str(entry.customer_id), []).append(entry)
        self.cursor = page.next_cursor
        return page.has_more

    def pull_all(self, timed: bool = False) -> None:
        while self.pull(timed):
            pass

    # -- the loop ------------------------------------------------------------------
    def sell(self) -> dict[str, Any]:
        customer = self.rng.choice(self.customers)
        at = datetime.now(UTC)
        redeem = 0
        if self.rng.random() < 1 / 3:
            wallet = project(customer, self.sim.ledgers.get(customer, []))
            redeem = min(wallet.balance(at).available, 2_000)
        event = self.sim.sell(customer, self.rng, at, redeem=redeem)
        self.sales.append(event["aggregate_id"])
        return event

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            try:
                self.push([self.sell() for _ in range(self.rng.randint(1, 3))])
                self.pull()
            except Exception as error:  # counted: the figure is 0 errors
                self.errors.append(f"{type(error).__name__}: {error}")
            time.sleep(self.rng.uniform(0.5, 1.5))


def _health_loop(base: str, until: float, out: list[float], seed: int) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    while time.monotonic() < until:
        for _ in range(2):
            start = time.perf_counter()
            session.get(f"{base}/health", timeout=60)
            out.append((time.perf_counter() - start) * 1000)
        time.sleep(rng.uniform(0.5, 1.5))


def _run_threads(targets: list[threading.Thread]) -> None:
    for thread in targets:
        thread.start()
    for thread in targets:
        thread.join()


def _server_ledgers(url: str) -> dict[str, list[LedgerEntry]]:
    out: dict[str, list[LedgerEntry]] = defaultdict(list)
    with psycopg.connect(support.libpq(url)) as conn:
        rows = conn.execute(
            "SELECT id::text, kind, occurred_at, till_id, rules_version, customer_id::text,"
            " points, amount_minor, sale_id, lot_id, activates_at, expires_at, gift_card_id,"
            " ref, reason, author FROM ledger_entries WHERE customer_id IS NOT NULL"
        ).fetchall()
    for row in rows:
        entry = entry_of_row((row[0], EntryKind(row[1]), *row[2:]))
        out[entry.customer_id or ""].append(entry)
    return out


def _state(entries: list[LedgerEntry], customer: str, now: datetime) -> tuple[int, int, int]:
    shown = project(customer, entries).balance(now)
    return shown.available, shown.pending_total, shown.debt


def _reconcile(
    url: str,
    tills: list[_Till],
    by_store: dict[int, list[_Till]],
    endpoint: dict[str, Any],
) -> dict[str, Any]:
    """Every event once on the server; every till's balances equal the server's."""
    errors = [e for t in tills for e in t.errors]
    pushes = [ms for t in tills for ms in t.latencies["push"]]
    pulls = [ms for t in tills for ms in t.latencies["pull"]]
    requests_ms = pushes + pulls
    pushed = [e for t in tills for e in t.pushed]
    sale_ids = [s for t in tills for s in t.sales]
    with psycopg.connect(support.libpq(url)) as conn:
        received: dict[str, str] = dict(
            conn.execute("SELECT event_id::text, status FROM received_events").fetchall()
        )
        counted = conn.execute("SELECT count(*) FROM sales").fetchone()
        sales_on_server = counted[0] if counted else 0
        settled: dict[str, int] = dict(
            conn.execute("SELECT kind, count(*) FROM settlements GROUP BY kind").fetchall()
        )
    events_once = (
        len(pushed) == len(set(pushed)) == len(received)
        and set(pushed) == set(received)
        and all(status == "applied" for status in received.values())
        and sales_on_server == len(sale_ids)
    )
    server_ledgers = _server_ledgers(url)
    now = datetime.now(UTC)
    mismatched = 0
    compared = 0
    for s in range(STORES):
        for customer in by_store[s][0].customers:
            expected = _state(server_ledgers.get(customer, []), customer, now)
            for till in by_store[s]:
                compared += 1
                if _state(till.sim.ledgers.get(customer, []), customer, now) != expected:
                    mismatched += 1
    endpoint_ok = all(
        (b["available"], b["pending"], b["debt"])
        == _state(server_ledgers.get(c, []), c, datetime.fromisoformat(b["server_time"]))
        for c, b in endpoint.items()
    )
    return {
        "errors": errors,
        "pushes": pushes,
        "pulls": pulls,
        "requests_ms": requests_ms,
        "pushed": pushed,
        "sale_ids": sale_ids,
        "events_once": events_once,
        "compared": compared,
        "mismatched": mismatched,
        "endpoint_ok": endpoint_ok,
        "settled": settled,
    }


def run(scale: int | None) -> dict[str, Any]:
    seconds = scale or DEFAULT_SECONDS
    conditions = support.run_conditions()
    rules = default_rules()
    with tempfile.TemporaryDirectory() as tmp, support.fresh_database("load") as url:
        stores = [f"Store {s + 1}" for s in range(STORES)]
        store_ids = [
            support.set_up_store(url, rules if s == 0 else None, name)
            for s, name in enumerate(stores)
        ]
        staff = [support.add_cashier(url, store_id) for store_id in store_ids]
        with support.server_process(url, WORKERS, Path(tmp)) as base:
            tills: list[_Till] = []
            by_store: dict[int, list[_Till]] = defaultdict(list)
            opening = datetime.now(UTC) - timedelta(hours=1)
            for s, name in enumerate(stores):
                customers: list[str] = []
                for t in range(TILLS_PER_STORE):
                    till_id, credential = support.enroll(base, url, name, f"Till {t + 1}")
                    sim = support.SimTill(till_id, credential, staff[s], rules)
                    till = _Till(base, sim, customers, seed=100 * s + t)
                    tills.append(till)
                    by_store[s].append(till)
                first = by_store[s][0]
                events = []
                for n in range(CUSTOMERS_PER_STORE):
                    cid, registered = first.sim.register(
                        support.phone_of(1_000_000 * (s + 1) + n), opening
                    )
                    customers.append(cid)
                    events += [registered, first.sim.give(cid, OPENING_POINTS, opening)]
                first.push(events, timed=False)
            setup = [threading.Thread(target=t.pull_all) for t in tills]
            _run_threads(setup)  # every till starts from what the server has

            until = time.monotonic() + seconds
            health: list[float] = []
            started = time.perf_counter()
            _run_threads(
                [threading.Thread(target=t.run, args=(until,)) for t in tills]
                + [threading.Thread(target=_health_loop, args=(base, until, health, 7))]
            )
            elapsed = time.perf_counter() - started
            _run_threads([threading.Thread(target=t.pull_all) for t in tills])
            sample = [c for s in range(STORES) for c in by_store[s][0].customers[:4]]
            endpoint = {
                c: tills[0].session.get(f"{base}/v1/sync/customers/{c}/balance", timeout=60).json()
                for c in sample
            }
        checked = _reconcile(url, tills, by_store, endpoint)
    errors, pushes, pulls = checked["errors"], checked["pushes"], checked["pulls"]
    requests_ms, pushed, sale_ids = checked["requests_ms"], checked["pushed"], checked["sale_ids"]
    events_once, mismatched = checked["events_once"], checked["mismatched"]
    compared, endpoint_ok, settled = checked["compared"], checked["endpoint_ok"], checked["settled"]
    p99 = round(percentile(requests_ms, 99), 1) if requests_ms else None
    reconciled = events_once and mismatched == 0 and endpoint_ok
    return {
        "benchmark": "sync_load",
        "scale": seconds,
        "stores": STORES,
        "tills": len(tills),
        "server_workers": WORKERS,
        "seconds": round(elapsed, 1),
        "requests": len(requests_ms),
        "requests_per_s": round(len(requests_ms) / elapsed, 1),
        "events_pushed": len(pushed),
        "sales": len(sale_ids),
        "p50_ms": round(percentile(requests_ms, 50), 1) if requests_ms else None,
        "p99_ms": p99,
        "push_p50_ms": round(percentile(pushes, 50), 1) if pushes else None,
        "push_p99_ms": round(percentile(pushes, 99), 1) if pushes else None,
        "pull_p50_ms": round(percentile(pulls, 50), 1) if pulls else None,
        "pull_p99_ms": round(percentile(pulls, 99), 1) if pulls else None,
        "errors": len(errors),
        "first_errors": errors[:5],
        "floor_p50_ms": round(percentile(health, 50), 1) if health else None,
        "floor_p99_ms": round(percentile(health, 99), 1) if health else None,
        "ratio_p99": round(p99 / percentile(health, 99), 1) if p99 and health else None,
        "events_exactly_once": events_once,
        "balances_compared": compared,
        "balances_mismatched": mismatched,
        "balance_endpoint_agrees": endpoint_ok,
        "settlements": settled,
        "reconciled": reconciled,
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": reconciled and not errors and p99 is not None and p99 <= TARGET_P99_MS,
        "floor": "GET /health from the same clients against the same server (HTTP stack only)",
        **conditions,
    }
