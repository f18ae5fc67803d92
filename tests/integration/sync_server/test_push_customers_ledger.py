"""Push as a store manager checks a customer's record and ledger, on real SQLite and
PostgreSQL: the details a registration carries (the referrer named by the id the till knows),
a registration or a questionnaire sent under an alias, details corrected in the same push as
a sale, ids a till got wrong, a promo's uses counted within one push, and a rejected event
retried after its copy was applied.

Events are built as the till builds them (``push_support``), with the demo rules
(``default_rules``): a welcome bonus of 200.00 (20000 points), 100.00 (10000) for a completed
questionnaire, 500.00 (50000) on a birthday; Bronze earns 3%; a first purchase earns 50% in
all (3% plus a boost of 47%).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.ids import new_id
from loyalty_core.ledger import BonusKind, LedgerEntry, derived_id
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind, default_rules
from loyalty_core.wallet import Wallet
from loyalty_core.wire.events import (
    ConsentV1,
    CustomerChangedV1,
    CustomerRegisteredV1,
    CustomerV1,
    QuestionnaireCompletedV1,
    QuestionnaireV1,
)
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.sync import EventResultV1, SettlementV1
from sync_server.adapters.models import Customer, CustomerAlias, Staff
from sync_server.adapters.models import Store as StoreRow
from sync_server.services.push import retry_event
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, Till, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, the store's time zone
PUSHED_AT = T0 + timedelta(hours=8)  # the tills come back online in the evening


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def applied(results: Sequence[EventResultV1]) -> list[EventResultV1]:
    assert statuses(results) == ["applied"] * len(results), [(r.code, r.message) for r in results]
    return list(results)


def answers(result: EventResultV1) -> tuple[str, str | None, str | None]:
    return (result.status, result.code, result.message)


def customer_row(shop: Store, customer_id: str) -> Customer:
    with shop.session() as session:
        return session.get_one(Customer, customer_id)


def details(row: Customer) -> tuple[Any, ...]:
    return (row.name, row.email, row.heard_from, row.birthday, row.referrer_id)


def change(till: Till, customer_id: str, at: datetime, changed: list[Any], **fields: Any) -> None:
    """A ``customer.changed`` event in the till's outbox."""
    payload = CustomerChangedV1(
        customer_id=customer_id,
        details=QuestionnaireV1(**fields),
        changed=changed,
        staff_id=new_id(),
        till_id=till.till_id,
        at=at,
    )
    till.event("customer.changed", customer_id, at, payload)


def questionnaire_bonus(till: Till, customer_id: str, at: datetime) -> LedgerEntry:
    """The questionnaire's bonus as the till grants it: its id derives from the customer's."""
    entry = one_off_bonus_entry(
        RULES,
        BonusKind.QUESTIONNAIRE,
        wallet=Wallet(customer_id),
        event_id=customer_id,
        now=at,
        till_id=till.till_id,
    )
    assert entry is not None
    return entry


def merged_phone(shop: Store, phone: str) -> tuple[str, str]:
    """One phone registered at both tills, welcome bonus only: till 1's id is kept and till
    2's is its alias. 200 + 200 - 200 taken back = 200.00 on the kept customer."""
    first, _ = shop.one.register(phone, at=T0)
    second, _ = shop.two.register(phone, at=T0 + timedelta(minutes=30))
    applied(shop.one.push(now=PUSHED_AT))
    (merged,) = applied(shop.two.push(now=PUSHED_AT))
    assert [(s.kind, s.points) for s in merged.settlements] == [("customer_merged", 20_000)]
    return first, second


# -- what a registration carries -------------------------------------------------------
def test_a_registration_keeps_its_details_and_names_the_referrer_by_the_kept_id(
    shop: Store,
) -> None:
    anna, _ = shop.one.register("+79167770001", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    # Till 2, offline, registered Anna again as its own id, and then Boris, who came on
    # Anna's recommendation: it names her by the id it knows.
    anna_2, _ = shop.two.register("+79167770001", at=T0 + timedelta(minutes=10))
    boris, registered = shop.two.register(
        "+79167770002", at=T0 + timedelta(minutes=20), birthday=date(1985, 7, 14)
    )
    registered["payload"]["customer"].update(
        name="Борис Петров",
        email="boris@example.com",
        heard_from="a friend",
        referrer_id=anna_2,
    )

    merged, _ = applied(shop.two.push(now=PUSHED_AT))

    assert merged.settlements[0].kind == "customer_merged"
    row = customer_row(shop, boris)
    assert details(row) == (
        "Борис Петров",
        "boris@example.com",
        "a friend",
        date(1985, 7, 14),
        anna,  # the alias anna_2 is Anna's kept id on the server
    )
    assert (row.phone, row.registered_till_id) == ("+79167770002", shop.two.till_id)
    # Boris's 200.00 welcome bonus is his, recorded by his registration's event.
    welcome = [(r.id, r.customer_id, r.points, str(r.event_id)) for r in shop.ledger(boris)]
    assert welcome == [
        (derived_id(boris, "bonus:welcome"), boris, 20_000, registered["event_id"]),
    ]
    # Anna's own record names no referrer.
    assert customer_row(shop, anna).referrer_id is None


def test_a_registration_sent_again_under_a_new_event_id_adds_only_what_the_server_lacks(
    shop: Store,
) -> None:
    first, second = merged_phone(shop, "+79167770003")
    # Till 2 rebuilt its outbox: the same registration of `second`, under a new event id,
    # now with the questionnaire the customer filled in (its 100.00 bonus, never given).
    at = T0 + timedelta(minutes=30)
    bonuses = [e for e in shop.two.ledger if e.customer_id == second]
    bonuses.append(questionnaire_bonus(shop.two, second, at))
    payload = CustomerRegisteredV1(
        customer=CustomerV1(id=second, phone="+79167770003", created_at=at),
        consent=ConsentV1(given_at=at, text_version="2026-01", channel="till"),
        card=None,
        entries=entries_of(bonuses),
        staff_id=new_id(),
        till_id=shop.two.till_id,
    )
    again = shop.two.event("customer.registered", second, at, payload)

    (result,) = applied(shop.two.push(now=PUSHED_AT))

    assert result.settlements == []  # not a second merge
    with shop.session() as session:
        aliases = [(a.alias_id, a.customer_id) for a in session.scalars(select(CustomerAlias))]
    assert aliases == [(second, first)]
    # Till 2's welcome bonus is on the server already and is not added again; the
    # questionnaire bonus is new: it goes to the kept customer, recorded by this event.
    mine = sorted(
        (r.id, r.customer_id, r.points, str(r.event_id) == again["event_id"])
        for r in shop.ledger(first)
        if r.till_id == shop.two.till_id
    )
    assert mine == sorted(
        [
            (derived_id(second, "bonus:welcome"), first, 20_000, False),
            (derived_id(second, "bonus:questionnaire"), first, 10_000, True),
        ]
    )
    # 200 + 200 - 200 (taken back at the merge) + 100 = 300.00
    assert shop.available(first, PUSHED_AT) == 30_000


# -- questionnaire and corrections -------------------------------------------------------
def test_a_questionnaire_completed_under_the_alias_is_the_kept_customers(shop: Store) -> None:
    first, second = merged_phone(shop, "+79167770004")
    at = T0 + timedelta(hours=2)
    # Till 2 has not pulled: the customer fills in the questionnaire under till 2's id.
    bonus = questionnaire_bonus(shop.two, second, at)
    payload = QuestionnaireCompletedV1(
        customer_id=second,
        answers=QuestionnaireV1(
            name="Галина Орлова",
            birthday=date(1979, 11, 3),
            email="galina@example.com",
            heard_from="billboard",
        ),
        entries=entries_of([bonus]),
        staff_id=new_id(),
        till_id=shop.two.till_id,
        at=at,
    )
    event = shop.two.event("questionnaire.completed", second, at, payload)

    applied(shop.two.push(now=PUSHED_AT))

    assert details(customer_row(shop, first)) == (
        "Галина Орлова",
        "galina@example.com",
        "billboard",
        date(1979, 11, 3),
        None,
    )
    stored = [
        (r.customer_id, r.points, r.ref, str(r.event_id))
        for r in shop.ledger(first)
        if r.id == derived_id(second, "bonus:questionnaire")
    ]
    assert stored == [(first, 10_000, "questionnaire", event["event_id"])]
    # 200 + 200 - 200 (taken back at the merge) + 100 = 300.00
    assert shop.available(first, PUSHED_AT) == 30_000


def test_details_corrected_in_the_push_that_registers_the_customer_are_stored(
    shop: Store,
) -> None:
    vera, _ = shop.one.register("+79167770005", at=T0)
    later = T0 + timedelta(minutes=5)
    # The cashier fixes the name and adds the e-mail and where she heard of the store; a
    # birthday was typed but not saved as changed: it stays empty.
    change(
        shop.one,
        vera,
        later,
        ["name", "email", "heard_from"],
        name="Вера Иванова",
        email="vera@example.com",
        heard_from="instagram",
        birthday=date(2000, 1, 1),
    )

    applied(shop.one.push(now=PUSHED_AT))

    assert details(customer_row(shop, vera)) == (
        "Вера Иванова",
        "vera@example.com",
        "instagram",
        None,
        None,
    )


def test_a_birthday_corrected_before_a_sale_in_the_same_push_prices_its_bonus(
    shop: Store,
) -> None:
    anna, _ = shop.one.register("+79167770006", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    # Next, offline: her birthday, today, is entered, and she buys 1,000.00 an hour later.
    change(shop.one, anna, T0 + timedelta(minutes=5), ["birthday"], birthday=date(1990, 3, 2))
    shop.one.birthdays[anna] = date(1990, 3, 2)
    sale_id, receipt, _ = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1))
    # First purchase: 3% + 47% boost = 500.00; and the 500.00 birthday bonus.
    assert (receipt.accrual + receipt.boost, [b.points for b in receipt.bonuses]) == (
        50_000,
        [50_000],
    )

    changed, sold = applied(shop.one.push(now=PUSHED_AT))

    # The server prices the sale with the birthday it has just been told: the same.
    assert (changed.settlements, sold.settlements) == ([], [])
    assert customer_row(shop, anna).birthday == date(1990, 3, 2)
    assert [(r.points, r.sale_id) for r in shop.ledger(anna) if r.ref == "birthday"] == [
        (50_000, sale_id)
    ]


# -- ids a till got wrong ------------------------------------------------------------------
def test_events_with_ids_the_server_cannot_take_are_rejected_naming_them_and_write_nothing(
    shop: Store,
) -> None:
    anna, _ = shop.one.register("+79167770007", at=T0)
    boris, _ = shop.one.register("+79167770008", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    at = T0 + timedelta(hours=1)
    # A registration under an id that is not a UUID (no bonus: its ids would derive from it).
    _, not_uuid = shop.one.register("+79167770009", at=at, bonuses=False)
    not_uuid["payload"]["customer"]["id"] = "till-1/customer-7"
    # Its correction, under the same id.
    change(shop.one, "till-1/customer-7", at, ["name"], name="Кто-то")
    # A registration whose welcome bonus names a customer id that is not a UUID.
    gleb, foreign_owner = shop.one.register("+79167770010", at=at)
    foreign_owner["payload"]["entries"][0]["customer_id"] = "till-1/customer-8"
    # An adjustment for Anna whose entry is Boris's.
    boris_entry = shop.one.adjust(anna, 1_000, at)
    boris_entry["payload"]["entries"][0]["customer_id"] = boris

    results = shop.one.push(now=PUSHED_AT)

    welcome = derived_id(gleb, "bonus:welcome")
    entry = boris_entry["payload"]["entries"][0]["id"]
    assert [answers(r) for r in results] == [
        ("rejected", "event.invalid", "customer.id 'till-1/customer-7' is not a UUID."),
        ("rejected", "event.invalid", "customer_id 'till-1/customer-7' is not a UUID."),
        (
            "rejected",
            "event.customer_mismatch",
            f"Entry {welcome} belongs to customer till-1/customer-8, not to {gleb} of the event.",
        ),
        (
            "rejected",
            "event.customer_mismatch",
            f"Entry {entry} belongs to customer {boris}, not to {anna} of the event.",
        ),
    ]
    with shop.session() as session:
        phones = list(session.scalars(select(Customer.phone).order_by(Customer.phone)))
    assert phones == ["+79167770007", "+79167770008"]  # nobody new
    assert shop.entry_count() == 2  # Anna's and Boris's welcome bonuses only
    assert (shop.available(anna, PUSHED_AT), shop.available(boris, PUSHED_AT)) == (20_000, 20_000)


def test_an_entry_whose_id_is_not_a_uuid_is_rejected_naming_it(shop: Store) -> None:
    # On PostgreSQL the push's read-ahead once asked the uuid column for 'adj-1' and the
    # whole batch failed (DataError) instead of this one event being refused.
    anna, _ = shop.one.register("+79167770011", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    event = shop.one.adjust(anna, 1_000, T0 + timedelta(hours=1))
    event["payload"]["entries"][0]["id"] = "adj-1"

    (result,) = shop.one.push(now=PUSHED_AT)

    assert answers(result) == ("rejected", "event.invalid", "entry id 'adj-1' is not a UUID.")
    assert shop.available(anna, PUSHED_AT) == 20_000  # the welcome bonus only


# -- a promo's uses within one push ---------------------------------------------------
SPRING = PromoCode(code="SPRING", kind=PromoKind.PERCENT, value=1000, max_uses=2)


@pytest.fixture
def spring_shop(migrated_engine: Engine) -> Store:
    """The demo rules with SPRING: 10% off, two uses in all, by anyone."""
    rules = RULES.model_copy(update={"promos": (*RULES.promos, SPRING)})
    return two_tills(migrated_engine, rules, published_at=NOW)


def test_a_promo_used_twice_in_one_push_after_a_use_elsewhere_is_an_over_use_once(
    spring_shop: Store,
) -> None:
    shop = spring_shop
    anna, _ = shop.one.register("+79167770012", at=T0)
    boris, _ = shop.one.register("+79167770013", at=T0)
    applied(shop.one.push(now=PUSHED_AT))
    shop.two.learn(shop.one)
    shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("SPRING",))
    applied(shop.one.push(now=PUSHED_AT))  # SPRING used once
    # Till 2 knows of no use: it gives Boris 10% off twice (its first and second use).
    _, first, _ = shop.two.sell(boris, 100_000, at=T0 + timedelta(hours=2), promo_codes=("SPRING",))
    second_id, second, _ = shop.two.sell(
        boris, 50_000, at=T0 + timedelta(hours=3), promo_codes=("SPRING",)
    )
    assert (first.discount_total, second.discount_total) == (10_000, 5_000)

    results = applied(shop.two.push(now=PUSHED_AT))

    # Sale 1 is the second use in all, within the limit; sale 2, in the same push, the third.
    assert [r.settlements for r in results] == [
        [],
        [
            SettlementV1(
                kind="promo_overuse",
                customer_id=boris,
                sale_id=second_id,
                promo_code="SPRING",
                message=(
                    "Promo SPRING on sale 2 at till Till 2: used 2 times before, limit 2. "
                    "The sale and its discount are kept; the over-use is recorded."
                ),
            )
        ],
    ]


# -- a rejected event retried ---------------------------------------------------------------
def test_a_rejected_adjustment_retried_after_its_copy_was_applied_adds_its_points_once(
    shop: Store,
) -> None:
    stranger = new_id()  # registered at another store's till: not on this server yet
    at = T0 + timedelta(hours=1)
    rejected = shop.one.adjust(stranger, 1_000, at)  # 10.00 of goodwill
    (first,) = shop.one.push(now=PUSHED_AT)
    assert (first.status, first.code) == ("rejected", "customer.unknown")
    # The registration arrives, and the till sends the same adjustment again as a new event.
    registration = CustomerRegisteredV1(
        customer=CustomerV1(id=stranger, phone="+79167770014", created_at=T0),
        consent=ConsentV1(given_at=T0, text_version="2026-01", channel="till"),
        card=None,
        entries=[],
        staff_id=new_id(),
        till_id=shop.one.till_id,
    )
    shop.one.event("customer.registered", stranger, T0, registration)
    copy = {**rejected, "event_id": new_id()}
    applied(shop.one.push(shop.one.outbox[0], copy, now=PUSHED_AT))

    # The manager retries the rejected original: applied, and its entry is not added again.
    retried = retry_event(rejected["event_id"], shop.server.uow(), now=PUSHED_AT)

    assert (retried.status, retried.event_id) == ("applied", uuid.UUID(rejected["event_id"]))
    entry_id = rejected["payload"]["entries"][0]["id"]
    assert [(r.id, r.points, str(r.event_id)) for r in shop.ledger(stranger)] == [
        (entry_id, 1_000, copy["event_id"])
    ]
    assert shop.available(stranger, PUSHED_AT) == 1_000


def test_a_registration_names_the_staff_member_who_made_it_when_the_server_knows_them(
    shop: Store,
) -> None:
    """Scorecards count each cashier's registrations; a staff id the server does not have
    (or that is no id at all) registers the customer all the same, by nobody."""
    with shop.session() as session:
        store_id = session.scalars(select(StoreRow.id)).one()
        cashier = new_id()
        session.execute(
            insert(Staff).values(
                id=cashier, store_id=store_id, name="Анна", role="cashier", pin_hash="x"
            )
        )
        session.commit()
    known, by_cashier = shop.one.register("+79167770011", at=T0)
    by_cashier["payload"]["staff_id"] = cashier
    stranger, _ = shop.one.register("+79167770012", at=T0)
    nobody, by_name = shop.one.register("+79167770013", at=T0)
    by_name["payload"]["staff_id"] = "cashier-7"
    applied(shop.one.push(now=PUSHED_AT))
    assert customer_row(shop, known).registered_by_staff_id == cashier
    assert customer_row(shop, stranger).registered_by_staff_id is None
    assert customer_row(shop, nobody).registered_by_staff_id is None
