"""The event schemas: payloads stored by a till of an earlier release still parse, and
malformed ones are refused with a reason naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.payment import Payment, Tender, TenderKind
from loyalty_core.receipt_wire import receipt_from_wire
from loyalty_core.wire.events import (
    EVENT_MODELS,
    MAX_PROBLEMS,
    CardReissuedV1,
    CustomerRegisteredV1,
    InvalidPayloadError,
    SaleCompletedV1,
    SaleCompletedV2,
    SaleReturnedV1,
    SaleReturnedV2,
    UnknownEventKindError,
    UnsupportedVersionError,
    dump,
    parse_payload,
    tenders_of,
)

STORED = Path(__file__).parent / "stored"


def _stored(name: str) -> tuple[str, dict[str, Any]]:
    data = json.loads((STORED / f"{name}_v1.json").read_text(encoding="utf-8"))
    return data["kind"], data["payload"]


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("sale_completed", SaleCompletedV1),
        ("sale_returned", SaleReturnedV1),
        ("customer_registered", CustomerRegisteredV1),
        ("card_reissued", CardReissuedV1),
    ],
)
def test_a_stored_v1_payload_parses_and_goes_out_again_the_same(name: str, model: type) -> None:
    kind, payload = _stored(name)
    event = parse_payload(kind, payload)
    assert type(event) is model and kind == event.KIND
    assert dump(event) == payload  # exactly what the earlier release stored
    stored_entries = [LedgerEntry.from_wire(e) for e in payload.get("entries", [])]
    assert list(event.ledger_entries()) == stored_entries


def test_a_stored_sale_keeps_its_receipt_entries_and_request() -> None:
    kind, payload = _stored("sale_completed")
    sale = parse_payload(kind, payload)
    assert isinstance(sale, SaleCompletedV1)
    assert sale.receipt.to_receipt() == receipt_from_wire(payload["receipt"])
    assert [line.line_id for line in sale.receipt.lines] == ["1", "2"]
    assert sale.request.redeem == "max"
    kinds = {e.kind for e in sale.ledger_entries()}
    assert {EntryKind.PURCHASE, EntryKind.REDEMPTION, EntryKind.ACCRUAL} <= kinds
    assert sale.number == payload["number"] and sale.sale_id == payload["sale_id"]


def test_a_stored_return_keeps_its_document_under_the_wire_name_return() -> None:
    kind, payload = _stored("sale_returned")
    back = parse_payload(kind, payload)
    assert isinstance(back, SaleReturnedV1)
    assert back.document.lines[0].line_id == "1"
    assert back.quantities == {"1": 1_000}
    assert dump(back)["return"] == payload["return"]
    assert "document" not in dump(back)


def test_every_kind_the_till_records_has_its_schema_versions() -> None:
    assert {kind: sorted(versions) for kind, versions in EVENT_MODELS.items()} == {
        "customer.registered": [1],
        "customer.changed": [1],
        "questionnaire.completed": [1],
        "card.issued": [1],
        "card.reissued": [1],
        "adjustment.recorded": [1],
        "sale.completed": [1, 2],
        "sale.returned": [1, 2],
        "shift.opened": [1],
        "shift.closed": [1],
        "override.recorded": [1],
        "vote.recorded": [1],
    }


def test_an_unknown_kind_is_refused_by_name() -> None:
    with pytest.raises(UnknownEventKindError) as refused:
        parse_payload("sale.deleted", {"v": 1})
    assert refused.value.code == "event.unknown_kind"
    assert "'sale.deleted'" in refused.value.message


@pytest.mark.parametrize("version", [2, 0, None, "1", 1.0, True])
def test_a_version_the_kind_does_not_have_is_refused_naming_the_known_ones(version: Any) -> None:
    kind, payload = _stored("card_reissued")
    with pytest.raises(UnsupportedVersionError) as refused:
        parse_payload(kind, {**payload, "v": version})
    assert refused.value.code == "event.unsupported_version"
    assert refused.value.message.endswith("(known: 1).")


def test_a_payload_without_a_version_is_refused() -> None:
    kind, payload = _stored("card_reissued")
    del payload["v"]
    with pytest.raises(UnsupportedVersionError):
        parse_payload(kind, payload)


def test_money_as_a_float_or_a_string_is_refused_not_rounded() -> None:
    kind, payload = _stored("sale_completed")
    for amount in (1.5, 100.0, "100"):
        entries = [{**payload["entries"][0], "amount": amount}, *payload["entries"][1:]]
        with pytest.raises(InvalidPayloadError) as refused:
            parse_payload(kind, {**payload, "entries": entries})
        assert "entries.0.amount" in refused.value.message


def test_an_unknown_field_is_refused_rather_than_dropped() -> None:
    kind, payload = _stored("card_reissued")
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, {**payload, "balance": 100_000})
    assert "balance: Extra inputs are not permitted" in refused.value.message


def test_an_entry_the_engine_refuses_is_refused_in_the_payload() -> None:
    kind, payload = _stored("customer_registered")
    bonus = {**payload["entries"][0], "points": -5}
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, {**payload, "entries": [bonus]})
    assert "a lot must add points" in refused.value.message


def test_receipt_lines_sharing_an_id_are_refused() -> None:
    kind, payload = _stored("sale_completed")
    lines = payload["receipt"]["lines"]
    receipt = {**payload["receipt"], "lines": [lines[0], {**lines[1], "line_id": "1"}]}
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, {**payload, "receipt": receipt})
    assert "distinct line_id" in refused.value.message


def test_a_refusal_names_at_most_ten_problems_and_counts_the_rest() -> None:
    kind, payload = _stored("sale_completed")
    broken = {**payload, "entries": [{"id": n} for n in range(40)]}
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, broken)
    message = refused.value.message
    assert message.count(": Field required") + message.count(": Input should") == MAX_PROBLEMS
    assert message.endswith(" more")
    assert len(message) < 2_000


def test_a_v2_sale_carries_its_tenders_there_and_back() -> None:
    kind, payload = _stored("sale_completed")
    paid = Payment((Tender(TenderKind.CARD, 700, 700), Tender(TenderKind.CASH, 300, 500)))
    wire = [dump(t) for t in tenders_of(paid)]
    assert wire == [
        {"kind": "card", "amount": 700, "tendered": 700},
        {"kind": "cash", "amount": 300, "tendered": 500},
    ]
    sale = parse_payload(kind, {**payload, "v": 2, "tenders": wire})
    assert isinstance(sale, SaleCompletedV2) and sale.payment == paid
    v1 = parse_payload(kind, payload)
    assert isinstance(v1, SaleCompletedV1) and v1.payment is None
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, {**payload, "v": 2, "tenders": [{**wire[0], "amount": 0}]})
    assert "tenders.0.amount" in refused.value.message


def test_a_v2_return_carries_how_the_money_went_back_and_a_v1_return_says_nothing() -> None:
    kind, payload = _stored("sale_returned")
    back = Payment((Tender(TenderKind.CARD, 400, 400), Tender(TenderKind.CASH, 100, 100)))
    wire = [dump(t) for t in tenders_of(back)]
    ret = parse_payload(kind, {**payload, "v": 2, "refunds": wire})
    assert isinstance(ret, SaleReturnedV2) and ret.refund == back
    assert dump(ret)["refunds"] == wire and dump(ret)["return"] == payload["return"]
    v1 = parse_payload(kind, payload)
    assert isinstance(v1, SaleReturnedV1) and v1.refund is None
    with pytest.raises(InvalidPayloadError) as refused:
        parse_payload(kind, {**payload, "v": 2})
    assert "refunds: Field required" in refused.value.message
