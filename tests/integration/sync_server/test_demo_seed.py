"""The demo store on the server (``sync-server seed-demo``, ``python3 dev.py demo``), as the
README's Quick start promises it: the coffee shop's name, its three staff logging in with the
README's PINs, the 30 products, 3,000 customers with cards (a third with history and a bonus
balance), the README's customer, the default rules; and seeding again changes nothing.

Each test seeds a migrated server database (SQLite and PostgreSQL) through
``sync_server.services.demo_seed.seed_demo`` and reads back the rows, or what a till pulls."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loyalty_core.cards import CardNumberCodec
from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.staff import hash_pin, pin_matches
from loyalty_core.wire.sync import PullResponseV1
from resources.demo.dataset import (
    DEMO_CARD_SECRET,
    demo_card,
    demo_customer_id,
    demo_data,
    demo_phone,
    generate_customers,
    opening_entries,
)
from sync_server.adapters.models import Card, Customer, Product, RulesVersion, Staff, Store
from sync_server.adapters.models import LedgerEntry as LedgerRow
from sync_server.services.demo_seed import DemoSeedReport, seed_demo
from sync_server.services.manage import balance
from sync_server.services.manager_auth import SignInRefusedError, sign_in
from sync_server.services.manager_ports import ManagerRole
from sync_server.services.pull import pull
from sync_server.services.sync_ports import NewCustomer
from sync_server.services.tills import TillRecord
from tests.integration.sync_server.enrollment_support import NOW, Server
from tests.integration.sync_server.sync_support import enrolled_till

STORE = "Кофейня «Зерно»"
STAFF = [  # the README's table: name, role, PIN
    ("Анна Смирнова", "cashier", "1111"),
    ("Олег Петров", "senior", "2222"),
    ("Мария Иванова", "manager", "9999"),
]
README_PHONE = "+79120012345"  # "identify customer `8 912 001-23-45`"
README_CARD = "0000000001224466"  # "(or scan card `0000000001224466`)"
MILK = ("4600000000015", "Молоко 3,2% 1 л", 8990, "dairy")  # the README's barcodes
COFFEE = ("4600000000091", "Кофе в зёрнах 1 кг", 149900, "coffee")
JOINED = NOW - timedelta(days=400)  # every demo customer registered and consented then
CODEC = CardNumberCodec(bytes.fromhex(DEMO_CARD_SECRET))


@pytest.fixture
def server(migrated_engine: Engine) -> Server:
    return Server(migrated_engine)


def _rows(engine: Engine, *columns: Any) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        return [tuple(row) for row in session.execute(select(*columns))]


def _count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _everything(engine: Engine) -> dict[str, Any]:
    """Every row the seed writes, and the feed's last position."""
    with Session(engine) as session:
        tables: dict[str, Any] = {
            model.__tablename__: sorted(
                tuple(str(v) for v in row)
                for row in session.execute(select(*model.__table__.columns))
            )
            for model in (Store, Staff, Product, RulesVersion, Customer, Card, LedgerRow)
        }
    server = Server(engine)
    with server.uow() as uow:
        tables["feed position"] = uow.sync.last_position()
    return tables


def _pull_all(server: Server, till: TillRecord) -> PullResponseV1:
    """Every page of the feed for ``till``, merged into one response."""
    page = pull(till, 0, None, server.uow(), now=NOW)
    merged = page
    while page.has_more:
        page = pull(till, page.next_cursor, None, server.uow(), now=NOW)
        for field in ("rules", "staff", "products", "customers", "cards", "ledger"):
            getattr(merged, field).extend(getattr(page, field))
    return merged


def test_the_report_names_the_demo_store_and_counts_what_was_seeded(server: Server) -> None:
    report = seed_demo(server.uow(), now=NOW, customers=7)

    stores = _rows(server.engine, Store.id, Store.name, Store.created_at)
    assert stores == [(report.store_id, STORE, NOW)]
    assert report == DemoSeedReport(report.store_id, STORE, 3, 30, 7, seeded=True)


def test_the_readme_dashboard_login_opens_every_store_as_an_owner(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=1)
    signed = sign_in("demo", "demo-owner-2026", server.uow(), now=NOW)
    assert (signed.viewer.name, signed.viewer.role, signed.viewer.store_ids) == (
        "Мария Иванова",
        ManagerRole.OWNER,
        None,
    )


def test_a_production_server_gets_no_demo_dashboard_login(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=1, dashboard_login=False)
    with pytest.raises(SignInRefusedError):
        sign_in("demo", "demo-owner-2026", server.uow(), now=NOW)


def test_the_readme_staff_log_in_to_the_demo_store_with_their_pins(server: Server) -> None:
    report = seed_demo(server.uow(), now=NOW, customers=1)

    rows = _rows(
        server.engine,
        Staff.name,
        Staff.role,
        Staff.store_id,
        Staff.pin_hash,
        Staff.failed_pin_attempts,
        Staff.locked_until,
        Staff.disabled_at,
        Staff.created_at,
    )
    by_name = {row[0]: row for row in rows}
    assert len(rows) == 3
    assert sorted((name, role) for name, role, *_ in rows) == sorted(
        (name, role) for name, role, _ in STAFF
    )
    for name, _role, pin in STAFF:
        _, _, store_id, pin_hash, failed, locked, disabled, created = by_name[name]
        assert (store_id, failed, locked, disabled, created) == (
            report.store_id,
            0,
            None,
            None,
            NOW,
        )
        assert pin_hash.startswith("$argon2id$")
        assert pin_matches(pin_hash, pin)
        others = [other for _, _, other in STAFF if other != pin]
        assert not any(pin_matches(pin_hash, other) for other in others)
    assert len({row[3] for row in rows}) == 3  # salted: no two hashes alike


def test_the_catalogue_is_the_datasets_thirty_products_for_every_store(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=1)

    rows = _rows(
        server.engine,
        Product.barcode,
        Product.name,
        Product.price_minor,
        Product.category,
        Product.store_id,
        Product.flags,
        Product.active,
        Product.updated_at,
    )
    products = sorted(row[:4] for row in rows)
    assert len(products) == 30
    assert products == sorted(
        (p["barcode"], p["name"], p["price"], p["category"]) for p in demo_data()["products"]
    )
    assert MILK in products and COFFEE in products
    # no store of its own: a till of any store gets the catalogue, every product on sale
    assert [row[4:] for row in rows] == [(None, [], True, NOW)] * 30


def test_the_default_rules_are_published_effective_from_the_seed(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=1)

    rows = _rows(
        server.engine,
        RulesVersion.version,
        RulesVersion.document,
        RulesVersion.created_at,
        RulesVersion.effective_at,
    )
    assert rows == [(1, default_rules().model_dump(mode="json"), NOW, NOW)]
    assert LoyaltyRules.model_validate(rows[0][1]) == default_rules()


def test_three_thousand_customers_by_default_each_with_an_active_card(server: Server) -> None:
    report = seed_demo(server.uow(), now=NOW)

    assert report.customers == 3000
    generated = list(generate_customers(CODEC, 3000))
    customers = _rows(
        server.engine,
        Customer.id,
        Customer.phone,
        Customer.name,
        Customer.birthday,
        Customer.email,
        Customer.heard_from,
        Customer.referrer_id,
        Customer.consent_given_at,
        Customer.consent_text_version,
        Customer.registered_till_id,
        Customer.registered_by_staff_id,
        Customer.created_at,
    )
    assert sorted(customers) == sorted(
        (cid, phone, name, birthday, None, None, None, JOINED, "demo", None, None, JOINED)
        for cid, phone, name, birthday, _card in generated
    )
    assert [row[:2] for row in generated[:3]] == [
        (demo_customer_id(0), README_PHONE),
        (demo_customer_id(1), "+79160012345"),
        (demo_customer_id(2), "+79260012345"),
    ]
    cards = _rows(
        server.engine,
        Card.number,
        Card.customer_id,
        Card.status,
        Card.issued_at,
        Card.status_changed_at,
        Card.replaced_by,
    )
    assert sorted(cards) == sorted(
        (demo_card(CODEC, i), demo_customer_id(i), "active", JOINED, None, None)
        for i in range(3000)
    )
    # a third have history: the first customer and every third after, two entries each
    rows = _rows(server.engine, LedgerRow.customer_id, LedgerRow.kind, LedgerRow.amount_minor)
    # and the demo's gift card its 3 000,00 (the README's card, PIN 4321)
    assert [r for r in rows if r[0] is None] == [(None, "gift_card_load", 300_000)]
    entries = [(cid, kind) for cid, kind, _amount in rows if cid is not None]
    assert len(entries) == 2000
    assert sorted(entries) == sorted(
        (demo_customer_id(i), kind)
        for i in range(0, 3000, 3)
        for kind in ("purchase", "adjustment")
    )
    totals = _rows(server.engine, func.sum(LedgerRow.points), func.sum(LedgerRow.amount_minor))
    assert totals == [(19_475_500, 1_987_400_000 + 300_000)]  # customers' spend, the gift card


def test_the_history_is_spend_and_an_opening_balance_months_ago(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=7)

    rows = list(generate_customers(CODEC, 7))
    with server.uow() as uow:
        ledger = uow.sync.ledger_of(demo_customer_id(i) for i in range(7))
    expected = opening_entries(rows, NOW, "server", 1)
    assert sorted(e.id for entries in ledger.values() for e in entries) == sorted(
        e.id for e in expected
    )
    assert {cid: len(entries) for cid, entries in ledger.items()} == {
        demo_customer_id(i): 2 if i % 3 == 0 else 0 for i in range(7)
    }
    by_id = {e.id: e for entries in ledger.values() for e in entries}
    assert [by_id[e.id] for e in expected] == expected
    for purchase, opening in zip(expected[::2], expected[1::2], strict=True):
        assert purchase.kind is EntryKind.PURCHASE and opening.kind is EntryKind.ADJUSTMENT
        assert timedelta(days=20) <= NOW - purchase.occurred_at < timedelta(days=200)
        assert opening.occurred_at == opening.activates_at == purchase.occurred_at
        assert opening.expires_at == opening.occurred_at + timedelta(days=365)
        assert (purchase.till_id, opening.till_id) == ("server", "server")
    written = _rows(server.engine, LedgerRow.event_id, LedgerRow.recorded_at)
    # the server's own entries, from no pushed event: 3 customers × 2, and the gift card's load
    assert written == [(None, NOW)] * 7


def test_the_readme_customer_has_their_phone_card_and_bonus_balance(server: Server) -> None:
    seed_demo(server.uow(), now=NOW, customers=3)

    with server.uow() as uow:
        customer_id = uow.sync.customer_id_by_phone(README_PHONE)
        assert customer_id is not None
        assert uow.sync.card_owner(README_CARD) == customer_id
        entries = uow.sync.ledger_of([customer_id])[customer_id]
    assert customer_id == demo_customer_id(0)
    with Session(server.engine) as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        assert (customer.name, customer.birthday) == ("Иван Алексеев", None)
    when = NOW - timedelta(days=135)
    assert sorted(entries, key=lambda e: e.kind.value, reverse=True) == [
        LedgerEntry(
            id=derived_id(customer_id, "demo:purchase"),
            kind=EntryKind.PURCHASE,
            occurred_at=when,
            till_id="server",
            rules_version=1,
            customer_id=customer_id,
            amount=6_000_000,
        ),
        LedgerEntry(
            id=derived_id(customer_id, "demo:opening"),
            kind=EntryKind.ADJUSTMENT,
            occurred_at=when,
            till_id="server",
            rules_version=1,
            customer_id=customer_id,
            points=23_600,
            activates_at=when,
            expires_at=when + timedelta(days=365),
            reason="demo opening balance",
            author="demo",
        ),
    ]
    shown = balance(customer_id, server.uow(), now=NOW)
    assert (shown.available, shown.pending, shown.debt) == (23_600, 0, 0)
    # the second and third customers have no history and no balance
    for index in (1, 2):
        other = balance(demo_customer_id(index), server.uow(), now=NOW)
        assert (other.available, other.pending, other.debt) == (0, 0, 0)


def test_a_till_of_the_demo_store_pulls_all_of_it(server: Server) -> None:
    report = seed_demo(server.uow(), now=NOW, customers=7)
    till = enrolled_till(server, store=STORE)

    pulled = _pull_all(server, till)
    assert till.store.id == report.store_id
    assert pulled.store.name == STORE
    assert [(r.version, r.effective_at) for r in pulled.rules] == [(1, NOW)]
    assert sorted((s.name, s.role, s.disabled) for s in pulled.staff) == sorted(
        (name, role, False) for name, role, _ in STAFF
    )
    assert sorted((p.barcode, p.name, p.price, p.category) for p in pulled.products) == sorted(
        (p["barcode"], p["name"], p["price"], p["category"]) for p in demo_data()["products"]
    )
    assert sorted(pulled.customers) == sorted(
        (cid, phone, name, birthday, None, JOINED, None)
        for cid, phone, name, birthday, _card in generate_customers(CODEC, 7)
    )
    assert sorted(pulled.cards) == sorted(
        (demo_card(CODEC, i), demo_customer_id(i), "active", JOINED, None) for i in range(7)
    )
    assert len(pulled.ledger) == 7  # 3 customers with history × 2, the gift card's load
    assert [g.number for g in pulled.gift_cards] == ["7700000000000017"]


def test_a_till_of_another_store_gets_the_catalogue_but_not_the_demo_staff(
    server: Server,
) -> None:
    seed_demo(server.uow(), now=NOW, customers=1)
    till = enrolled_till(server, store="Main street")

    pulled = _pull_all(server, till)
    assert pulled.staff == []
    assert len(pulled.products) == 30


def test_seeding_again_changes_nothing_and_says_so(server: Server) -> None:
    first = seed_demo(server.uow(), now=NOW, customers=4)
    before = _everything(server.engine)

    again = seed_demo(server.uow(), now=NOW + timedelta(days=1), customers=10)

    assert again == DemoSeedReport(first.store_id, STORE, 0, 0, 0, seeded=False)
    assert _everything(server.engine) == before


def test_a_store_with_the_demo_name_but_no_staff_yet_is_seeded_in_place(server: Server) -> None:
    issued = server.issue(STORE)  # an enrollment code made the store before the seed

    report = seed_demo(server.uow(), now=NOW + timedelta(hours=1), customers=1)

    assert report == DemoSeedReport(issued.store.id, STORE, 3, 30, 1, seeded=True)
    assert _rows(server.engine, Store.id) == [(issued.store.id,)]
    assert _rows(server.engine, Staff.store_id) == [(issued.store.id,)] * 3


def test_staff_of_another_store_do_not_stop_the_demo_seed(server: Server) -> None:
    other = server.issue("Main street").store
    with server.uow() as uow:
        uow.sync.add_staff(new_id(), other.id, "Пётр Сидоров", "cashier", hash_pin("4321"), NOW)
        uow.commit()

    report = seed_demo(server.uow(), now=NOW, customers=1)

    assert report.seeded is True and report.store_id != other.id
    assert _count(server.engine, Staff) == 4


def test_a_seed_that_fails_half_way_leaves_nothing_behind(server: Server) -> None:
    with server.uow() as uow:  # someone already registered the third demo customer's phone
        uow.sync.add_customer(
            NewCustomer(
                id=new_id(),
                phone=demo_phone(2),
                name=None,
                birthday=None,
                email=None,
                heard_from=None,
                referrer_id=None,
                consent_given_at=NOW,
                consent_text_version="2026-01",
                till_id=None,
                created_at=NOW,
            )
        )
        uow.commit()
    before = _everything(server.engine)

    with pytest.raises(IntegrityError):
        seed_demo(server.uow(), now=NOW, customers=3)

    assert _everything(server.engine) == before  # no store, staff or rules: a re-run seeds
