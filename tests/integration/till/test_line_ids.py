"""A sale line keeps one id from the cart through pricing, storage, the wire and returns."""

from __future__ import annotations

import sqlite3

import pytest

from loyalty_core.returns import ReturnTooLargeError, UnknownReturnLineError
from pos_client.bootstrap import Till, bootstrap
from pos_client.records import EventStatus
from pos_client.services.demo_store import demo_phone
from pos_client.services.messages import CartItem, CheckoutRequest, ReturnRequest

TEA = CartItem("a", "Чай", unit_price=20_000, quantity_milli=2_000)
JAM = CartItem("b", "Джем", unit_price=15_000)
HONEY = CartItem("c", "Мёд", unit_price=45_000)


def _cashier(till: Till) -> str:
    return till.services.staff_list()[0].id


def test_the_ids_the_lines_got_in_the_cart_are_stored_priced_and_sent(seeded_till: Till) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0)).customer.id
    # The jam was rung up second and taken off again: the others keep their ids.
    items = (TEA, HONEY)
    sale = sv.checkout(CheckoutRequest(items, _cashier(seeded_till), customer_id=customer))
    ids = [TEA.line_id, HONEY.line_id]
    assert [line.line_id for line in sale.receipt.lines] == ids

    stored = sv.find_sale(sale.number)
    assert [line.line_id for line in stored.receipt.lines] == ids
    assert stored.unit_prices == {TEA.line_id: 20_000, HONEY.line_id: 45_000}
    assert stored.sync is not None and stored.sync.status is EventStatus.QUEUED

    conn = sqlite3.connect(seeded_till.settings.resolved_database_path)
    rows = conn.execute(
        "SELECT line_no, line_id FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
        (sale.sale_id,),
    ).fetchall()
    conn.close()
    assert rows == [(1, TEA.line_id), (2, HONEY.line_id)]
    with sv.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(sale.sale_id)
    assert [line["line_id"] for line in event.payload["receipt"]["lines"]] == ids


def test_a_return_by_line_id_after_a_restart(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = sv.checkout(CheckoutRequest((TEA, JAM, HONEY), _cashier(seeded_till)))
    first = sv.return_items(ReturnRequest(sale.number, {JAM.line_id: 1_000}, _cashier(seeded_till)))
    assert [line.line_id for line in first.priced.lines] == [JAM.line_id]
    seeded_till.close()

    till = bootstrap(seeded_till.settings, logs=False)
    try:
        sv = till.services
        with sv.uows.reading() as uow:
            assert uow.sales.returned_quantities(sale.sale_id) == {JAM.line_id: 1_000}
        with pytest.raises(ReturnTooLargeError):
            sv.return_items(ReturnRequest(sale.number, {JAM.line_id: 1_000}, _cashier(till)))
        with pytest.raises(UnknownReturnLineError):  # a position is not a line's id
            sv.return_items(ReturnRequest(sale.number, {"3": 1_000}, _cashier(till)))
        done = sv.return_items(
            ReturnRequest(sale.number, {HONEY.line_id: 1_000, TEA.line_id: 500}, _cashier(till))
        )
        assert {line.line_id: line.quantity_milli for line in done.priced.lines} == {
            HONEY.line_id: 1_000,
            TEA.line_id: 500,
        }
        assert done.refund == 45_000 + 10_000  # the honey and a quarter of 400.00 ₽ of tea
        assert sv.sync_state(done.return_id) is not None
    finally:
        till.close()
