"""The demo store as someone trying the Quick start meets it: the README's staff and PINs, its
catalogue, its customer and card, and a third of the customers with history and a balance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from loyalty_core.cards import CardNumberCodec
from loyalty_core.ledger import EntryKind
from loyalty_core.phone import normalize_phone
from loyalty_core.rules import default_rules
from loyalty_core.staff import Role, WrongStaffPinError
from pos_client.bootstrap import Till
from pos_client.services.demo_store import (
    DEMO_FLOAT,
    SeedReport,
    demo_card,
    demo_data,
    demo_phone,
    generate_customers,
    seed_demo_store,
)
from resources.demo.dataset import (
    DEMO_GIFT_CARD_BALANCE,
    DEMO_GIFT_CARD_NUMBER,
    DEMO_GIFT_CARD_PIN,
)

README_STAFF = [  # the table in README.md
    ("Анна Смирнова", Role.CASHIER, "1111"),
    ("Олег Петров", Role.SENIOR, "2222"),
    ("Мария Иванова", Role.MANAGER, "9999"),
]


def _seed(seeded_till: Till, customers: int = 30) -> SeedReport:
    sv = seeded_till.services
    return seed_demo_store(sv.uows, seeded_till.engines, sv.ctx, customers=customers)


def test_seeding_reports_what_it_added(empty_till: Till) -> None:
    assert _seed(empty_till, customers=30) == SeedReport(3, 30, 30, seeded=True)


def test_a_till_that_already_has_staff_is_left_as_it_is(seeded_till: Till) -> None:
    with seeded_till.services.uows.reading() as uow:
        before = (len(uow.staff.active()), uow.products.count(), uow.outbox.queued())
    assert _seed(seeded_till) == SeedReport(0, 0, 0, seeded=False)
    with seeded_till.services.uows.reading() as uow:
        after = (len(uow.staff.active()), uow.products.count(), uow.outbox.queued())
    assert after == before
    assert len(seeded_till.services.search_customers("+7", limit=1_000)) == 60


def test_the_readme_staff_log_in_with_their_pins(seeded_till: Till) -> None:
    staff = {badge.name: badge for badge in seeded_till.services.staff_list()}
    assert sorted(staff) == sorted(name for name, _role, _pin in README_STAFF)
    for name, role, pin in README_STAFF:
        assert staff[name].role is role
        assert seeded_till.services.log_in(staff[name].id, pin).role is role
    anna = staff["Анна Смирнова"]
    with pytest.raises(WrongStaffPinError):
        seeded_till.services.log_in(anna.id, "9999")  # the manager's PIN is not hers


def test_the_demo_opens_shift_1_in_annas_name_with_5000_of_change(empty_till: Till) -> None:
    sv = empty_till.services
    _seed(empty_till, customers=3)
    report = sv.shift_report()
    anna = next(s for s in sv.staff_list() if s.name == "Анна Смирнова")
    assert anna.role is Role.CASHIER
    assert report is not None
    assert (report.number, report.opened_by, report.float_cash) == (1, anna.id, DEMO_FLOAT)
    assert DEMO_FLOAT == 500_000
    with sv.uows.reading() as uow:
        (opened,) = uow.outbox.for_aggregate(report.shift_id)
    assert (opened.kind, opened.payload["staff_id"]) == ("shift.opened", anna.id)


def test_the_catalogue_holds_the_demo_products_at_their_prices(seeded_till: Till) -> None:
    products = demo_data()["products"]
    assert len(products) == 30
    for item in products:
        product = seeded_till.services.product(item["barcode"])
        assert (product.name, product.price, product.category) == (
            item["name"],
            item["price"],
            item["category"],
        )
    beans = seeded_till.services.product("4600000000091")  # the README's coffee beans
    assert (beans.name, beans.price) == ("Кофе в зёрнах 1 кг", 149_900)


def test_the_demo_runs_on_the_default_rules_or_the_ones_given(empty_till: Till) -> None:
    sv = empty_till.services
    rules = default_rules().model_copy(update={"version": 903, "name": "Another program"})
    seed_demo_store(sv.uows, empty_till.engines, sv.ctx, customers=3, rules=rules)
    assert sv.rules() == rules


def test_the_default_demo_rules_are_the_default_program(seeded_till: Till) -> None:
    assert seeded_till.services.rules() == default_rules()


def test_the_readme_customer_is_found_by_phone_and_by_card(seeded_till: Till) -> None:
    by_phone = seeded_till.services.identify("8 912 001-23-45")
    by_card = seeded_till.services.identify("0000000001224466")
    assert by_phone.customer.id == by_card.customer.id
    assert by_card.card_number == "0000000001224466"
    assert by_phone.customer.name == "Иван Алексеев"
    assert (by_phone.tier_code, by_phone.balance.available) == ("gold", 23_600)


def test_a_third_of_the_customers_have_history_and_a_whole_rouble_balance(
    seeded_till: Till,
) -> None:
    for index in range(60):
        balance = seeded_till.services.identify(demo_phone(index)).balance
        if index % 3 == 0:
            # 5 to 399 ₽ of opening bonus, in whole roubles, usable now
            assert 500 <= balance.available <= 39_900
            assert balance.available % 100 == 0
        else:
            assert balance.available == 0 and balance.pending_total == 0


def test_a_customers_history_is_a_purchase_and_an_opening_balance_for_a_year(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(3)).customer
    with sv.uows.reading() as uow:
        entries = sorted(uow.ledger.of_customer(customer.id), key=lambda e: e.kind)
    purchase, opening = sorted(entries, key=lambda e: e.kind is EntryKind.ADJUSTMENT)
    assert purchase.kind is EntryKind.PURCHASE
    assert purchase.amount in (50_000, 300_000, 1_800_000, 6_000_000)
    assert opening.kind is EntryKind.ADJUSTMENT
    assert (opening.reason, opening.author) == ("demo opening balance", "demo")
    assert opening.points == 9_900  # customer 3's opening balance: 99 ₽
    assert opening.activates_at == opening.occurred_at == purchase.occurred_at
    assert opening.expires_at is not None
    assert opening.expires_at - opening.occurred_at == timedelta(days=365)
    now = datetime.now(UTC)
    assert now - timedelta(days=200) <= opening.occurred_at <= now - timedelta(days=20)
    assert {e.till_id for e in entries} == {sv.ctx.till_id}
    assert {e.rules_version for e in entries} == {default_rules().version}
    assert now - customer.created_at >= timedelta(days=400)


def test_demo_phones_and_cards_follow_the_readme_and_never_repeat() -> None:
    assert demo_phone(0) == "+79120012345"  # "8 912 001-23-45" in the README
    # Four mobile codes in turn; every fourth customer the number moves on by 7919.
    assert [demo_phone(i) for i in range(5)] == [
        "+79120012345",
        "+79160012345",
        "+79260012345",
        "+79030012345",
        "+79120020264",
    ]
    phones = [demo_phone(i) for i in range(4_000)]
    assert len(set(phones)) == 4_000
    assert all(normalize_phone(p, "RU") == p for p in phones[:200])
    assert demo_phone(39_999_999) != demo_phone(3)  # unique for 40 million customers
    codec = CardNumberCodec(bytes(range(32)))
    cards = [demo_card(codec, i) for i in range(4_000)]
    assert len(set(cards)) == 4_000
    assert all(codec.verify(card) == card for card in cards[:200])
    assert cards[0][:10] == "0000000001" and cards[1][:10] == "0000104730"


def test_demo_customers_are_the_same_on_every_seed() -> None:
    codec = CardNumberCodec(bytes(range(32)))
    first = [row[1:] for row in generate_customers(codec, 300)]
    again = [row[1:] for row in generate_customers(codec, 300)]
    assert first == again
    assert [row[0] for row in first] == [demo_phone(i) for i in range(300)]
    assert [row[3] for row in first] == [demo_card(codec, i) for i in range(300)]


def test_most_demo_customers_have_a_name_and_many_a_birthday(seeded_till: Till) -> None:
    data = demo_data()
    women = set(data["first_names"][10:])
    men = set(data["first_names"][:10])
    rows = list(generate_customers(seeded_till.services.ctx.card_codec, 1_000))
    named = [name for _id, _phone, name, _birthday, _card in rows if name]
    born = [day for _id, _phone, _name, day, _card in rows if day]
    assert 750 <= len(named) <= 850  # four in five
    assert 550 <= len(born) <= 650  # three in five
    for name in named:
        given, surname = name.split(" ")
        assert given in women | men
        family = surname.removesuffix("а") if given in women else surname
        assert family in data["last_names"]
        assert (surname != family) == (given in women)  # Попов / Попова
    # Born from 1950 to 2004: adults of every age.
    assert (min(born).year, max(born).year) == (1950, 2004)
    assert date(1950, 1, 1) <= min(born) and max(born) < date(2005, 1, 1)


# The first demo customers, as every seed makes them (the README names customer 0): phone,
# name, birthday, card, tier, bonus (kopecks), their purchase (kopecks) and how many days
# before seeding it was made.
FIRST_CUSTOMERS = [
    ("+79120012345", "Иван Алексеев", None, "0000000001224466", "gold", 23_600, 6_000_000, 135),
    ("+79160012345", "Екатерина Попова", date(1955, 3, 16), "0000104730121251", "bronze", 0,
     None, None),
    ("+79260012345", None, date(1957, 9, 17), "0000209459462487", "bronze", 0, None, None),
    ("+79030012345", "Андрей Михайлов", date(1988, 2, 1), "0000314188614509", "bronze", 9_900,
     300_000, 150),
    ("+79120020264", "Дарья Попова", None, "0000418917738468", "bronze", 0, None, None),
    ("+79160020264", "Дарья Смирнова", date(1985, 8, 3), "0000523646945172", "bronze", 0, None,
     None),
    ("+79260020264", "Павел Смирнов", date(1961, 12, 12), "0000628375751663", "gold", 32_700,
     6_000_000, 151),
]  # fmt: skip


def test_the_first_demo_customers_are_the_same_on_every_seed(seeded_till: Till) -> None:
    sv = seeded_till.services
    seen = []
    for index in range(len(FIRST_CUSTOMERS)):
        snapshot = sv.identify(demo_phone(index))
        customer = snapshot.customer
        with sv.uows.reading() as uow:
            entries = uow.ledger.of_customer(customer.id)
        purchases = [e for e in entries if e.kind is EntryKind.PURCHASE]
        amount = days = None
        if purchases:
            (purchase,) = purchases
            # Customers were created 400 days before seeding, so this is the purchase's age.
            amount, days = purchase.amount, 400 - (purchase.occurred_at - customer.created_at).days
        seen.append(
            (
                customer.phone,
                customer.name,
                customer.birthday,
                snapshot.card_number,
                snapshot.tier_code,
                snapshot.balance.available,
                amount,
                days,
            )
        )
    assert seen == FIRST_CUSTOMERS


def test_a_fresh_demo_till_gets_the_whole_catalogue_and_3000_customers_of_400_days(
    empty_till: Till,
) -> None:
    # Seeded in this test (not copied from the session's store): what seeding itself writes.
    sv = empty_till.services
    before = datetime.now(UTC)
    assert seed_demo_store(sv.uows, empty_till.engines, sv.ctx) == SeedReport(
        3, 30, 3_000, seeded=True
    )
    for item in demo_data()["products"]:
        product = sv.product(item["barcode"])
        assert (product.name, product.price, product.category) == (
            item["name"],
            item["price"],
            item["category"],
        )
    created = sv.identify(demo_phone(0)).customer.created_at
    since = before - created  # seeding began after ``before``: at most 400 days, just under
    assert timedelta(days=400) - timedelta(minutes=5) <= since <= timedelta(days=400)


def test_seeding_writes_the_opening_balances_and_the_gift_cards_money(till: Till) -> None:
    """On a till seeded here (not the session's copy): the first customer's opening balance
    and the demo gift card's 3 000,00, both from the seed's one ledger write."""
    sv = till.services
    assert sv.identify(demo_phone(0)).balance.available > 0
    card = sv.present_gift_card(DEMO_GIFT_CARD_NUMBER, DEMO_GIFT_CARD_PIN)
    assert card.balance == DEMO_GIFT_CARD_BALANCE
