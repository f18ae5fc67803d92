"""Checkout through the till services on a real SQLite file, priced by the loyalty engine."""

from __future__ import annotations

import pytest

from loyalty_core.ledger import EntryKind
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.checkout import EmptyCartError, PriceChangedError, UnknownProductError
from pos_client.services.demo_store import demo_phone
from pos_client.services.messages import CartItem, CheckoutRequest


def _items(*prices: int) -> tuple[CartItem, ...]:
    return tuple(
        CartItem(sku=f"sku{i}", name=f"item {i}", unit_price=p) for i, p in enumerate(prices)
    )


def test_a_sale_with_a_customer_writes_sale_ledger_and_outbox(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0]
    customer = sv.identify(demo_phone(0))  # demo customer 0 has an opening balance
    available = customer.balance.available
    assert available > 0
    sale = sv.checkout(
        CheckoutRequest(
            items=_items(50_000, 30_000, 20_000),
            staff_id=staff.id,
            customer_id=customer.customer.id,
            redeem="max",
        )
    )
    receipt = sale.receipt
    assert receipt.subtotal == 100_000
    # 30% cap of a 1,000 ₽ check is 300 ₽; the customer spends what they have up to it.
    assert receipt.redeemed == min(available, 30_000)
    assert sum(line.due for line in receipt.lines) == receipt.due
    with sv.uows.reading() as uow:
        entries = uow.ledger.of_sale(sale.sale_id)
        events = uow.outbox.for_aggregate(sale.sale_id)
        state = uow.outbox.state_of(sale.sale_id)
        assert uow.outbox.queued() == 2  # the shift's opening, then the sale
    kinds = {e.kind for e in entries}
    assert EntryKind.REDEMPTION in kinds and EntryKind.PURCHASE in kinds
    assert [e.kind for e in events] == ["sale.completed"]
    assert state is not None and (state.status, state.attempts) == (EventStatus.QUEUED, 0)
    assert events[0].payload["receipt"]["lines"][0]["amount"] == 50_000
    assert sale.balance_after is not None
    assert sale.balance_after.available == available - receipt.redeemed


def test_receipt_numbers_run_in_order(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0]
    numbers = [
        sv.checkout(CheckoutRequest(items=_items(1_000), staff_id=staff.id)).number
        for _ in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_a_total_that_changed_since_the_screen_showed_it_is_refused(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0]
    req = CheckoutRequest(items=_items(10_000), staff_id=staff.id, expected_to_pay=9_000)
    with pytest.raises(PriceChangedError):
        sv.checkout(req)
    with sv.uows.reading() as uow:
        assert uow.sales.count() == 0
        assert uow.outbox.count_by_status() == {"queued": 1}  # only the shift's opening


def test_empty_cart_and_unknown_barcode_are_refused(seeded_till: Till) -> None:
    sv = seeded_till.services
    with pytest.raises(EmptyCartError):
        sv.checkout(CheckoutRequest(items=(), staff_id="x"))
    with pytest.raises(UnknownProductError) as info:
        sv.product("0000000000000")
    assert "0000000000000" in info.value.message


def test_scanned_product_prices_from_the_catalogue(seeded_till: Till) -> None:
    product = seeded_till.services.product("4600000000015")
    assert product.name.startswith("Молоко") and product.price == 8_990


def test_quote_writes_nothing(seeded_till: Till) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0))
    quote = sv.quote(
        CheckoutRequest(
            items=_items(40_000), staff_id="x", customer_id=customer.customer.id, redeem="max"
        )
    )
    assert quote.redeemed > 0
    assert sv.identify(demo_phone(0)).balance == customer.balance
    with sv.uows.reading() as uow:
        assert uow.sales.count() == 0
