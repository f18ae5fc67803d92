"""The demo store: staff with known PINs, a catalogue, rules and a few thousand customers.

Generated customers are deterministic (same seed, same phones and cards), so
the README and benchmarks can name real ones.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import resources
from loyalty_core.cards import CardNumberCodec
from loyalty_core.catalog import Product
from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.staff import Role, StaffMember, hash_pin
from pos_client.adapters.bulk_load import load_customers
from pos_client.adapters.sqlite_engine import TillEngines
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.services.context import TillContext

DEMO_FILE = Path(resources.__file__).parent / "demo" / "store.json"
_FEMALE_FROM = 10  # first_names[10:] are women's names


def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return data


_MOBILE_CODES = ("912", "916", "926", "903")  # ranges where every number is valid


def demo_phone(index: int) -> str:
    """The ``index``-th demo customer's phone: unique for 40 million indexes."""
    code = _MOBILE_CODES[index % len(_MOBILE_CODES)]
    return f"+7{code}{(index // len(_MOBILE_CODES) * 7_919 + 12_345) % 10**7:07d}"


def demo_card(codec: CardNumberCodec, index: int) -> str:
    return codec.number_for(f"{(index * 104_729 + 1) % 10**10:010d}")


@dataclass(frozen=True)
class SeedReport:
    staff: int
    products: int
    customers: int
    seeded: bool


def generate_customers(
    codec: CardNumberCodec, count: int, seed: int = 7
) -> Iterator[tuple[str, str, str | None, date | None, str]]:
    data = demo_data()
    first, last = data["first_names"], data["last_names"]
    rng = random.Random(seed)
    for i in range(count):
        name = None
        birthday = None
        if rng.random() < 0.8:
            fi = rng.randrange(len(first))
            surname = rng.choice(last) + ("а" if fi >= _FEMALE_FROM else "")
            name = f"{first[fi]} {surname}"
        if rng.random() < 0.6:
            birthday = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        yield new_id(), demo_phone(i), name, birthday, demo_card(codec, i)


def seed_demo_store(
    uows: UnitOfWorkFactory,
    engines: TillEngines,
    ctx: TillContext,
    customers: int = 3000,
    rules: LoyaltyRules | None = None,
) -> SeedReport:
    """Seed an empty till; a till that already has staff is left as it is."""
    data = demo_data()
    now = ctx.clock()
    with uows.writing() as uow:
        if uow.staff.active():
            return SeedReport(0, 0, 0, seeded=False)
        uow.rules.save(rules or default_rules(), now)
        for person in data["staff"]:
            uow.staff.add(
                StaffMember(
                    id=new_id(),
                    name=person["name"],
                    role=Role(person["role"]),
                    pin_hash=hash_pin(person["pin"]),
                )
            )
        uow.products.add_many(
            [
                Product(new_id(), p["barcode"], p["name"], p["price"], p["category"])
                for p in data["products"]
            ]
        )
        uow.commit()
    rows = list(generate_customers(ctx.card_codec, customers))
    load_customers(engines.write, rows, now - timedelta(days=400))
    _opening_balances(uows, ctx, rows, now)
    return SeedReport(len(data["staff"]), len(data["products"]), len(rows), seeded=True)


def _opening_balances(
    uows: UnitOfWorkFactory,
    ctx: TillContext,
    rows: list[tuple[str, str, str | None, date | None, str]],
    now: datetime,
) -> None:
    """Give a third of the demo customers some history: spend (for tiers) and bonus."""
    rng = random.Random(11)
    rules = default_rules()
    entries: list[LedgerEntry] = []
    for customer_id, *_rest in rows[::3]:
        when = now - timedelta(days=rng.randrange(20, 200))
        spend = rng.choice((50_000, 300_000, 1_800_000, 6_000_000))
        base = LedgerEntry(
            id=derived_id(customer_id, "demo:purchase"),
            kind=EntryKind.PURCHASE,
            occurred_at=when,
            till_id=ctx.till_id,
            rules_version=rules.version,
            customer_id=customer_id,
            amount=spend,
        )
        entries.append(base)
        entries.append(
            LedgerEntry(
                id=derived_id(customer_id, "demo:opening"),
                kind=EntryKind.ADJUSTMENT,
                occurred_at=when,
                till_id=ctx.till_id,
                rules_version=rules.version,
                customer_id=customer_id,
                points=rng.randrange(5, 400) * 100,
                activates_at=when,
                expires_at=when + timedelta(days=365),
                reason="demo opening balance",
                author="demo",
            )
        )
    with uows.writing() as uow:
        uow.ledger.add(entries)
        uow.commit()
