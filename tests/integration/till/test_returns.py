"""Returns at the till: by receipt number and line, through the loyalty engine, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from loyalty_core.returns import ReturnRefusedError, ReturnWindowClosedError
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale, ReturnRequest
from pos_client.services.returns import ApprovalNotManagerError, SaleNotFoundError


def _sale(sv: TillServices, redeem: int | str = "max") -> CompletedSale:
    staff = sv.staff_list()[0]
    customer = sv.identify(demo_phone(0))  # has an opening balance
    items = (
        CartItem(sku="a", name="Кофе", unit_price=30_000, quantity_milli=2_000),
        CartItem(sku="b", name="Молоко", unit_price=9_000),
    )
    return sv.checkout(
        CheckoutRequest(items, staff.id, customer_id=customer.customer.id, redeem=redeem)  # type: ignore[arg-type]
    )


def test_full_return_restores_the_balance_and_refunds_what_was_paid(till: Till) -> None:
    sv = till.services
    before = sv.identify(demo_phone(0)).balance
    sale = _sale(sv)
    staff = sv.staff_list()[0]
    done = sv.return_items(ReturnRequest(sale.number, {"1": 2_000, "2": 1_000}, staff.id))
    assert done.refund == sale.receipt.due
    assert done.priced.complete
    after = sv.identify(demo_phone(0)).balance
    # Redeemed bonus is back, the pending accrual is gone: nothing minted, nothing lost.
    assert after.available == before.available
    assert after.pending_total == before.pending_total
    with sv.uows.reading() as uow:
        assert [e.kind for e in uow.outbox.for_aggregate(done.return_id)] == ["sale.returned"]
        assert uow.sales.returned_quantities(sale.sale_id) == {"1": 2_000, "2": 1_000}


def test_partial_returns_add_up_and_cannot_exceed_the_sale(till: Till) -> None:
    sv = till.services
    sale = _sale(sv)
    staff = sv.staff_list()[0]
    first = sv.return_items(ReturnRequest(sale.number, {"1": 1_000}, staff.id))
    second = sv.return_items(ReturnRequest(sale.number, {"1": 1_000}, staff.id))
    assert first.refund + second.refund == sale.receipt.line("1").due
    with pytest.raises(ReturnRefusedError):
        sv.return_items(ReturnRequest(sale.number, {"1": 1_000}, staff.id))
    with sv.uows.reading() as uow:
        assert uow.sales.returned_quantities(sale.sale_id) == {"1": 2_000}


def test_unknown_receipt_and_late_returns_are_refused_without_writing(till: Till) -> None:
    sv = till.services
    staff = sv.staff_list()[0]
    with pytest.raises(SaleNotFoundError):
        sv.return_items(ReturnRequest(999, {"1": 1_000}, staff.id))
    sale = _sale(sv)
    window = sv.rules().returns.window_days
    late = TillServices(
        sv.uows, replace(sv.ctx, clock=lambda: sale.created_at + timedelta(days=window + 1))
    )
    with pytest.raises(ReturnWindowClosedError):
        late.return_items(ReturnRequest(sale.number, {"2": 1_000}, staff.id))
    cashier = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    with pytest.raises(ApprovalNotManagerError):
        late.return_items(ReturnRequest(sale.number, {"2": 1_000}, staff.id, cashier.id))
    with sv.uows.reading() as uow:
        assert uow.sales.returned_quantities(sale.sale_id) == {}
    manager = next(s for s in sv.staff_list() if s.role is Role.MANAGER)
    done = late.return_items(ReturnRequest(sale.number, {"2": 1_000}, staff.id, manager.id))
    assert done.refund == sale.receipt.line("2").due
