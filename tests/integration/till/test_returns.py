"""Returns at the till: by receipt number and line, through the loyalty engine, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from loyalty_core.returns import (
    ReturnRefusedError,
    ReturnTooLargeError,
    ReturnWindowClosedError,
    UnknownReturnLineError,
)
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    CompletedSale,
    RegisterCustomer,
    ReturnRequest,
)
from pos_client.services.returns import ApprovalNotManagerError, SaleNotFoundError

# Each line keeps the id it got in the cart; returns address lines by it.
COFFEE = CartItem(sku="a", name="Кофе", unit_price=30_000, quantity_milli=2_000)
MILK = CartItem(sku="b", name="Молоко", unit_price=9_000)
C, M = COFFEE.line_id, MILK.line_id


def _sale(sv: TillServices, redeem: int | str = "max") -> CompletedSale:
    staff = sv.staff_list()[0]
    customer = sv.identify(demo_phone(0))  # has an opening balance
    return sv.checkout(
        CheckoutRequest((COFFEE, MILK), staff.id, customer_id=customer.customer.id, redeem=redeem)  # type: ignore[arg-type]
    )


def test_full_return_restores_the_balance_and_refunds_what_was_paid(seeded_till: Till) -> None:
    sv = seeded_till.services
    before = sv.identify(demo_phone(0)).balance
    sale = _sale(sv)
    staff = sv.staff_list()[0]
    done = sv.return_items(ReturnRequest(sale.number, {C: 2_000, M: 1_000}, staff.id))
    assert done.refund == sale.receipt.due
    assert done.priced.complete
    after = sv.identify(demo_phone(0)).balance
    # Redeemed bonus is back, the pending accrual is gone: nothing minted, nothing lost.
    assert after.available == before.available
    assert after.pending_total == before.pending_total
    with sv.uows.reading() as uow:
        assert [e.kind for e in uow.outbox.for_aggregate(done.return_id)] == ["sale.returned"]
        assert uow.sales.returned_quantities(sale.sale_id) == {C: 2_000, M: 1_000}


def test_a_customers_return_is_quoted_with_its_bonus_effect_and_writes_nothing(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    staff = sv.staff_list()[0]
    request = ReturnRequest(sale.number, {M: 1_000}, staff.id)
    with sv.uows.reading() as uow:
        entries_before = len(uow.ledger.of_customer(sale.receipt.customer_id or ""))
    quote = sv.quote_return(request)
    # The sale the screen shows the quote for: this receipt, this customer.
    assert (quote.sale.id, quote.sale.number) == (sale.sale_id, sale.number)
    assert quote.sale.customer_id is not None
    assert quote.sale.customer_id == sale.receipt.customer_id
    # The milk's share of the bonus paid comes back, its share of the accrual is reversed.
    assert quote.priced.refund > 0 and quote.priced.entries
    assert sum(e.points for e in quote.priced.entries) != 0
    with sv.uows.reading() as uow:
        assert len(uow.ledger.of_customer(sale.receipt.customer_id or "")) == entries_before
        assert uow.sales.returned_quantities(sale.sale_id) == {}
    done = sv.return_items(request)
    assert (done.refund, done.priced.debt_added) == (quote.priced.refund, quote.priced.debt_added)


def test_partial_returns_add_up_and_cannot_exceed_the_sale(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    staff = sv.staff_list()[0]
    first = sv.return_items(ReturnRequest(sale.number, {C: 1_000}, staff.id))
    second = sv.return_items(ReturnRequest(sale.number, {C: 1_000}, staff.id))
    assert first.refund + second.refund == sale.receipt.line(C).due
    with pytest.raises(ReturnRefusedError):
        sv.return_items(ReturnRequest(sale.number, {C: 1_000}, staff.id))
    with sv.uows.reading() as uow:
        assert uow.sales.returned_quantities(sale.sale_id) == {C: 2_000}


def test_unknown_receipt_and_late_returns_are_refused_without_writing(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff = sv.staff_list()[0]
    with pytest.raises(SaleNotFoundError):
        sv.return_items(ReturnRequest(999, {C: 1_000}, staff.id))
    sale = _sale(sv)
    window = sv.rules().returns.window_days
    late = TillServices(
        sv.uows, replace(sv.ctx, clock=lambda: sale.created_at + timedelta(days=window + 1))
    )
    with pytest.raises(ReturnWindowClosedError):
        late.return_items(ReturnRequest(sale.number, {M: 1_000}, staff.id))
    cashier = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    with pytest.raises(ApprovalNotManagerError):
        late.return_items(ReturnRequest(sale.number, {M: 1_000}, staff.id, cashier.id))
    with sv.uows.reading() as uow:
        assert uow.sales.returned_quantities(sale.sale_id) == {}
    manager = next(s for s in sv.staff_list() if s.role is Role.MANAGER)
    done = late.return_items(
        ReturnRequest(sale.number, {M: 1_000}, staff.id, manager.id, "receipt checked")
    )
    assert done.refund == sale.receipt.line(M).due


def _staff(sv: TillServices, role: Role) -> str:
    return next(s.id for s in sv.staff_list() if s.role is role)


def _written(sv: TillServices) -> tuple[int, int, int]:
    """Rows in sales, ledger entries and outbox events: a refusal adds none."""
    with sv.uows.reading() as uow:
        return (
            uow.sales.count(),
            sum(uow.outbox.count_by_status().values()),
            len(uow.ledger.of_customer(sv.identify(demo_phone(0)).customer.id)),
        )


def test_an_unknown_receipt_number_is_refused_naming_the_number(seeded_till: Till) -> None:
    sv = seeded_till.services
    with pytest.raises(SaleNotFoundError) as refused:
        sv.return_items(ReturnRequest(999, {C: 1_000}, _staff(sv, Role.CASHIER)))
    assert refused.value.params == {"number": 999}
    assert "999" in refused.value.message
    with pytest.raises(SaleNotFoundError) as looked_up:
        sv.find_sale(999)
    assert looked_up.value.params == {"number": 999}


def test_a_sale_is_found_by_its_receipt_number(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    found = sv.find_sale(sale.number)
    assert (found.id, found.number, found.kind) == (sale.sale_id, sale.number, "sale")
    assert found.receipt == sale.receipt


def test_the_number_of_a_return_receipt_is_not_a_sale_to_return(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    done = sv.return_items(ReturnRequest(sale.number, {M: 1_000}, _staff(sv, Role.CASHIER)))
    before = _written(sv)
    with pytest.raises(SaleNotFoundError) as refused:
        sv.return_items(ReturnRequest(done.number, {C: 1_000}, _staff(sv, Role.CASHIER)))
    assert refused.value.params == {"number": done.number}
    assert _written(sv) == before


@pytest.mark.parametrize("approver", ["cashier", "senior", "nobody"])
def test_only_a_manager_can_approve_a_late_return(seeded_till: Till, approver: str) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    window = sv.rules().returns.window_days
    late = TillServices(
        sv.uows, replace(sv.ctx, clock=lambda: sale.created_at + timedelta(days=window + 1))
    )
    approved_by = (
        "01900000-0000-7000-8000-000000000000"
        if approver == "nobody"
        else _staff(sv, Role(approver))
    )
    before = _written(sv)
    with pytest.raises(ApprovalNotManagerError):
        late.return_items(
            ReturnRequest(sale.number, {M: 1_000}, _staff(sv, Role.CASHIER), approved_by, "checked")
        )
    assert _written(sv) == before


def test_a_managers_approval_is_kept_with_the_return_and_sent_to_the_server(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    window = sv.rules().returns.window_days
    late = TillServices(
        sv.uows, replace(sv.ctx, clock=lambda: sale.created_at + timedelta(days=window + 1))
    )
    manager = _staff(sv, Role.MANAGER)
    done = late.return_items(
        ReturnRequest(sale.number, {M: 1_000}, _staff(sv, Role.CASHIER), manager, "checked")
    )
    with sv.uows.reading() as uow:
        document = uow.sales.receipt_json(done.return_id)
        (event,) = uow.outbox.for_aggregate(done.return_id)
    assert document is not None and document["approved_by"] == manager
    assert event.payload["approved_by"] == manager
    assert event.payload["return"] == document


@pytest.mark.parametrize(
    ("quantities", "refusal"),
    [
        ({"1": 1_000}, UnknownReturnLineError),  # a position is not a line id
        ({C: 2_001}, ReturnTooLargeError),  # two coffees were sold: 2.000
        ({M: -1}, ReturnTooLargeError),
    ],
)
def test_a_refused_line_writes_nothing(
    seeded_till: Till, quantities: dict[str, int], refusal: type[Exception]
) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    before = _written(sv)
    with pytest.raises(refusal):
        sv.return_items(ReturnRequest(sale.number, quantities, _staff(sv, Role.CASHIER)))
    assert _written(sv) == before
    with sv.uows.reading() as uow:
        assert uow.sales.returned_quantities(sale.sale_id) == {}


def test_two_coffees_can_be_returned_at_once_the_full_line(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    done = sv.return_items(ReturnRequest(sale.number, {C: 2_000}, _staff(sv, Role.CASHIER)))
    assert done.refund == sale.receipt.line(C).due


def test_a_return_is_priced_by_the_rules_its_sale_was_priced_with(seeded_till: Till) -> None:
    """Newer rules that no longer give back redeemed bonus do not apply to an older sale."""
    sv = seeded_till.services
    sale = _sale(sv)
    assert sale.receipt.line(M).redeemed == 2_565  # 25.65 ₽ of bonus paid for the milk
    rules = sv.rules()
    stingy = rules.model_copy(
        # Parsed rules are cached per version for the whole process: a version no other
        # test saves.
        update={
            "version": 902,
            "returns": rules.returns.model_copy(update={"restore_redeemed": False}),
        }
    )
    with sv.uows.writing() as uow:
        uow.rules.save(stingy, sv.ctx.clock())
        uow.commit()
    assert sv.rules().version == 902

    done = sv.return_items(ReturnRequest(sale.number, {M: 1_000}, _staff(sv, Role.CASHIER)))

    assert done.priced.bonus_restored == 2_565
    assert {e.rules_version for e in done.priced.entries} == {sale.receipt.rules_version}


def test_a_completed_return_names_the_sale_it_returned(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = _sale(sv)
    done = sv.return_items(ReturnRequest(sale.number, {M: 1_000}, _staff(sv, Role.CASHIER)))
    assert (done.original.id, done.original.number) == (sale.sale_id, sale.number)


def test_a_return_that_leaves_a_debt_says_so_in_its_document_and_event(seeded_till: Till) -> None:
    # Rules where accrual is usable at once (no welcome bonus, no first-purchase boost): a
    # new customer's 500,00 coffee earns 3% = 15,00; the next 500,00 coffee spends them and
    # earns 3% of 485,00 = 14,55. Returning the first sale takes back the 15,00 already
    # spent: 14,55 from the balance, 0,45 owed.
    sv = seeded_till.services
    rules = sv.rules()
    at_once = rules.model_copy(
        update={  # a version no other test saves (parsed rules are cached per version)
            "version": 917,
            "accrual": rules.accrual.model_copy(update={"activation_days": 0}),
            "welcome": rules.welcome.model_copy(update={"points": 0}),
            "first_purchase": rules.first_purchase.model_copy(update={"accrual_bp": 0}),
        }
    )
    with sv.uows.writing() as uow:
        uow.rules.save(at_once, sv.ctx.clock())
        uow.commit()
    cashier = _staff(sv, Role.CASHIER)
    customer = sv.register_customer(RegisterCustomer("8 912 555-44-34", True, cashier)).customer
    coffee = CartItem("a", "Кофе", 50_000)
    first = sv.checkout(CheckoutRequest((coffee,), cashier, customer_id=customer.id))
    assert first.receipt.accrual == 1_500
    second = sv.checkout(
        CheckoutRequest((CartItem("a", "Кофе", 50_000),), cashier, customer.id, redeem="max")
    )
    assert (second.receipt.redeemed, second.receipt.accrual) == (1_500, 1_455)

    done = sv.return_items(ReturnRequest(first.number, {coffee.line_id: 1_000}, cashier))

    assert done.priced.debt_added == 45
    with sv.uows.reading() as uow:
        document = uow.sales.receipt_json(done.return_id)
        (event,) = uow.outbox.for_aggregate(done.return_id)
    assert document is not None and document["notes"] == [["return.debt", {"debt": 45}]]
    assert event.payload["return"] == document
