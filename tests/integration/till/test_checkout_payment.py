"""How a sale is paid, as the till stores it: cash with change, card, both; and what a refused
payment leaves behind (nothing). Read back from the till's file and its outbox event."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.payment import Payment, Tender, TenderKind
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale

# Two litres of milk at 89,90: 179,80 due.
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=2_000)
DUE = 17_980


def _pay(till: Till, **payment: Any) -> CompletedSale:
    staff = till.services.staff_list()[0]
    return till.services.checkout(CheckoutRequest((MILK,), staff.id, **payment))


def _tender_rows(till: Till, sale_id: str | None = None) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(till.settings.resolved_database_path)
    try:
        sql = "SELECT sale_id, seq, kind, amount, tendered FROM sale_tenders"
        if sale_id is None:
            return conn.execute(sql).fetchall()
        return conn.execute(sql + " WHERE sale_id = ? ORDER BY seq", (sale_id,)).fetchall()
    finally:
        conn.close()


def _event_tenders(till: Till, sale_id: str) -> list[dict[str, Any]]:
    with till.services.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(sale_id)
    tenders: list[dict[str, Any]] = event.payload["tenders"]
    return tenders


def test_cash_with_change_is_stored_sent_and_read_back(seeded_till: Till) -> None:
    # 179,80 due; the customer hands over 200,00: change 20,20.
    sale = _pay(seeded_till, cash_tendered=20_000)
    assert sale.payment.change == 2_020
    assert _tender_rows(seeded_till, sale.sale_id) == [(sale.sale_id, 1, "cash", DUE, 20_000)]
    assert _event_tenders(seeded_till, sale.sale_id) == [
        {"kind": "cash", "amount": DUE, "tendered": 20_000}
    ]
    with seeded_till.services.uows.reading() as uow:
        stored = uow.sales.get(sale.sale_id)
    assert stored is not None
    assert stored.payment == Payment((Tender(TenderKind.CASH, DUE, 20_000),))


def test_a_card_payment_is_stored_with_no_change(seeded_till: Till) -> None:
    sale = _pay(seeded_till, card_amount=DUE)
    assert sale.payment.change == 0
    assert _tender_rows(seeded_till, sale.sale_id) == [(sale.sale_id, 1, "card", DUE, DUE)]


def test_a_split_payment_keeps_the_card_first_then_cash(seeded_till: Till) -> None:
    # 100,00 by card, 79,80 due in cash, 100,00 handed over: change 20,20.
    sale = _pay(seeded_till, card_amount=10_000, cash_tendered=10_000)
    assert _tender_rows(seeded_till, sale.sale_id) == [
        (sale.sale_id, 1, "card", 10_000, 10_000),
        (sale.sale_id, 2, "cash", 7_980, 10_000),
    ]
    assert sale.payment.change == 2_020
    assert [t["kind"] for t in _event_tenders(seeded_till, sale.sale_id)] == ["card", "cash"]


@pytest.mark.parametrize(
    ("payment", "code"),
    [
        ({"cash_tendered": DUE - 1}, "payment.cash_short"),
        ({"card_amount": DUE + 1}, "payment.card_above_total"),
        ({"card_amount": 10_000, "cash_tendered": 7_979}, "payment.cash_short"),
        ({"card_amount": DUE, "cash_tendered": 100}, "payment.cash_not_needed"),
    ],
)
def test_a_payment_that_does_not_cover_the_check_is_refused_and_writes_nothing(
    seeded_till: Till, payment: dict[str, int], code: str
) -> None:
    def counts() -> tuple[int, int]:
        with seeded_till.services.uows.reading() as uow:
            return uow.sales.count(), uow.outbox.pending()

    before = counts()
    with pytest.raises(DomainError) as refused:
        _pay(seeded_till, **payment)
    assert refused.value.code == code
    assert counts() == before
    assert _tender_rows(seeded_till) == []
