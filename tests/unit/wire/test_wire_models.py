"""The wire models' conversions and refusals, field by field: times go out in UTC, engine
objects convert both ways unchanged, refusals name the kind, the version and each problem."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from loyalty_core.customers import Card, CardStatus, Consent, Customer
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.receipt_wire import receipt_from_wire
from loyalty_core.wire.events import (
    CardReissuedV1,
    CardV1,
    ConsentV1,
    CustomerV1,
    InvalidPayloadError,
    SaleCompletedV1,
    UnsupportedVersionError,
    _registry,
    describe,
    dump,
    parse_payload,
)
from loyalty_core.wire.ledger import LedgerEntryV1, entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from loyalty_core.wire.sync import entry_of_row, ledger_row

STORED = Path(__file__).parent / "stored"
AT = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
YEKATERINBURG = timezone(timedelta(hours=5))


def _stored(name: str) -> tuple[str, dict[str, Any]]:
    data = json.loads((STORED / f"{name}_v1.json").read_text(encoding="utf-8"))
    return data["kind"], data["payload"]


def _entry() -> LedgerEntry:
    return LedgerEntry(
        id="e1",
        kind=EntryKind.BONUS,
        occurred_at=AT,
        till_id="till-1",
        rules_version=1,
        customer_id="c1",
        points=20_000,
        activates_at=AT,
        expires_at=AT + timedelta(days=30),
        ref="welcome",
    )


@pytest.fixture
def local_zone_yekaterinburg() -> Iterator[None]:
    """The till computer's own zone is not UTC (times must not go out in it)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Yekaterinburg"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_time_in_another_offset_goes_out_in_utc_whatever_the_computer_zone(
    local_zone_yekaterinburg: None,
) -> None:
    entry = LedgerEntryV1.of(_entry()).model_copy(
        update={"occurred_at": datetime(2026, 11, 22, 15, 30, tzinfo=YEKATERINBURG)}
    )
    assert dump(entry)["occurred_at"] == "2026-11-22T10:30:00+00:00"


def test_ledger_entries_convert_both_ways_unchanged() -> None:
    entry = _entry()
    assert LedgerEntryV1.of(entry).to_entry() == entry
    assert [e.to_entry() for e in entries_of([entry, entry])] == [entry, entry]
    assert dump(LedgerEntryV1.of(entry)) == entry.to_wire()


def test_a_pulled_ledger_row_is_the_entry_and_a_row_of_another_length_is_refused() -> None:
    entry = _entry()
    assert entry_of_row(ledger_row(entry)) == entry
    with pytest.raises(ValueError, match="zip"):
        entry_of_row((*ledger_row(entry), "one more"))
    with pytest.raises(ValueError, match="zip"):
        entry_of_row(ledger_row(entry)[:-1])  # type: ignore[arg-type]


def test_customers_consents_and_cards_convert_field_by_field() -> None:
    customer = Customer("c1", "+79125554433", AT, name="Вера", birthday=date(1990, 5, 17))
    assert dump(CustomerV1.of(customer)) == {
        "id": "c1",
        "phone": "+79125554433",
        "created_at": "2026-11-22T10:30:00+00:00",
        "name": "Вера",
        "birthday": "1990-05-17",
        "email": None,
        "heard_from": None,
        "referrer_id": None,
    }
    consent = Consent(given_at=AT, text_version="2026-01", channel="till")
    assert dump(ConsentV1.of(consent)) == {
        "given_at": "2026-11-22T10:30:00+00:00",
        "text_version": "2026-01",
        "channel": "till",
    }
    card = Card("0000000001224466", "c1", CardStatus.REPLACED, AT, replaced_by="0000000002448939")
    assert dump(CardV1.of(card)) == {
        "number": "0000000001224466",
        "customer_id": "c1",
        "status": "replaced",
        "issued_at": "2026-11-22T10:30:00+00:00",
        "replaced_by": "0000000002448939",
    }


def test_a_receipt_converts_both_ways_and_one_stored_before_redeem_most_gets_the_old_bound() -> (
    None
):
    _kind, payload = _stored("sale_completed")
    stored = payload["receipt"]
    receipt = receipt_from_wire(stored)
    assert PricedReceiptV1.of(receipt).to_receipt() == receipt
    # A redeem_most below balance and cap (whole units) is kept as it was stored...
    kept = PricedReceiptV1.model_validate({**stored, "redeem_most": 1_000}).to_receipt()
    assert kept.redeem_most == 1_000
    # ...and a receipt stored before the field existed is bounded by its balance and cap.
    old = {key: value for key, value in stored.items() if key != "redeem_most"}
    bound = min(stored["available_before"], stored["redeem_cap"])
    assert PricedReceiptV1.model_validate(old).to_receipt().redeem_most == bound


def test_the_registry_files_each_model_under_its_kind_and_version() -> None:
    assert _registry(CardReissuedV1, SaleCompletedV1) == {
        "card.reissued": {1: CardReissuedV1},
        "sale.completed": {1: SaleCompletedV1},
    }


def test_a_version_refusal_says_the_kind_the_version_and_the_known_ones() -> None:
    kind, payload = _stored("card_reissued")
    with pytest.raises(UnsupportedVersionError) as refused:
        parse_payload(kind, {**payload, "v": 2})
    assert refused.value.message == ("Event kind card.reissued has no schema version 2 (known: 1).")


def test_a_payload_that_is_not_an_object_is_refused_as_without_a_version() -> None:
    with pytest.raises(UnsupportedVersionError) as refused:
        parse_payload("card.reissued", ["v", 1])  # type: ignore[arg-type]
    assert refused.value.message == (
        "Event kind card.reissued has no schema version None (known: 1)."
    )


def test_a_malformed_payload_is_refused_naming_kind_version_and_each_problem() -> None:
    kind, payload = _stored("card_reissued")
    broken = {**payload, "card": 7, "staff_id": ""}
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, broken)
    assert refused.value.message == (
        "Event card.reissued v1 is malformed: card: Input should be a valid string; "
        "staff_id: String should have at least 1 character"
    )


def _refusal(payload: dict[str, Any]) -> ValidationError:
    try:
        SaleCompletedV1.model_validate(payload)
    except ValidationError as invalid:
        return invalid
    raise AssertionError("expected a refusal")


def test_exactly_ten_problems_are_all_named_and_an_eleventh_is_counted() -> None:
    ten = _refusal({"v": 1})  # the ten required fields of a sale, all missing
    assert ten.error_count() == 10
    assert describe(ten).count("; ") == 9 and "more" not in describe(ten)
    eleven = _refusal({"v": 1, "extra": 1})
    assert eleven.error_count() == 11
    assert describe(eleven).endswith("Field required; and 1 more")
    assert describe(eleven).count("; ") == 10


def test_a_problem_with_the_payload_as_a_whole_is_named_payload() -> None:
    try:
        CardReissuedV1.model_validate("not an object")
    except ValidationError as invalid:
        assert describe(invalid).startswith("payload: Input should be")
    else:
        raise AssertionError("expected a refusal")
