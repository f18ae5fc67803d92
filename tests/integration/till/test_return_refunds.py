"""How a return's money goes back at the till, what it shows before it is confirmed, and the
manager's PIN a large refund needs.

The sale: a kettle at 2 000,00 and a mug at 500,00, no customer (no discount): 2 500,00, of
which 1 800,00 on the bank card and 700,00 in cash (a 1 000 note, 300,00 change).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.payment import Payment, Tender, TenderKind
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale, ReturnRequest

KETTLE = CartItem("k", "Чайник", unit_price=200_000)
MUG = CartItem("m", "Кружка", unit_price=50_000)
CARD, CASH = TenderKind.CARD, TenderKind.CASH


def _services(till: Till, limit: int | None = None) -> TillServices:
    return TillServices(till.services.uows, replace(till.services.ctx, return_limit=limit))


def _staff(sv: TillServices, role: Role) -> str:
    return next(s.id for s in sv.staff_list() if s.role is role)


def _sell(sv: TillServices) -> CompletedSale:
    return sv.checkout(
        CheckoutRequest(
            (KETTLE, MUG), _staff(sv, Role.CASHIER), card_amount=180_000, cash_tendered=100_000
        )
    )


def _refund(card: int = 0, cash: int = 0) -> Payment:
    tenders = [Tender(CARD, card, card)] if card else []
    return Payment(tuple(tenders + ([Tender(CASH, cash, cash)] if cash else [])))


def test_a_split_sale_goes_back_to_the_card_first_and_then_in_cash(seeded_till: Till) -> None:
    sv = _services(seeded_till)
    sale = _sell(sv)
    senior = _staff(sv, Role.SENIOR)
    kettle = sv.return_items(ReturnRequest(sale.number, {KETTLE.line_id: 1_000}, senior))
    assert kettle.refund_payment == _refund(card=180_000, cash=20_000)
    mug = sv.return_items(ReturnRequest(sale.number, {MUG.line_id: 1_000}, senior))
    assert mug.refund_payment == _refund(cash=50_000)  # the card has had all it paid back
    # Stored with each return, as the lookup and the paper read it.
    found = {r.number: r.payment for r in sv.find_receipts("")}
    assert found[kettle.number] == kettle.refund_payment
    assert found[mug.number] == mug.refund_payment


def test_the_quote_shows_what_the_return_will_do_and_writes_nothing(seeded_till: Till) -> None:
    sv = _services(seeded_till)
    sale = _sell(sv)
    req = ReturnRequest(sale.number, {MUG.line_id: 1_000}, _staff(sv, Role.SENIOR))
    path = seeded_till.settings.resolved_database_path
    before = sqlite3.connect(path).execute("SELECT count(*) FROM sales").fetchone()
    quote = sv.quote_return(req)
    after = sqlite3.connect(path).execute("SELECT count(*) FROM sales").fetchone()
    assert before == after
    assert (quote.total, quote.refund, quote.needs_manager) == (50_000, _refund(card=50_000), False)
    assert sv.returned_quantities(sale.sale_id) == {}
    done = sv.return_items(req)
    assert (done.refund, done.refund_payment) == (quote.total, quote.refund)
    assert sv.returned_quantities(sale.sale_id) == {MUG.line_id: 1_000}


def test_a_refund_above_the_limit_needs_a_manager_and_one_at_it_does_not(
    seeded_till: Till,
) -> None:
    sv = _services(seeded_till, limit=50_000)
    sale = _sell(sv)
    senior = _staff(sv, Role.SENIOR)
    at_limit = ReturnRequest(sale.number, {MUG.line_id: 1_000}, senior)
    above = ReturnRequest(sale.number, {KETTLE.line_id: 1_000}, senior)
    assert not sv.quote_return(at_limit).needs_manager  # 500,00 is the limit itself
    assert sv.quote_return(above).needs_manager
    with pytest.raises(DomainError) as refused:
        sv.return_items(above)
    assert refused.value.code == "return.needs_manager"
    assert refused.value.params == {"refund": 200_000, "limit": 50_000}
    assert sv.returned_quantities(sale.sale_id) == {}  # nothing was written
    # A senior cashier cannot approve it; the manager can.
    with pytest.raises(DomainError) as refused:
        sv.return_items(replace(above, approved_by=senior, approval_reason="broken"))
    assert refused.value.code == "return.approval_not_manager"
    manager = _staff(sv, Role.MANAGER)
    assert not sv.quote_return(replace(above, approved_by=manager)).needs_manager
    with pytest.raises(DomainError) as refused:  # the audit log needs the reason
        sv.return_items(replace(above, approved_by=manager, approval_reason="  "))
    assert refused.value.code == "return.approval_reason_missing"
    assert sv.returned_quantities(sale.sale_id) == {}
    done = sv.return_items(
        replace(above, approved_by=manager, approval_reason=" kettle leaks, checked ")
    )
    assert done.refund == 200_000
    with sv.uows.reading() as uow:
        (event,) = uow.outbox.for_aggregate(done.return_id)
        overrides = uow.outbox.of_kind("override.recorded")
    assert event.payload["approved_by"] == manager
    (override,) = overrides
    assert {k: override.payload[k] for k in ("manager_id", "staff_id", "action")} == {
        "manager_id": manager,
        "staff_id": senior,
        "action": "return_above_limit",
    }
    assert (override.payload["subject_id"], override.payload["amount"]) == (done.return_id, 200_000)
    assert override.payload["reason"] == "kettle leaks, checked"
    assert datetime.fromisoformat(override.payload["at"]) == done.created_at


def test_a_till_without_a_limit_never_asks(seeded_till: Till) -> None:
    sv = _services(seeded_till, limit=None)
    sale = _sell(sv)
    req = ReturnRequest(sale.number, {KETTLE.line_id: 1_000}, _staff(sv, Role.CASHIER))
    assert not sv.quote_return(req).needs_manager
    assert sv.return_items(req).refund == 200_000


def test_a_receipt_past_the_return_window_is_quoted_but_needs_a_manager(seeded_till: Till) -> None:
    sv = _services(seeded_till)
    sale = _sell(sv)
    days = sv.rules().returns.window_days
    later = TillServices(
        sv.uows, replace(sv.ctx, clock=lambda: sale.created_at + timedelta(days=days + 2))
    )
    req = ReturnRequest(sale.number, {MUG.line_id: 1_000}, _staff(sv, Role.SENIOR))
    quote = later.quote_return(req)
    assert quote.needs_manager and quote.total == 50_000
    with pytest.raises(DomainError) as refused:
        later.return_items(req)
    assert refused.value.code == "return.window_closed"
    approved = later.return_items(
        replace(req, approved_by=_staff(sv, Role.MANAGER), approval_reason="receipt lost in post")
    )
    assert approved.refund == 50_000
    with sv.uows.reading() as uow:
        actions = [e.payload["action"] for e in uow.outbox.of_kind("override.recorded")]
    assert actions == ["late_return"]


def test_a_sale_is_found_by_its_id_and_a_return_is_not(seeded_till: Till) -> None:
    sv = _services(seeded_till)
    sale = _sell(sv)
    found = sv.sale(sale.sale_id)
    assert found is not None and found.number == sale.number
    back = sv.return_items(
        ReturnRequest(sale.number, {MUG.line_id: 1_000}, _staff(sv, Role.SENIOR))
    )
    assert sv.sale(back.return_id) is None and sv.sale("no such id") is None
