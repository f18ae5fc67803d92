"""The demo store on the server: what ``python3 dev.py demo`` puts there for its tills to pull.

Staff with the README's PINs, the catalogue, the default rules and a few thousand
customers with cards, a third of them with history: the same data a till seeds for its
tests (``resources.demo.dataset``), so the README's customers are found at every demo
till once it has pulled. A store that already has staff is left as it is. The managers'
dashboard gets the owner's login of the demo data (``dashboard_login``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty_core.cards import CardNumberCodec
from loyalty_core.ids import new_id
from loyalty_core.rules import default_rules
from loyalty_core.staff import hash_pin
from resources.demo.dataset import (
    DEMO_CARD_SECRET,
    demo_data,
    demo_gift_card,
    demo_gift_card_load,
    generate_customers,
    opening_entries,
)
from sync_server.services.manager_auth import create_manager
from sync_server.services.manager_ports import ManagerRole
from sync_server.services.sync_ports import NewCustomer
from sync_server.services.unit_of_work import UnitOfWork

SERVER_TILL = "server"  # the till_id of entries the server itself makes


@dataclass(frozen=True, slots=True)
class DemoSeedReport:
    store_id: str
    store_name: str
    staff: int
    products: int
    customers: int
    seeded: bool


def seed_demo(
    uow: UnitOfWork, *, now: datetime, customers: int = 3000, dashboard_login: bool = True
) -> DemoSeedReport:
    """``dashboard_login``: the demo owner's login (its password is in the README: never on a
    production server)."""
    data = demo_data()
    name = data["store"]["name"]
    rules = default_rules()
    with uow:
        store = uow.stores.get_or_add(name, new_id(), now)
        if uow.sync.store_has_staff(store.id):
            return DemoSeedReport(store.id, name, 0, 0, 0, seeded=False)
        uow.sync.add_rules_version(rules, now, now)
        for person in data["staff"]:
            uow.sync.add_staff(
                new_id(), store.id, person["name"], person["role"], hash_pin(person["pin"]), now
            )
        for p in data["products"]:
            uow.sync.add_product(
                new_id(), None, p["barcode"], p["name"], p["price"], p["category"], (), now
            )
        codec = CardNumberCodec(bytes.fromhex(DEMO_CARD_SECRET))
        rows = list(generate_customers(codec, customers))
        joined = now - timedelta(days=400)
        for customer_id, phone, person_name, birthday, card in rows:
            uow.sync.add_customer(
                NewCustomer(
                    id=customer_id,
                    phone=phone,
                    name=person_name,
                    birthday=birthday,
                    email=None,
                    heard_from=None,
                    referrer_id=None,
                    consent_given_at=joined,
                    consent_text_version="demo",
                    till_id=None,
                    created_at=joined,
                )
            )
            uow.sync.add_card(card, customer_id, "active", joined)
        gift_card = demo_gift_card(now)
        uow.sync.add_gift_card(gift_card, now)
        entries = opening_entries(rows, now, SERVER_TILL, rules.version)
        entries.append(demo_gift_card_load(gift_card, now, SERVER_TILL, rules.version))
        uow.sync.add_entries(entries, None, now)
        uow.commit()
    login = data["dashboard_login"]
    if dashboard_login:
        create_manager(
            login["login"], login["name"], login["password"], ManagerRole.OWNER, (), uow, now=now
        )
    return DemoSeedReport(
        store.id, name, len(data["staff"]), len(data["products"]), len(rows), seeded=True
    )
