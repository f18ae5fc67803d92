"""The managers' scorecard page: 500 cashiers over 10,000,000 sales and 1,000,000 votes.

A fresh PostgreSQL database holds 50 stores of 10 cashiers, N sales spread over the last 365
days (one till per store; a card on every third sale) and a vote on every tenth sale (scores
and reasons varied), made by ``generate_series`` on the server. The daily roll-ups that the
push keeps for each fact (``staff_days``) are then added up from those rows by one
``INSERT ... SELECT`` with the same arithmetic, and checked against the facts for a sample
cashier. A server (``sync-server serve``, a child process) then answers an owner who is
signed in: ``GET /dashboard/`` for the whole year, every cashier of every store, sorted by
score. Timed: that one full page over HTTP (median of 5, after one warm-up).
Floor: raw psycopg running the minimal same reads over the roll-ups (the per-cashier sums
of the period and of the two alert windows, one query). Also printed: the same figures
added up from the raw sales and votes (what a page would cost without the roll-ups).
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests

from benchmarks import sync_support as support
from sync_server.services.manager_auth import create_manager
from sync_server.services.manager_ports import ManagerRole

DEFAULT_SCALE = 10_000_000
STORES = 50
CASHIERS_PER_STORE = 10
DAYS = 365
TARGET_S = 2.0
RUNS = 5
PASSWORD = "benchmark-owner-password"
REASONS = ("polite", "fast", "helpful", "offered_card", "slow", "impolite", "mistake")


def _seed(url: str, sales: int) -> None:
    staff = STORES * CASHIERS_PER_STORE
    with psycopg.connect(support.libpq(url)) as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO stores (id, name, created_at, redemption_policy, timezone)"
            " SELECT gen_random_uuid(), 'Store ' || lpad(n::text, 2, '0'), now(),"
            " 'offline_limit', 'Europe/Moscow' FROM generate_series(1, %s) n",
            (STORES,),
        )
        cur.execute(
            "INSERT INTO tills (id, store_id, name, created_at)"
            " SELECT gen_random_uuid(), id, 'Till 1', now() FROM stores"
        )
        cur.execute(
            "INSERT INTO staff (id, store_id, name, role, pin_hash, failed_pin_attempts,"
            " created_at) SELECT gen_random_uuid(), s.id, s.name || ' cashier ' || c, 'cashier',"
            " 'x', 0, now() FROM stores s, generate_series(1, %s) c",
            (CASHIERS_PER_STORE,),
        )
        cur.execute(
            "CREATE TEMP TABLE bench_staff AS SELECT row_number() OVER (ORDER BY st.id) - 1 AS n,"
            " st.id, st.store_id, t.id AS till_id FROM staff st JOIN tills t"
            " ON t.store_id = st.store_id"
        )
        cur.execute(
            "INSERT INTO customers (id, phone, consent_given_at, consent_text_version,"
            " created_at) VALUES (gen_random_uuid(), '+79990000000', now(), 'bench', now())"
        )
        # Sales: cashier n % staff, spread evenly over the year, a card on every third.
        cur.execute(
            "INSERT INTO sales (id, store_id, till_id, number, staff_id, customer_id, currency,"
            " subtotal_minor, discount_minor, redeemed_points, paid_minor, accrued_points,"
            " occurred_at, received_at)"
            " SELECT gen_random_uuid(), b.store_id, b.till_id, g, b.id,"
            " CASE WHEN g %% 3 = 0 THEN (SELECT id FROM customers LIMIT 1) END, 'RUB',"
            " 10000 + g %% 9000, 0, CASE WHEN g %% 7 = 0 THEN 50 ELSE 0 END, 10000 + g %% 9000, 0,"
            " now() - (g::float / %s * %s) * interval '1 day',"
            " now() - (g::float / %s * %s) * interval '1 day'"
            " FROM generate_series(1, %s) g JOIN bench_staff b ON b.n = g %% %s",
            (sales, DAYS, sales, DAYS, sales, staff),
        )
        reasons = "ARRAY[" + ",".join(f"'{r}'" for r in REASONS) + "]"
        cur.execute(
            "INSERT INTO votes (id, sale_id, store_id, till_id, staff_id, score, reasons,"
            " channel, at, comment)"
            " SELECT gen_random_uuid(), id, store_id, till_id, staff_id,"
            " 1 + (number / 10 + ascii(staff_id::text)) % 5,"
            f" to_json(ARRAY[({reasons})[1 + number % 7]]), 'display',"
            " occurred_at + interval '1 minute', CASE WHEN number % 97 = 0 THEN 'slow' ELSE '' END"
            " FROM sales WHERE number % 10 = 0"
        )
        # The roll-ups the push keeps, added up from those rows (days in Moscow).
        tallies = ", ".join(
            f"sum(CASE WHEN score = {n} THEN 1 ELSE 0 END) AS score_{n}" for n in range(1, 6)
        )
        reason_sums = ", ".join(
            f"sum(CASE WHEN reasons::jsonb ? '{r}' THEN 1 ELSE 0 END) AS reason_{r}"
            for r in REASONS
        )
        cur.execute(
            "INSERT INTO staff_days (store_id, staff_id, day, sales, revenue_minor, with_card,"
            " redeemed_points) SELECT store_id, staff_id,"
            " (occurred_at AT TIME ZONE 'Europe/Moscow')::date, count(*), sum(paid_minor),"
            " count(customer_id), sum(redeemed_points) FROM sales GROUP BY 1, 2, 3"
        )
        cur.execute(
            "CREATE TEMP TABLE vote_days AS SELECT store_id, staff_id,"
            f" (at AT TIME ZONE 'Europe/Moscow')::date AS day, {tallies}, {reason_sums}"
            " FROM votes GROUP BY 1, 2, 3"
        )
        score_cols = ", ".join(f"score_{n}" for n in range(1, 6))
        reason_cols = ", ".join(f"reason_{r}" for r in REASONS)
        cur.execute(
            f"INSERT INTO staff_days (store_id, staff_id, day, {score_cols}, {reason_cols})"
            " SELECT * FROM vote_days ON CONFLICT (store_id, staff_id, day) DO UPDATE SET "
            + ", ".join(
                f"{c} = excluded.{c}" for c in (*score_cols.split(", "), *reason_cols.split(", "))
            )
        )
        conn.commit()
        cur.execute("ANALYZE")
        _check_sample(cur)


def _check_sample(cur: psycopg.Cursor[Any]) -> None:
    """One cashier's roll-ups add up to their sales and votes."""
    cur.execute(
        "SELECT staff_id, sum(sales), sum(revenue_minor), sum(score_1 + score_2 + score_3"
        " + score_4 + score_5) FROM staff_days GROUP BY staff_id ORDER BY staff_id LIMIT 1"
    )
    staff_id, sold, revenue, voted = cur.fetchone() or (None, 0, 0, 0)
    cur.execute("SELECT count(*), sum(paid_minor) FROM sales WHERE staff_id = %s", (staff_id,))
    assert cur.fetchone() == (sold, revenue), "roll-ups differ from the sales"
    cur.execute("SELECT count(*) FROM votes WHERE staff_id = %s", (staff_id,))
    assert cur.fetchone() == (voted,), "roll-ups differ from the votes"


_FLOOR = """
SELECT staff_id,
  sum(sales), sum(revenue_minor), sum(with_card), sum(redeemed_points),
  sum(score_1), sum(score_2), sum(score_3), sum(score_4), sum(score_5),
  sum(CASE WHEN day >= %(recent)s THEN score_1 + 2*score_2 + 3*score_3 + 4*score_4 + 5*score_5 END),
  sum(CASE WHEN day >= %(earlier)s AND day < %(recent)s
      THEN score_1 + score_2 + score_3 + score_4 + score_5 END)
FROM staff_days WHERE day BETWEEN %(first)s AND %(last)s GROUP BY staff_id
"""
_RAW = """
SELECT s.staff_id, count(*), sum(s.paid_minor), count(s.customer_id), sum(s.redeemed_points)
FROM sales s GROUP BY s.staff_id;
"""
_RAW_VOTES = "SELECT staff_id, score, count(*) FROM votes GROUP BY staff_id, score"


def _timed(fn: Any, runs: int = RUNS) -> float:
    fn()  # warm-up: caches and plans
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _sign_in(base: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{base}/dashboard/login", timeout=30)
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token
    answer = browser.post(
        f"{base}/dashboard/login",
        data={"csrf": token.group(1), "login": "owner", "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text[:300]
    return browser


def run(scale: int | None) -> dict[str, Any]:
    sales = scale or DEFAULT_SCALE
    with support.fresh_database("scorecards") as url, tempfile.TemporaryDirectory() as folder:
        seeded_at = time.perf_counter()
        _seed(url, sales)
        seed_s = time.perf_counter() - seeded_at
        with support.operator(url) as uow:
            create_manager(
                "owner", "Owner", PASSWORD, ManagerRole.OWNER, (), uow, now=support.now_utc()
            )
        with psycopg.connect(support.libpq(url)) as conn:
            votes = conn.execute("SELECT count(*) FROM votes").fetchone()
            today = conn.execute("SELECT (now() AT TIME ZONE 'Europe/Moscow')::date").fetchone()
        assert votes is not None and today is not None
        last = today[0]
        first = last - timedelta(days=DAYS)
        query = {"from": first.isoformat(), "to": last.isoformat(), "lang": "en"}
        with support.server_process(url, 1, Path(folder)) as base:
            browser = _sign_in(base)

            def page() -> None:
                answer = browser.get(f"{base}/dashboard/", params=query, timeout=120)
                assert answer.status_code == 200 and answer.text.count('class="cashier"') == (
                    STORES * CASHIERS_PER_STORE
                ), answer.text[:300]

            seconds = _timed(page)
        params = {
            "first": first,
            "last": last,
            "recent": last - timedelta(days=27),
            "earlier": last - timedelta(days=55),
        }
        with psycopg.connect(support.libpq(url)) as conn:
            floor_s = _timed(lambda: conn.execute(_FLOOR, params).fetchall())
            raw_s = _timed(
                lambda: (conn.execute(_RAW).fetchall(), conn.execute(_RAW_VOTES).fetchall()),
                runs=1,
            )
    return {
        "benchmark": "scorecards",
        "cashiers": STORES * CASHIERS_PER_STORE,
        "sales": sales,
        "votes": int(votes[0]),
        "days": DAYS,
        "seconds": round(seconds, 4),
        "target_s": TARGET_S,
        "within_target": seconds <= TARGET_S,
        "floor_s": round(floor_s, 4),
        "ratio": round(seconds / floor_s, 2) if floor_s else None,
        "from_raw_facts_s": round(raw_s, 4),
        "seed_s": round(seed_s, 1),
        **support.run_conditions(),
    }
