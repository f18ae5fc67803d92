"""Outbox payloads are plain JSON: ints for money and points, ISO 8601 for times, sorted sets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum, StrEnum

from loyalty_core.customers import Card, CardStatus, Consent, Customer
from loyalty_core.ledger import EntryKind, LedgerEntry
from pos_client.services.wire import WIRE_VERSION, customer_payload, entries_payload, jsonable

AT = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)


class Colour(Enum):
    RED = 1


class Kind(StrEnum):
    SALE = "sale"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity_milli: int
    flags: frozenset[str]
    sold_at: datetime
    kind: Kind


def test_plain_values_and_none_pass_through() -> None:
    for value in (None, 0, 12_345, -7, "", "Кофе", True, False):
        assert jsonable(value) is value


def test_times_and_days_become_iso_8601() -> None:
    assert jsonable(AT) == "2026-11-22T10:30:00+00:00"
    assert jsonable(date(2026, 2, 28)) == "2026-02-28"


def test_enums_become_their_values() -> None:
    assert jsonable(Colour.RED) == 1
    assert jsonable(Kind.SALE) == "sale"
    assert type(jsonable(Kind.SALE)) is str


def test_sets_become_sorted_lists_and_tuples_lists() -> None:
    assert jsonable(frozenset({"b", "a", "c"})) == ["a", "b", "c"]
    assert jsonable({3, 1, 2}) == [1, 2, 3]
    assert jsonable((1, AT)) == [1, "2026-11-22T10:30:00+00:00"]
    assert jsonable([Kind.SALE]) == ["sale"]


def test_mappings_get_string_keys_and_json_values() -> None:
    assert jsonable({1: AT, "b": frozenset({"y", "x"})}) == {
        "1": "2026-11-22T10:30:00+00:00",
        "b": ["x", "y"],
    }


def test_a_dataclass_becomes_a_mapping_of_its_fields_all_the_way_down() -> None:
    line = Line("4600000000015", 2_000, frozenset({"no_discount"}), AT, Kind.SALE)
    assert jsonable([line]) == [
        {
            "sku": "4600000000015",
            "quantity_milli": 2_000,
            "flags": ["no_discount"],
            "sold_at": "2026-11-22T10:30:00+00:00",
            "kind": "sale",
        }
    ]


def test_a_dataclass_class_itself_and_unknown_objects_are_left_as_they_are() -> None:
    assert jsonable(Line) is Line
    marker = object()
    assert jsonable(marker) is marker


def _entry(points: int) -> LedgerEntry:
    return LedgerEntry(
        id=f"e{points}",
        kind=EntryKind.BONUS,
        occurred_at=AT,
        till_id="till-1",
        rules_version=1,
        customer_id="c1",
        points=points,
        activates_at=AT,
        expires_at=datetime(2026, 12, 22, tzinfo=UTC),
        ref="welcome",
    )


def test_entries_go_out_in_their_wire_form_in_order() -> None:
    entries = [_entry(20_000), _entry(10_000)]
    assert entries_payload(entries) == [e.to_wire() for e in entries]
    assert entries_payload(tuple(entries)) == entries_payload(entries)
    assert [LedgerEntry.from_wire(e) for e in entries_payload(entries)] == entries


def test_the_registration_payload_names_everything_the_server_needs() -> None:
    customer = Customer("c1", "+79125554433", AT, name="Вера", birthday=date(1990, 5, 17))
    consent = Consent(given_at=AT)
    card = Card("0000000001224466", "c1", CardStatus.ACTIVE, AT)
    entries = [_entry(20_000)]
    payload = customer_payload(customer, consent, card, entries, "staff-1", "till-1")
    assert payload == {
        "v": WIRE_VERSION,
        "customer": jsonable(customer),
        "consent": jsonable(consent),
        "card": jsonable(card),
        "entries": entries_payload(entries),
        "staff_id": "staff-1",
        "till_id": "till-1",
    }
    assert WIRE_VERSION == 1
    assert payload["customer"]["birthday"] == "1990-05-17"
    assert payload["card"]["status"] == "active"
    assert json.loads(json.dumps(payload)) == payload  # plain JSON all the way


def test_a_registration_without_a_card_sends_none() -> None:
    customer = Customer("c1", "+79125554433", AT)
    payload = customer_payload(customer, Consent(given_at=AT), None, [], "s", "t")
    assert payload["card"] is None and payload["entries"] == []
