"""What a return leaves in the till's SQLite file: a ``return`` row and its lines, its ledger
entries and the ``sale.returned`` event the server will re-validate it from.

The sale: demo customer 0 (Gold: 5% off; 236.00 ₽ of bonus) buys two coffees at 300 ₽ and a
milk at 90 ₽ and spends all the bonus the 30% cap allows:
    coffee line: 600.00 - 30.00 (5%) = 570.00, of which 171.00 paid with bonus, 399.00 due,
                 27.92 ₽ of accrual (pending)
    milk line:    90.00 -  4.50 (5%) =  85.50, of which  25.65 paid with bonus,  59.85 due
Returning one coffee of the two gives back half of the coffee line.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.returns import ReturnedLine
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    CompletedReturn,
    CompletedSale,
    ReturnRequest,
)

COFFEE = CartItem("a", "Кофе", unit_price=30_000, quantity_milli=2_000)
MILK = CartItem("b", "Молоко", unit_price=9_000)
C, M = COFFEE.line_id, MILK.line_id  # the ids the lines got in the cart


def _rows(seeded_till: Till, sql: str, *args: object) -> list[dict[str, Any]]:
    conn = sqlite3.connect(seeded_till.settings.resolved_database_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, args)]
    finally:
        conn.close()


def _sale(seeded_till: Till, *items: CartItem, customer: int | None = 0) -> CompletedSale:
    sv = seeded_till.services
    staff = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    if customer is None:
        return sv.checkout(CheckoutRequest(items, staff.id))
    card = demo_card(sv.ctx.card_codec, customer)
    who = sv.identify(card)
    return sv.checkout(
        CheckoutRequest(items, staff.id, who.customer.id, card_number=card, redeem="max")
    )


def _senior(seeded_till: Till) -> str:
    """The senior cashier does the returns here; another cashier made the sales."""
    return next(s.id for s in seeded_till.services.staff_list() if s.role is Role.SENIOR)


def _return(seeded_till: Till, number: int, quantities: dict[str, int]) -> CompletedReturn:
    return seeded_till.services.return_items(
        ReturnRequest(number, quantities, _senior(seeded_till))
    )


def _returned_event(seeded_till: Till, return_id: str) -> dict[str, Any]:
    with seeded_till.services.uows.reading() as uow:
        events = uow.outbox.for_aggregate(return_id)
    assert [e.kind for e in events] == ["sale.returned"]
    return events[0].payload


def _document(doc: dict[str, Any]) -> dict[str, Any]:
    """The return document (stored with the row and sent in the event) as domain values."""
    assert doc["v"] == 1
    return {
        "lines": tuple(ReturnedLine(**line) for line in doc["lines"]),
        "gift_cards": doc["gift_cards"],
        "complete": doc["complete"],
        "debt_added": doc["debt_added"],
        "notes": doc["notes"],
        "approved_by": doc["approved_by"],
    }


def test_the_sale_is_what_the_module_docstring_says(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    coffee, milk = sale.receipt.lines
    assert (coffee.tier_discount, coffee.redeemed, coffee.due, coffee.accrual) == (
        3_000,
        17_100,
        39_900,
        2_792,
    )
    assert (milk.tier_discount, milk.redeemed, milk.due) == (450, 2_565, 5_985)


def test_a_return_row_and_its_line_carry_the_refund_as_negative_money(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    done = _return(seeded_till, sale.number, {C: 1_000})
    # Half of the coffee line: 399.00 / 2 = 199.50 ₽ back, 85.50 ₽ of bonus restored,
    # 13.96 ₽ of pending accrual taken back.
    assert done.priced.lines == (ReturnedLine(C, 1_000, 19_950, 8_550, 1_396, 0),)
    assert done.number == sale.number + 1  # a return takes the next receipt number
    (row,) = _rows(seeded_till, "SELECT * FROM sales WHERE id = ?", done.return_id)
    assert (row["kind"], row["number"], row["original_sale_id"]) == ("return", 2, sale.sale_id)
    assert (row["till_id"], row["staff_id"], row["customer_id"], row["card_number"]) == (
        seeded_till.services.ctx.till_id,
        _senior(seeded_till),
        sale.receipt.customer_id,
        demo_card(seeded_till.services.ctx.card_codec, 0),
    )
    assert (row["subtotal"], row["total_due"], row["bonus_redeemed"], row["bonus_accrued"]) == (
        -19_950,
        -19_950,
        -8_550,
        -1_396,
    )
    assert datetime.fromisoformat(row["created_at"] + "+00:00") == done.created_at
    lines = _rows(
        seeded_till,
        "SELECT line_no, line_id, sku, name, quantity_milli, amount, bonus_redeemed, paid,"
        " accrued FROM sale_lines WHERE sale_id = ?",
        done.return_id,
    )
    assert lines == [
        {"line_no": 1, "line_id": C, "sku": "a", "name": "Кофе", "quantity_milli": 1_000,
         "amount": -19_950,
         "bonus_redeemed": -8_550, "paid": -19_950, "accrued": -1_396},
    ]  # fmt: skip


def test_the_return_document_is_stored_with_the_row_and_sent_in_the_event(
    seeded_till: Till,
) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    done = _return(seeded_till, sale.number, {C: 1_000})
    with seeded_till.services.uows.reading() as uow:
        stored = uow.sales.receipt_json(done.return_id)
    assert stored is not None
    sent = _returned_event(seeded_till, done.return_id)["return"]
    assert stored == sent
    assert _document(sent) == {
        "lines": done.priced.lines,
        "gift_cards": [],
        "complete": False,
        "debt_added": 0,
        "notes": [],
        "approved_by": None,
    }


def test_returning_the_rest_completes_the_receipt(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    _return(seeded_till, sale.number, {C: 1_000})
    done = _return(seeded_till, sale.number, {C: 1_000, M: 1_000})
    assert done.priced.complete
    assert _document(_returned_event(seeded_till, done.return_id)["return"])["complete"] is True


def test_the_return_entries_are_in_the_ledger_and_in_the_event_field_by_field(
    seeded_till: Till,
) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    with seeded_till.services.uows.reading() as uow:
        of_sale = {e.id for e in uow.ledger.of_sale(sale.sale_id)}
    done = _return(seeded_till, sale.number, {C: 1_000})
    with seeded_till.services.uows.reading() as uow:
        written = sorted(
            (e for e in uow.ledger.of_sale(sale.sale_id) if e.id not in of_sale),
            key=lambda e: e.id,
        )
    assert sorted(e.kind for e in written) == sorted(
        [EntryKind.PURCHASE_RETURN, EntryKind.RESTORE, EntryKind.REVERSAL]
    )
    assert sorted(done.priced.entries, key=lambda e: e.id) == written
    payload = _returned_event(seeded_till, done.return_id)
    sent = sorted((LedgerEntry.from_wire(e) for e in payload["entries"]), key=lambda e: e.id)
    assert sent == written


def test_the_balance_after_a_return_is_what_the_ledger_on_disk_says(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    done = _return(seeded_till, sale.number, {C: 1_000})
    # 236.00 - 196.65 spent + 85.50 restored = 124.85 ₽; pending 32.11 - 13.96 = 18.15 ₽.
    assert done.balance_after is not None
    assert done.balance_after.available == 12_485
    assert done.balance_after.pending_total == 1_815
    fresh = TillServices(seeded_till.services.uows, seeded_till.services.ctx)  # no cached wallets
    balance = fresh.identify(demo_phone(0)).balance
    assert (balance.available, balance.pending_total) == (12_485, 1_815)


def test_the_returned_event_names_the_return_the_sale_and_who_did_it(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK)
    done = _return(seeded_till, sale.number, {C: 1_000, M: 0})
    payload = _returned_event(seeded_till, done.return_id)
    assert payload["v"] == 2
    # Paid in cash (the exact sum): the coffee's refund goes back in cash.
    assert payload["refunds"] == [{"kind": "cash", "amount": done.refund, "tendered": done.refund}]
    assert (payload["return_id"], payload["number"], payload["sale_id"]) == (
        done.return_id,
        2,
        sale.sale_id,
    )
    assert (payload["till_id"], payload["staff_id"], payload["approved_by"]) == (
        seeded_till.services.ctx.till_id,
        _senior(seeded_till),
        None,
    )
    assert datetime.fromisoformat(payload["created_at"]) == done.created_at
    assert payload["quantities"] == {C: 1_000, M: 0}


def test_an_anonymous_return_refunds_money_and_writes_no_bonus_entries(seeded_till: Till) -> None:
    sale = _sale(seeded_till, COFFEE, MILK, customer=None)
    done = _return(seeded_till, sale.number, {M: 1_000})
    assert done.refund == 9_000 and done.balance_after is None
    assert done.priced.entries == ()
    assert _returned_event(seeded_till, done.return_id)["entries"] == []
    (row,) = _rows(
        seeded_till, "SELECT customer_id, total_due FROM sales WHERE id = ?", done.return_id
    )
    assert row == {"customer_id": None, "total_due": -9_000}
