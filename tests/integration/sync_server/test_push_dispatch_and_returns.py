"""A questionnaire pushed to the server (``_Batch._apply``) and what a return stores
(``_Batch._return``), on SQLite and PostgreSQL, through ``sync_server.services.push``.

Numbers use the demo rules (``default_rules``): the questionnaire bonus is 100.00
(10000 points) usable at once; the birthday bonus 500.00 (50000) from 3 days before to 3
days after the birthday; Bronze accrues 3 % of the money paid and a first purchase is
boosted to 50 % in all, pending for 14 days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.ids import new_id
from loyalty_core.ledger import BonusKind
from loyalty_core.receipt import CartLine
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wallet import project
from loyalty_core.wire.events import QuestionnaireCompletedV1, QuestionnaireV1
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.sync import EventResultV1, PullResponseV1
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.pull import pull
from sync_server.services.push import retry_event
from tests.integration.sync_server.push_support import Event, Store, Till, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, the store's time zone
BIRTHDAY = date(1990, 3, 2)  # Vera's: today
ANSWERED_AT = T0 + timedelta(minutes=30)
SOLD_AT = T0 + timedelta(hours=1)
PUSHED_AT = T0 + timedelta(hours=8)


@pytest.fixture
def store(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=T0 - timedelta(days=1))


def _pulled(store: Store) -> PullResponseV1:
    reading = SqlAlchemyUnitOfWork(session_factory(store.server.engine, read_only=True))
    return pull(store.one.record, 0, 10_000, reading, now=SOLD_AT)


def _questionnaire(till: Till, customer_id: str, answers: QuestionnaireV1) -> Event:
    """The questionnaire as the till records it, with its 100.00 bonus for the customer."""
    bonus = one_off_bonus_entry(
        till.rules,
        BonusKind.QUESTIONNAIRE,
        wallet=project(customer_id, [e for e in till.ledger if e.customer_id == customer_id]),
        event_id=new_id(),
        now=ANSWERED_AT,
        till_id=till.till_id,
    )
    assert bonus is not None and bonus.points == 10_000
    till.ledger.append(bonus)
    payload = QuestionnaireCompletedV1(
        customer_id=customer_id,
        answers=answers,
        entries=entries_of([bonus]),
        staff_id=new_id(),
        till_id=till.till_id,
        at=ANSWERED_AT,
    )
    return till.event("questionnaire.completed", customer_id, ANSWERED_AT, payload)


def _row(store: Store, customer_id: str) -> tuple[object, ...]:
    """(name, birthday, email) of the customer as a till pulls them."""
    [row] = [c for c in _pulled(store).customers if c[0] == customer_id]
    return row[2], row[3], row[4]


# -- questionnaire -----------------------------------------------------------------------
def test_a_birthday_answered_in_the_questionnaire_prices_the_sale_pushed_with_it(
    store: Store,
) -> None:
    """Vera registered with no birthday; at 10:30 she fills in the questionnaire (today is
    her birthday) and at 11:00 buys 1,000.00. Both events go in one push: the server must
    price the sale with the birthday just answered, or it names a difference."""
    vera, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    assert statuses(store.one.push(registered, now=T0)) == ["applied"]
    answered = _questionnaire(
        store.one, vera, QuestionnaireV1(name="Вера Павлова", birthday=BIRTHDAY)
    )
    store.one.birthdays[vera] = BIRTHDAY
    sale_id, receipt, sold = store.one.sell(vera, 100_000, at=SOLD_AT)
    # 500.00 birthday bonus; 3 % of 1,000.00 = 3000 accrued, boosted to 50 % = 50000.
    assert [(b.kind, b.points) for b in receipt.bonuses] == [("birthday", 50_000)]
    assert receipt.accrual + receipt.boost == 50_000

    results = store.one.push(answered, sold, now=SOLD_AT)

    assert statuses(results) == ["applied", "applied"]
    assert [r.settlements for r in results] == [[], []]  # the server priced it the same
    assert _row(store, vera) == ("Вера Павлова", BIRTHDAY, None)  # no e-mail given
    # 100.00 questionnaire + 500.00 birthday usable; 500.00 accrued pending 14 days.
    assert store.balance(vera, SOLD_AT) == (60_000, 50_000, 0)
    assert store.sale(sale_id).customer_id == vera


def test_a_questionnaire_of_a_customer_not_pushed_yet_applies_when_a_manager_retries_it(
    store: Store,
) -> None:
    """Till 2 learnt of Vera before till 1 pushed her registration: the questionnaire is
    rejected, then applied by a retry once the registration has arrived."""
    vera, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    answered = _questionnaire(
        store.one, vera, QuestionnaireV1(name="Вера Павлова", email="vera@example.org")
    )

    [early] = store.one.push(answered, now=ANSWERED_AT)

    assert (early.status, early.code, early.message) == (
        "rejected",
        "customer.unknown",
        f"The server knows no customer {vera}; push their registration first.",
    )
    assert statuses(store.one.push(registered, now=ANSWERED_AT)) == ["applied"]
    assert _row(store, vera) == (None, None, None)

    retried: EventResultV1 = retry_event(answered["event_id"], store.server.uow(), now=SOLD_AT)

    assert (retried.status, retried.code, retried.settlements) == ("applied", None, [])
    assert _row(store, vera) == ("Вера Павлова", None, "vera@example.org")
    assert store.balance(vera, SOLD_AT) == (10_000, 0, 0)  # the 100.00 bonus, once


# -- what a return stores ------------------------------------------------------------------
BEANS = CartLine("1", "sku-1", "Coffee beans", 2_000, 100_000)  # 2 bags, 1,000.00
MUG = CartLine("2", "sku-2", "Mug", 1_000, 30_000)  # 1 mug, 300.00


def _both_bags_back_at_till_1_and_one_again_at_till_2(
    store: Store, extra_line: dict[str, int | str]
) -> tuple[str, str, str, list[EventResultV1]]:
    """An anonymous sale of 2 bags and a mug at till 1; till 1 takes both bags back, till 2
    (offline) one bag, and its return document also lists ``extra_line``."""
    sale_id, receipt, sold = store.one.sell(None, 0, at=SOLD_AT, lines=[BEANS, MUG])
    assert receipt.to_pay == 130_000
    assert statuses(store.one.push(sold, now=SOLD_AT)) == ["applied"]
    back_at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 2, at=back_at)
    assert statuses(store.one.push(first, now=back_at)) == ["applied"]
    staff = new_id()
    return_id, priced, again = store.two.give_back(
        sale_id, receipt, 1, at=back_at, staff_id=staff.upper()
    )
    assert [(ln.line_id, ln.quantity_milli, ln.refund) for ln in priced.lines] == [
        ("1", 1_000, 50_000)
    ]
    line = {"bonus_restored": 0, "accrual_reversed": 0, "boost_reversed": 0, **extra_line}
    again["payload"]["return"]["lines"].append(line)
    return sale_id, return_id, staff, store.two.push(again, now=back_at)


def _message(sale_id: str, amount: int) -> str:
    return (
        f"Receipt of sale {sale_id} returned again at till Till 2 (return 1): {amount} "
        "refunded again in money is recorded; bonus is restored and taken back at most once "
        "(0 points not applied a second time)."
    )


def test_a_line_listed_with_nothing_returned_adds_nothing_to_the_money_refunded_twice(
    store: Store,
) -> None:
    # Till 2's document lists the mug with 0 of it returned: only the bag counts.
    sale_id, return_id, staff, results = _both_bags_back_at_till_1_and_one_again_at_till_2(
        store, {"line_id": "2", "quantity_milli": 0, "refund": 0}
    )

    assert statuses(results) == ["applied"]
    [settlement] = results[0].settlements
    # Both bags were back already: the whole 500.00 of the bag is refunded twice.
    assert (settlement.kind, settlement.amount, settlement.points, settlement.message) == (
        "return_twice",
        50_000,
        0,
        _message(sale_id, 50_000),
    )
    [_, row] = store.returns()
    assert (row.id, row.staff_id, row.quantities, row.refund_minor) == (
        return_id,
        staff,  # the staff id as the server spells ids: lower case
        {"1": 1_000},
        50_000,
    )


def test_money_refunded_twice_counts_only_the_quantities_the_return_names(store: Store) -> None:
    """The document lists the mug (300.00) but the return's quantities name only the bag:
    the mug was not returned by this return, so none of it is refunded twice; the refund
    recorded is still the document's sum, 500.00 + 300.00."""
    sale_id, _, _, results = _both_bags_back_at_till_1_and_one_again_at_till_2(
        store, {"line_id": "2", "quantity_milli": 1_000, "refund": 30_000}
    )

    assert statuses(results) == ["applied"]
    [settlement] = results[0].settlements
    assert (settlement.amount, settlement.message) == (50_000, _message(sale_id, 50_000))
    assert [r.refund_minor for r in store.returns()] == [100_000, 80_000]


def test_a_sale_or_a_return_by_a_staff_id_that_is_no_uuid_is_refused_naming_it(
    store: Store,
) -> None:
    # Once stored as sent on SQLite (unreadable later) and a crash of the whole batch on
    # PostgreSQL's uuid column; now that one event is refused and the batch goes on.
    _, _, sale = store.one.sell(None, 100_000, at=T0)
    sale["payload"]["staff_id"] = "cashier-7"
    good_id, good_receipt, _good = store.one.sell(None, 50_000, at=T0)
    results = store.one.push(now=PUSHED_AT)
    assert [(r.status, r.code, r.message) for r in results] == [
        ("rejected", "event.invalid", "staff_id 'cashier-7' is not a UUID."),
        ("applied", None, None),
    ]
    _, _, back = store.one.give_back(good_id, good_receipt, 1, at=T0 + timedelta(hours=1))
    back["payload"]["staff_id"] = "cashier-7"
    (refused,) = store.one.push(now=PUSHED_AT)
    assert (refused.status, refused.message) == ("rejected", "staff_id 'cashier-7' is not a UUID.")
    assert store.returns() == []
