"""A new till pulls 1,000,000 customers with cards and balances over HTTP into SQLite.

The server (``sync-server serve``, a child process, on a fresh PostgreSQL database) holds
N customers, each with an active card and one ledger entry (an opening balance), seeded
by COPY with the feed positions the server gives them (``adapters/feed.py``: each
registration's transaction stamps its customer, then its card, then its entry, in commit
order; ``change_feed_counter`` moved past them). A till enrolled over HTTP then runs
``SyncService.sync_now``: every page from cursor 0 is fetched (``GET /v1/sync/pull``,
the server's default page), parsed with the wire models and applied by the replica
repository with the cursor in one transaction per page, as the till's sync worker does.
Timed: the whole pull. A thread samples ``till.sqlite3-wal`` every 20 ms for its peak:
the till's WAL bound (``wal_limit_mb``) must hold during a bootstrap.
Floor: raw sqlite3 inserting the same rows (read back from the till) into an empty till
database with the same pragmas (WAL, synchronous=FULL), executemany, one transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg

from benchmarks import sync_support as support
from loyalty_core.cards import CardNumberCodec
from loyalty_core.ids import new_id
from loyalty_core.rules import default_rules
from pos_client.adapters.server_client import ServerClient
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.services.enrollment import enroll_till

DEFAULT_SCALE = 1_000_000
TARGET_S = 30
STORE = "Bench store"
TABLES = ("customers", "cards", "ledger_entries")


def _seed(url: str, count: int, rules_version: int) -> int:
    """``count`` customers, cards and opening-balance entries by COPY; total points."""
    codec = CardNumberCodec(b"benchmark-card-secret")
    at = support.now_utc() - timedelta(days=10)
    stamp = at.isoformat()
    expires = (at + timedelta(days=365)).isoformat()
    with psycopg.connect(support.libpq(url)) as conn, conn.cursor() as cur:
        # As a writing transaction does: positions taken from the counter row, locked.
        last = cur.execute(
            "UPDATE change_feed_counter SET last_position = last_position + %s"
            " WHERE id = 1 RETURNING last_position",
            (3 * count,),
        ).fetchone()
        assert last is not None
        base = int(last[0]) - 3 * count
        customers, cards, entries = [], [], []
        total = 0
        for n in range(count):
            cid = new_id()
            position = base + 3 * n
            points = 100 * (n % 500)
            total += points
            customers.append(
                f"{cid}\t{support.phone_of(n)}\t{stamp}\t2026-01\t{stamp}\t{position + 1}\n"
            )
            number = codec.number_for(f"{n:010d}")
            cards.append(f"{number}\t{cid}\tactive\t{stamp}\t{position + 2}\n")
            entries.append(
                f"{new_id()}\t{cid}\tadjustment\t{points}\t0\t{stamp}\t{stamp}\t{expires}\tserver"
                f"\t{rules_version}\topening balance\tserver\t{stamp}\t{position + 3}\n"
            )
        for statement, lines in (
            (
                "COPY customers (id, phone, consent_given_at, consent_text_version, created_at,"
                " feed_position) FROM STDIN",
                customers,
            ),
            (
                "COPY cards (number, customer_id, status, issued_at, feed_position) FROM STDIN",
                cards,
            ),
            (
                "COPY ledger_entries (id, customer_id, kind, points, amount_minor, occurred_at,"
                " activates_at, expires_at, till_id, rules_version, reason, author, recorded_at,"
                " feed_position) FROM STDIN",
                entries,
            ),
        ):
            with cur.copy(statement) as copy:
                for start in range(0, len(lines), 50_000):
                    copy.write("".join(lines[start : start + 50_000]))
        conn.commit()
        cur.execute("ANALYZE")
    return total


class _WalSampler(threading.Thread):
    def __init__(self, wal: Path) -> None:
        super().__init__(daemon=True)
        self.wal, self.peak, self._done = wal, 0, threading.Event()
        self.truncations = 0  # times the file was seen shrinking (a checkpoint cut it)

    def run(self) -> None:
        last = 0
        while not self._done.wait(0.02):
            with contextlib.suppress(OSError):  # not there yet, or just truncated
                size = os.path.getsize(self.wal)
                self.truncations += size < last
                self.peak, last = max(self.peak, size), size

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def _new_till(folder: Path) -> Till:
    return bootstrap(load_settings(data_dir=folder), logs=False)


def _floor(rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]], db: Path) -> float:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        columns, values = rows[table]
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def _read_rows(db: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    conn = sqlite3.connect(db)
    out = {}
    for table in TABLES:
        cursor = conn.execute(f"SELECT * FROM {table}")
        out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn.close()
    return out


def run(scale: int | None) -> dict[str, Any]:
    count = scale or DEFAULT_SCALE
    conditions = support.run_conditions()
    rules = default_rules()
    for name in list(os.environ):
        if name.startswith("LOYALTY_TILL_"):
            del os.environ[name]
    with tempfile.TemporaryDirectory(dir=support.bench_dir()) as tmp:
        folder = Path(tmp)
        os.environ["LOYALTY_TILL_CONFIG"] = str(folder / "no-such-till.toml")
        with support.fresh_database("bootstrap") as url:
            support.set_up_store(url, rules, STORE)
            started = time.perf_counter()
            total_points = _seed(url, count, rules.version)
            seeded_s = time.perf_counter() - started
            with support.server_process(url, 2, folder) as base:
                till = _new_till(folder / "till")
                try:
                    enroll_till(
                        base,
                        support.issue_code(url, STORE),
                        "Till 1",
                        till.services.uows.writing(),
                        till.services.ctx,
                        ServerClient(),
                    )
                    wal_limit_mb = till.settings.wal_limit_mb
                    database = till.settings.resolved_database_path
                    sampler = _WalSampler(database.with_name(database.name + "-wal"))
                    sampler.start()
                    start = time.perf_counter()
                    result = till.sync.sync_now(max_pages=1_000_000)
                    seconds = time.perf_counter() - start
                    wal_peak = sampler.stop()
                finally:
                    till.close()
        db = folder / "till" / "till.sqlite3"
        check = sqlite3.connect(db)
        counts = {t: check.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        till_points = check.execute("SELECT sum(points) FROM ledger_entries").fetchone()[0] or 0
        check.close()
        rows = _read_rows(db)
        empty = _new_till(folder / "floor")
        empty.close()
        floor_s = _floor(rows, folder / "floor" / "till.sqlite3")
    complete = all(counts[t] == count for t in TABLES) and till_points == total_points
    return {
        "benchmark": "sync_bootstrap",
        "scale": count,
        "seconds": round(seconds, 1),
        "rows_per_s": round(result.pulled_rows / seconds),
        "pulled_rows": result.pulled_rows,
        "pages": result.pages,
        "till_rows": counts,
        "balances_match": till_points == total_points,
        "complete": complete,
        "wal_peak_mb": round(wal_peak / 1024 / 1024, 1),
        "wal_limit_mb": wal_limit_mb,
        "wal_peak_over_limit": round(wal_peak / (wal_limit_mb * 1024 * 1024), 2),
        "wal_truncations": sampler.truncations,
        "floor_seconds": round(floor_s, 1),
        "ratio": round(seconds / floor_s, 1),
        "target_s": TARGET_S,
        "meets_target": complete and seconds <= TARGET_S,
        "floor": "raw sqlite3 executemany of the same customers, cards and entries into an"
        " empty till database (WAL, synchronous=FULL), one transaction",
        "server_seeded_s": round(seeded_s, 1),
        **conditions,
    }
