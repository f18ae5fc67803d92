"""The receipt lookup, as a cashier searches it: by receipt number, by day in the store's time
zone, by the customer's phone or card; newest first, with how each was paid, who served it and
where it is on the way to the server."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.payment import Payment, Tender, TenderKind
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale, ReturnRequest

MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990)
# 23:59 and 00:01 in Moscow (UTC+3): the 7th and the 8th of March in the store's zone.
LATE_ON_THE_7TH = datetime(2026, 3, 7, 20, 59, tzinfo=UTC)
EARLY_ON_THE_8TH = datetime(2026, 3, 7, 21, 1, tzinfo=UTC)


def _at(till: Till, moment: datetime) -> TillServices:
    sv = till.services
    return TillServices(sv.uows, replace(sv.ctx, clock=lambda: moment))


def _sell(sv: TillServices, *, customer: str | None = None, **payment: int) -> CompletedSale:
    who = sv.identify(customer).customer.id if customer else None
    staff = sv.staff_list()[0]
    return sv.checkout(CheckoutRequest((MILK,), staff.id, customer_id=who, **payment))


def test_with_nothing_typed_the_newest_come_first_with_payment_cashier_and_server_state(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    first = _sell(sv, cash_tendered=10_000)
    second = _sell(sv, card_amount=8_990)
    staff = sv.staff_list()[0]
    back = sv.return_items(ReturnRequest(second.number, {MILK.line_id: 1_000}, staff.id))

    found = sv.find_receipts("")

    assert [(r.number, r.kind) for r in found[:3]] == [
        (back.number, "return"),
        (second.number, "sale"),
        (first.number, "sale"),
    ]
    ret, card_sale, cash_sale = found[:3]
    # The return of the card sale went back to the card.
    assert (ret.total, ret.original_number) == (8_990, second.number)
    assert ret.payment == Payment((Tender(TenderKind.CARD, 8_990, 8_990),))
    assert card_sale.payment == Payment((Tender(TenderKind.CARD, 8_990, 8_990),))
    assert cash_sale.payment == Payment((Tender(TenderKind.CASH, 8_990, 10_000),))
    assert cash_sale.total == 8_990 and cash_sale.cashier == staff.name
    assert cash_sale.sync is not None and cash_sale.sync.status is EventStatus.QUEUED


def test_a_receipt_number_finds_that_receipt_only(seeded_till: Till) -> None:
    sv = seeded_till.services
    sales = [_sell(sv) for _ in range(3)]
    for typed in (str(sales[1].number), f"№ {sales[1].number}", f" #{sales[1].number} "):
        assert [r.id for r in sv.find_receipts(typed)] == [sales[1].sale_id], typed
    assert sv.find_receipts("999999") == []


def test_a_day_is_the_stores_day_midnight_to_midnight(seeded_till: Till) -> None:
    late = _sell(_at(seeded_till, LATE_ON_THE_7TH))
    early = _sell(_at(seeded_till, EARLY_ON_THE_8TH))
    sv = seeded_till.services
    assert [r.id for r in sv.find_receipts("07.03.2026")] == [late.sale_id]
    assert [r.id for r in sv.find_receipts("8.3.2026")] == [early.sale_id]
    assert sv.find_receipts("06.03.2026") == []


def test_a_day_that_does_not_exist_is_refused_by_name(seeded_till: Till) -> None:
    with pytest.raises(DomainError) as refused:
        seeded_till.services.find_receipts("31.02.2026")
    assert refused.value.code == "receipts.bad_day"
    assert "31.02.2026" in refused.value.message


def test_a_phone_or_a_card_lists_that_customers_receipts(seeded_till: Till) -> None:
    sv = seeded_till.services
    hers = _sell(sv, customer=demo_phone(0))
    _sell(sv, customer=demo_phone(1))
    _sell(sv)
    card = demo_card(sv.ctx.card_codec, 0)
    assert [r.id for r in sv.find_receipts(demo_phone(0))] == [hers.sale_id]
    assert [r.id for r in sv.find_receipts(card)] == [hers.sale_id]
    assert [r.card_number for r in sv.find_receipts(card)] == [None]  # paid by phone lookup


def test_an_unknown_phone_is_refused_as_the_customer_lookup_refuses_it(seeded_till: Till) -> None:
    with pytest.raises(DomainError) as refused:
        seeded_till.services.find_receipts("+7 999 000-00-00")
    assert refused.value.code == "customer.not_found"


def test_a_receipts_id_from_its_qr_finds_it_whatever_the_letter_case(seeded_till: Till) -> None:
    sv = seeded_till.services
    sales = [_sell(sv) for _ in range(2)]
    assert [r.id for r in sv.find_receipts(sales[0].sale_id)] == [sales[0].sale_id]
    assert [r.id for r in sv.find_receipts(sales[0].sale_id.upper())] == [sales[0].sale_id]


def test_at_most_fifty_are_listed_the_newest(seeded_till: Till) -> None:
    sv = seeded_till.services
    sales = [_sell(sv) for _ in range(51)]
    found = sv.find_receipts("")
    assert len(found) == 50 and found[0].id == sales[-1].sale_id
    assert sales[0].sale_id not in {r.id for r in found}


def test_a_receipt_by_someone_this_till_no_longer_knows_names_no_cashier(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    gone = "00000000-0000-0000-0000-0000000000aa"  # a colleague removed since
    sale = sv.checkout(CheckoutRequest((MILK,), gone))
    (found,) = sv.find_receipts(str(sale.number))
    assert found.staff_id == gone and found.cashier == ""
