"""What an operator puts on the server and a till's corrections of a customer, as the
store's tills then pull them: staff, products, the redemption policy, changed details."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.ids import new_id
from loyalty_core.rules import default_rules
from loyalty_core.wire.events import CustomerChangedV1, QuestionnaireV1
from loyalty_core.wire.sync import PullResponseV1
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.pull import pull
from sync_server.services.setup import add_product, add_staff, set_redemption_policy
from tests.integration.sync_server.push_support import Store, statuses, two_tills
from tests.integration.sync_server.sync_support import enrolled_till

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=2)


@pytest.fixture
def store(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, default_rules(), published_at=T0)


def _pulled(store: Store) -> PullResponseV1:
    reading = SqlAlchemyUnitOfWork(session_factory(store.server.engine, read_only=True))
    return pull(store.one.record, 0, 10_000, reading, now=LATER)


def test_staff_and_products_added_by_the_operator_are_pulled_as_given(store: Store) -> None:
    shop = store.one.record.store.id
    anna, beans = new_id(), new_id()
    add_staff(anna, shop, "Анна Смирнова", "senior", "$argon2id$hash", store.server.uow(), now=T0)
    add_product(
        beans,
        "4600000000091",
        "Кофе в зёрнах 1 кг",
        149_900,
        store.server.uow(),
        now=T0,
        store_id=shop,
        category="coffee",
        flags=("no_bonus",),
    )
    page = _pulled(store)
    [staff] = page.staff
    assert (staff.id, staff.name, staff.role, staff.pin_hash, staff.disabled) == (
        anna,
        "Анна Смирнова",
        "senior",
        "$argon2id$hash",
        False,
    )
    [product] = page.products
    assert (product.id, product.barcode, product.name, product.price) == (
        beans,
        "4600000000091",
        "Кофе в зёрнах 1 кг",
        149_900,
    )
    assert (product.category, tuple(product.flags), product.active) == (
        "coffee",
        ("no_bonus",),
        True,
    )


def test_a_product_of_another_store_is_not_pulled_and_one_of_every_store_is(store: Store) -> None:
    other = enrolled_till(store.server, store="Other street", name="Till 9").store.id
    add_product(new_id(), "1", "Чужой", 100, store.server.uow(), now=T0, store_id=other)
    add_product(new_id(), "2", "Общий", 200, store.server.uow(), now=T0)
    assert [p.name for p in _pulled(store).products] == ["Общий"]


@pytest.mark.parametrize(("policy", "limit"), [("online_only", None), ("offline_limit", 5_000)])
def test_the_redemption_policy_set_for_the_store_is_what_its_tills_pull(
    store: Store, policy: str, limit: int | None
) -> None:
    set_redemption_policy(
        store.one.record.store.id, policy, store.server.uow(), offline_limit_points=limit
    )
    settings = _pulled(store).store
    assert (settings.redemption_policy, settings.offline_limit_points) == (policy, limit)


def test_details_corrected_at_a_till_change_only_the_fields_it_names(store: Store) -> None:
    vera, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    assert statuses(store.one.push(registered, now=T0)) == ["applied"]
    changed = CustomerChangedV1(
        customer_id=vera,
        details=QuestionnaireV1(name="Вера Павлова", birthday=date(1990, 5, 17), email="x@y.z"),
        changed=["name", "birthday"],  # the e-mail was typed but not changed: it stays empty
        staff_id=new_id(),
        till_id=store.two.till_id,
        at=LATER,
    )
    event = store.two.event("customer.changed", vera, LATER, changed)
    assert statuses(store.two.push(event, now=LATER)) == ["applied"]

    [row] = [c for c in _pulled(store).customers if c[0] == vera]
    assert (row[2], row[3], row[4]) == ("Вера Павлова", date(1990, 5, 17), None)


def test_details_of_a_customer_the_server_does_not_know_are_rejected(store: Store) -> None:
    stranger = new_id()
    changed = CustomerChangedV1(
        customer_id=stranger,
        details=QuestionnaireV1(name="Кто-то"),
        changed=["name"],
        staff_id=new_id(),
        till_id=store.one.till_id,
        at=LATER,
    )
    [result] = store.one.push(
        store.one.event("customer.changed", stranger, LATER, changed), now=LATER
    )
    assert (result.status, result.code) == ("rejected", "customer.unknown")
