"""The demo store: staff with known PINs, a catalogue, rules and a few thousand customers.

Generated customers are deterministic (same seed, same phones and cards), so
the README and benchmarks can name real ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty_core.catalog import Product
from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.staff import Role, StaffMember, hash_pin
from pos_client.adapters.bulk_load import load_customers
from pos_client.adapters.sqlite_engine import TillEngines
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.services.context import TillContext
from pos_client.services.shifts import open_shift
from resources.demo.dataset import (
    DEMO_FILE,
    CustomerRow,
    demo_card,
    demo_data,
    demo_gift_card,
    demo_gift_card_load,
    demo_phone,
    generate_customers,
    opening_entries,
)

__all__ = [
    "DEMO_FILE",
    "SeedReport",
    "demo_card",
    "demo_data",
    "demo_phone",
    "generate_customers",
    "seed_demo_store",
]


@dataclass(frozen=True)
class SeedReport:
    staff: int
    products: int
    customers: int
    seeded: bool


DEMO_FLOAT = 500_000  # 5 000,00 of change in the drawer when the demo's shift opens


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
    # A shift is open, so the demo sells at once (F10 shows its X report and closes it).
    with uows.reading() as uow:
        opener = next(s for s in uow.staff.active() if s.role is Role.CASHIER)
    open_shift(opener.id, DEMO_FLOAT, uows.writing(), ctx)
    return SeedReport(len(data["staff"]), len(data["products"]), len(rows), seeded=True)


def _opening_balances(
    uows: UnitOfWorkFactory, ctx: TillContext, rows: list[CustomerRow], now: datetime
) -> None:
    version = default_rules().version
    entries = opening_entries(rows, now, ctx.till_id, version)
    gift_card = demo_gift_card(now)
    with uows.writing() as uow:
        uow.ledger.add([*entries, demo_gift_card_load(gift_card, now, ctx.till_id, version)])
        uow.gift_cards.put(gift_card)
        uow.commit()
