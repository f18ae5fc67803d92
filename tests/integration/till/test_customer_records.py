"""What registering, identifying and reissuing leave in the till's SQLite file and show the
cashier: the customer as typed in, who registered them where, the card, the bonus, the event."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from loyalty_core.cards import mask_card
from loyalty_core.customers import CustomerNotFoundError, Questionnaire, UnknownCardError
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.staff import Role
from loyalty_core.wallet import ExpiringPoints
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import RegisterCustomer

NOW = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)


def _rows(seeded_till: Till, sql: str, *args: object) -> list[dict[str, Any]]:
    conn = sqlite3.connect(seeded_till.settings.resolved_database_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, args)]
    finally:
        conn.close()


def _at(seeded_till: Till, now: datetime = NOW) -> TillServices:
    return TillServices(
        seeded_till.services.uows, replace(seeded_till.services.ctx, clock=lambda: now)
    )


def _senior(sv: TillServices) -> str:
    return next(s.id for s in sv.staff_list() if s.role is Role.SENIOR)


def test_a_registered_customer_is_stored_as_typed_in_with_who_registered_them(
    seeded_till: Till,
) -> None:
    sv = _at(seeded_till)
    staff = _senior(sv)
    answers = Questionnaire(
        name="Вера Орлова", birthday=date(1990, 8, 17), email="vera@example.com"
    )
    snapshot = sv.register_customer(
        RegisterCustomer(
            "8 912 555-44-33",
            True,
            staff,
            questionnaire=replace(answers, heard_from="friend"),
            referrer_phone="+7 (912) 001-23-45",  # demo customer 0, typed another way
        )
    )
    referrer = sv.identify(demo_phone(0)).customer
    with sv.uows.reading() as uow:
        stored = uow.customers.get(snapshot.customer.id)
    assert stored is not None
    assert (stored.phone, stored.name, stored.birthday, stored.email, stored.heard_from) == (
        "+79125554433",
        "Вера Орлова",
        date(1990, 8, 17),
        "vera@example.com",
        "friend",
    )
    assert stored.referrer_id == referrer.id
    (row,) = _rows(
        seeded_till,
        "SELECT created_by_staff_id, created_at_till_id FROM customers WHERE id = ?",
        stored.id,
    )
    assert row == {"created_by_staff_id": staff, "created_at_till_id": sv.ctx.till_id}
    (consent,) = _rows(
        seeded_till, "SELECT staff_id FROM consents WHERE customer_id = ?", stored.id
    )
    assert consent == {"staff_id": staff}


def test_the_welcome_and_questionnaire_bonuses_are_in_the_ledger_on_disk(seeded_till: Till) -> None:
    sv = _at(seeded_till)
    complete = Questionnaire(name="Вера Орлова", birthday=date(1990, 8, 17), email="v@e.com")
    snapshot = sv.register_customer(
        RegisterCustomer("8 912 555-44-33", True, _senior(sv), questionnaire=complete)
    )
    # 200 ₽ welcome + 100 ₽ for a complete questionnaire.
    assert snapshot.balance.available + snapshot.balance.pending_total == 30_000
    with sv.uows.reading() as uow:
        entries = uow.ledger.of_customer(snapshot.customer.id)
    assert sorted((e.kind, e.ref, e.points) for e in entries) == [
        (EntryKind.BONUS, "questionnaire", 10_000),
        (EntryKind.BONUS, "welcome", 20_000),
    ]
    assert _at(seeded_till).identify(snapshot.customer.phone).balance == snapshot.balance


def test_the_registered_event_carries_the_customer_consent_card_and_bonus(
    seeded_till: Till,
) -> None:
    sv = _at(seeded_till)
    staff = _senior(sv)
    snapshot = sv.register_customer(RegisterCustomer("8 912 555-44-33", True, staff))
    with sv.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(snapshot.customer.id)
        written = uow.ledger.of_customer(snapshot.customer.id)
    payload = event.payload
    assert event.kind == "customer.registered"
    assert payload["customer"]["id"] == snapshot.customer.id
    assert payload["customer"]["phone"] == "+79125554433"
    assert datetime.fromisoformat(payload["consent"]["given_at"]) == NOW
    assert payload["card"]["number"] == snapshot.card_number
    sent = [LedgerEntry.from_wire(e) for e in payload["entries"]]
    assert sorted(sent, key=lambda e: e.id) == sorted(written, key=lambda e: e.id)
    assert len(written) == 1  # the welcome bonus
    assert (payload["staff_id"], payload["till_id"]) == (staff, sv.ctx.till_id)


def test_a_customer_registered_without_a_card_has_none_anywhere(seeded_till: Till) -> None:
    sv = _at(seeded_till)
    cmd = RegisterCustomer("8 912 555-44-33", True, _senior(sv), issue_card=False)
    snapshot = sv.register_customer(cmd)
    assert snapshot.card_number is None
    assert sv.identify("8 912 555-44-33").card_number is None
    with sv.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(snapshot.customer.id)
    assert event.payload["card"] is None
    assert (
        _rows(seeded_till, "SELECT * FROM cards WHERE customer_id = ?", snapshot.customer.id) == []
    )


def test_an_unknown_referrer_is_refused_with_their_phone_masked_and_nothing_stored(
    seeded_till: Till,
) -> None:
    sv = _at(seeded_till)
    with pytest.raises(CustomerNotFoundError) as refused:
        sv.register_customer(
            RegisterCustomer("8 912 555-44-33", True, "x", referrer_phone="+79990001122")
        )
    assert refused.value.message == "No customer with phone +7999***1122."
    assert _rows(seeded_till, "SELECT id FROM customers WHERE phone = '+79125554433'") == []


def test_identifying_by_phone_shows_the_customers_card_tier_and_balance(seeded_till: Till) -> None:
    snapshot = seeded_till.services.identify(demo_phone(0))
    assert snapshot.card_number == demo_card(seeded_till.services.ctx.card_codec, 0)
    assert (snapshot.tier_code, snapshot.tier_name) == ("gold", "Gold")
    assert snapshot.balance.available == 23_600


def test_after_a_reissue_the_phone_shows_the_new_card(seeded_till: Till) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(4)).customer
    new = sv.reissue_card(customer.id, _senior(sv))
    assert sv.identify(demo_phone(4)).card_number == new.number


def test_a_reissue_records_the_replacement_and_tells_the_server(seeded_till: Till) -> None:
    sv = _at(seeded_till)
    staff = _senior(sv)
    old = demo_card(sv.ctx.card_codec, 4)
    customer = sv.identify(old).customer
    new = sv.reissue_card(customer.id, staff)
    cards = _rows(
        seeded_till,
        "SELECT number, status, replaced_by FROM cards WHERE customer_id = ?",
        customer.id,
    )
    assert sorted(cards, key=lambda c: c["status"]) == [
        {"number": new.number, "status": "active", "replaced_by": None},
        {"number": old, "status": "replaced", "replaced_by": new.number},
    ]
    with sv.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(customer.id)
    assert event.kind == "card.reissued"
    assert event.payload == {
        "v": 1,
        "customer_id": customer.id,
        "card": new.number,
        "replaced": [old],
        "staff_id": staff,
        "till_id": sv.ctx.till_id,
        "at": NOW.isoformat(),
    }


def test_reissuing_for_an_unknown_customer_is_refused(seeded_till: Till) -> None:
    with pytest.raises(CustomerNotFoundError) as refused:
        seeded_till.services.reissue_card("01900000-0000-7000-8000-000000000000", "x")
    assert refused.value.message == "No customer with phone ?."
    assert _rows(seeded_till, "SELECT count(*) AS n FROM outbox WHERE kind LIKE 'card.%'") == [
        {"n": 0}
    ]


def test_a_valid_card_that_was_never_issued_here_is_unknown_and_masked(seeded_till: Till) -> None:
    number = seeded_till.services.ctx.card_codec.number_for("9999999999")
    with pytest.raises(UnknownCardError) as refused:
        seeded_till.services.identify(number)
    assert refused.value.message == f"Card {mask_card(number)} is not registered."
    assert number not in refused.value.message


def _lot_expiring(seeded_till: Till, customer_id: str, expires_at: datetime) -> None:
    entry = LedgerEntry(
        id=f"lot-{expires_at.isoformat()}",
        kind=EntryKind.ADJUSTMENT,
        occurred_at=NOW - timedelta(days=1),
        till_id="server",
        rules_version=1,
        customer_id=customer_id,
        points=1_000,
        activates_at=NOW - timedelta(days=1),
        expires_at=expires_at,
        reason="goodwill",
        author="support",
    )
    with seeded_till.services.uows.writing() as uow:
        uow.ledger.add([entry])
        uow.commit()


def test_points_expiring_within_30_days_are_shown_and_not_later_ones(seeded_till: Till) -> None:
    customer = seeded_till.services.identify(demo_phone(1)).customer  # no bonus of their own
    in_30_days = NOW + timedelta(days=30)
    _lot_expiring(seeded_till, customer.id, in_30_days)
    _lot_expiring(seeded_till, customer.id, in_30_days + timedelta(seconds=1))
    balance = _at(seeded_till).identify(demo_phone(1)).balance
    assert balance.available == 2_000
    assert balance.expiring == (ExpiringPoints(1_000, in_30_days),)


def test_a_till_in_another_region_reads_national_numbers_of_that_region(seeded_till: Till) -> None:
    berlin = TillServices(
        seeded_till.services.uows, replace(seeded_till.services.ctx, phone_region="DE")
    )
    snapshot = berlin.register_customer(RegisterCustomer("030 1234567", True, "x"))
    assert snapshot.customer.phone == "+49301234567"
    assert berlin.identify("030 1234567").customer.id == snapshot.customer.id


def test_a_search_shows_20_customers_unless_asked_for_more(seeded_till: Till) -> None:
    assert len(seeded_till.services.search_customers("+79")) == 20
    assert len(seeded_till.services.search_customers("+79", limit=25)) == 25
