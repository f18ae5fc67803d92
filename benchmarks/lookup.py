"""Find a customer by phone and by card among ``scale`` customers (default 1,000,000).

Ours: ``TillServices.identify`` as the checkout screen calls it -- normalise the
typed phone (or verify the card's check digit and MAC), find the customer and
card, load and project their ledger, and compute tier and balance. Each sampled
customer is looked up once, so no wallet is cached.
Floor: raw sqlite3 on an open connection: one indexed SELECT of the customer row.
Both run against a warm OS page cache (the file is read once first, as on a till that
has been open for a while), interleaved call by call so that machine noise hits both.
"""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks.stats import summary
from benchmarks.till_db import DEFAULT_SCALE, open_cached
from pos_client.services.demo_store import demo_card, demo_phone

SAMPLES = 3000


def _interleaved(ours: list[Any], floor: list[Any]) -> tuple[list[float], list[float]]:
    a: list[float] = []
    b: list[float] = []
    for mine, base in zip(ours, floor, strict=True):
        for call, out in ((mine, a), (base, b)):
            start = time.perf_counter_ns()
            call()
            out.append((time.perf_counter_ns() - start) / 1000)
    return a, b


def _warm_page_cache(path: Path) -> None:
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass


def run(scale: int | None) -> dict[str, Any]:
    scale = scale or DEFAULT_SCALE
    till, built = open_cached(scale)
    sv = till.services
    rng = random.Random(3)
    picks = rng.sample(range(scale), min(2 * SAMPLES, scale))
    phone_picks, card_picks = picks[:SAMPLES], picks[SAMPLES:] or picks[:SAMPLES]
    # Typed the way cashiers type: "8 9xx xxx-xx-xx".
    typed = [
        f"8 {p[2:5]} {p[5:8]}-{p[8:10]}-{p[10:]}" for p in (demo_phone(i) for i in phone_picks)
    ]
    cards = [demo_card(sv.ctx.card_codec, i) for i in card_picks]

    _warm_page_cache(till.settings.resolved_database_path)
    raw = sqlite3.connect(till.settings.resolved_database_path)
    raw.execute("PRAGMA query_only=ON")
    for text in typed[:100]:  # warm the code paths, not the customers measured below
        sv.identify(text)
    phones = [demo_phone(i) for i in phone_picks]
    phone_us, floor_phone = _interleaved(
        [lambda t=t: sv.identify(t) for t in typed[100:]],
        [
            lambda p=p: raw.execute(
                "SELECT id, phone, name, birthday FROM customers WHERE phone = ?", (p,)
            ).fetchone()
            for p in phones[100:]
        ],
    )
    card_us, floor_card = _interleaved(
        [lambda c=c: sv.identify(c) for c in cards],
        [
            lambda c=c: raw.execute(
                "SELECT c.id, c.phone, c.name FROM cards k JOIN customers c"
                " ON c.id = k.customer_id WHERE k.number = ?",
                (c,),
            ).fetchone()
            for c in cards
        ],
    )
    assert sv.identify(cards[0]).customer.phone == demo_phone(card_picks[0])
    raw.close()
    till.close()
    phone = summary(phone_us, "phone_")
    card = summary(card_us, "card_")
    floor_p = summary(floor_phone, "floor_phone_")
    floor_c = summary(floor_card, "floor_card_")
    return {
        "benchmark": "lookup",
        "scale": scale,
        "unit": "us",
        **phone,
        **card,
        **floor_p,
        **floor_c,
        "target_p99_us": 1000,
        "ratio_phone_p99": round(phone["phone_p99"] / floor_p["floor_phone_p99"], 1),
        "ratio_card_p99": round(card["card_p99"] / floor_c["floor_card_p99"], 1),
        "meets_target": max(phone["phone_p99"], card["card_p99"]) <= 1000,
        "floor": "raw sqlite3: one indexed SELECT of the customer (by phone / by card join)",
        "database_built_s": round(built, 1) if built is not None else None,
    }
