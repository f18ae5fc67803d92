"""Price a 50-line cart for a customer with 2,000 ledger entries (target p99 <= 1 ms).

The customer's history is made by the engine itself (sales with redemption,
accrual, promo uses and some returns over two years), folded once into a
``Wallet``; pricing then reads that cached wallet, as the till does. The floor
is the minimal same work written as plainly as possible: one pass over 50 int
line amounts applying a tier discount, a capped redemption share and an
accrual rate, with the available balance already known as an int.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.stats import percentile, sample_us
from loyalty_core.ids import new_id
from loyalty_core.ledger import LedgerEntry
from loyalty_core.pricing import MAX, price_checkout
from loyalty_core.receipt import CartLine, CustomerState
from loyalty_core.returns import price_return
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet, project, wallet_from_snapshot, wallet_to_snapshot

CART_LINES = 50
DEFAULT_ENTRIES = 2_000
RUNS = 5_000
CUSTOMER = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


def _cart(rng: random.Random, lines: int) -> list[CartLine]:
    cart = []
    for n in range(lines):
        qty = rng.choice((1000, 1000, 2000, 3000))
        category = "tobacco" if n % 17 == 16 else "grocery"
        cart.append(
            CartLine(
                line_id=str(n),
                sku=f"46000000{n:05d}",
                name=f"Product {n}",
                quantity_milli=qty,
                amount=rng.randrange(3_000, 90_000) * qty // 1000,
                category=category,
            )
        )
    return cart


def build_history(
    rules: LoyaltyRules, entries: int, rng: random.Random
) -> tuple[list[LedgerEntry], datetime]:
    """A customer's ledger of ``entries`` entries, made by real sales and returns."""
    wallet = Wallet(CUSTOMER)
    ledger: list[LedgerEntry] = []
    now = datetime(2023, 1, 1, 9, tzinfo=UTC)

    def write(made: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> None:
        for entry in made:
            if entry.customer_id == CUSTOMER:
                wallet.apply(entry)
                ledger.append(entry)

    while len(ledger) < entries:
        now += timedelta(hours=rng.randrange(8, 30))
        cart = _cart(rng, rng.randrange(1, 8))
        receipt = price_checkout(
            rules,
            cart,
            now=now,
            customer=CustomerState(CUSTOMER, wallet),
            redeem=MAX if rng.random() < 0.4 else 0,
            promo_codes=["MINUS500"] if rng.random() < 0.05 else (),
        )
        sale_id = new_id()
        write(sale_entries(receipt, sale_id=sale_id, till_id="bench"))
        if rng.random() < 0.05:  # the first line comes back two hours later
            returned = price_return(
                rules,
                receipt,
                {cart[0].line_id: cart[0].quantity_milli},
                sale_id=sale_id,
                return_id=new_id(),
                till_id="bench",
                now=now + timedelta(hours=2),
                wallet=wallet,
            )
            write(returned.entries)
    return ledger[:entries], now + timedelta(hours=3)


def _floor(amounts: list[int], available: int) -> int:
    """Plain Python: discount, capped redemption and accrual over the line amounts."""
    total = 0
    for amount in amounts:
        total += amount - amount * 200 // 10_000
    redeem = min(available, total * 3000 // 10_000)
    accrual = 0
    for amount in amounts:
        net = amount - amount * 200 // 10_000
        paid = net - redeem * net // total
        accrual += paid * 500 // 10_000
    return accrual


def run(scale: int | None) -> dict[str, Any]:
    entries = scale or DEFAULT_ENTRIES
    rng = random.Random(20241201)
    rules = default_rules()
    ledger, now = build_history(rules, entries, rng)

    started = time.perf_counter_ns()
    wallet = project(CUSTOMER, ledger)
    project_ms = (time.perf_counter_ns() - started) / 1e6
    snapshot = wallet_to_snapshot(wallet)
    started = time.perf_counter_ns()
    wallet_from_snapshot(snapshot)
    snapshot_load_ms = (time.perf_counter_ns() - started) / 1e6

    customer = CustomerState(CUSTOMER, wallet)
    cart = _cart(rng, CART_LINES)
    receipt = price_checkout(
        rules, cart, now=now, customer=customer, redeem=MAX, promo_codes=["MINUS500"]
    )
    assert sum(ln.due for ln in receipt.lines) == receipt.due

    def price() -> object:
        return price_checkout(
            rules, cart, now=now, customer=customer, redeem=MAX, promo_codes=["MINUS500"]
        )

    amounts = [line.amount for line in cart]
    available = wallet.available(now)

    ours = sample_us(price, RUNS)
    floor = sample_us(lambda: _floor(amounts, available), RUNS)
    p50, p99 = percentile(ours, 50), percentile(ours, 99)
    floor_p50, floor_p99 = percentile(floor, 50), percentile(floor, 99)
    return {
        "benchmark": "pricing",
        "cart_lines": CART_LINES,
        "ledger_entries": len(ledger),
        "open_lots": sum(1 for lot in wallet.lots.values() if lot.remaining),
        "runs": RUNS,
        "p50_us": round(p50, 1),
        "p99_us": round(p99, 1),
        "target_p99_us": 1000,
        "meets_target": p99 <= 1000,
        "floor": "plain Python loop over 50 int amounts: discount, capped redemption, accrual",
        "floor_p50_us": round(floor_p50, 2),
        "floor_p99_us": round(floor_p99, 2),
        "ratio_p99": round(p99 / floor_p99, 1),
        "project_ledger_ms": round(project_ms, 2),
        "wallet_snapshot_load_ms": round(snapshot_load_ms, 2),
    }
