"""A manual discount on a line: allowed by a manager's PIN, it lowers the line before the
loyalty engine prices it, and the audit log (an ``override.recorded`` event in the sale's
transaction) keeps who allowed how much off which sale and why. Without a manager, out of
range or without a reason, the sale is refused and nothing is written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest

COFFEE = CartItem("4600000000091", "Кофе в зёрнах 1 кг", unit_price=149_900)
MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=2_000)


def _staff(till: Till, role: Role) -> str:
    return next(s.id for s in till.services.staff_list() if s.role is role)


def _counts(till: Till) -> tuple[int, int]:
    with till.services.uows.reading() as uow:
        return len(uow.outbox.of_kind("sale.completed")), len(
            uow.outbox.of_kind("override.recorded")
        )


def test_a_managers_ten_percent_off_the_coffee_is_priced_and_logged(seeded_till: Till) -> None:
    cashier, manager = _staff(seeded_till, Role.CASHIER), _staff(seeded_till, Role.MANAGER)
    # 10% off 1 499,00 is 149,90: the coffee costs 1 349,10, with the milk 1 528,90.
    coffee = replace(COFFEE, discount=14_990, discount_by=manager, discount_reason="dented pack")
    sale = seeded_till.services.checkout(CheckoutRequest((coffee, MILK), cashier))
    assert [ln.amount for ln in sale.receipt.lines] == [134_910, 17_980]
    assert sale.receipt.to_pay == 152_890
    with seeded_till.services.uows.reading() as uow:
        (override,) = uow.outbox.of_kind("override.recorded")
        (event,) = uow.outbox.for_aggregate(sale.sale_id)
        stored = uow.sales.get(sale.sale_id)
    log = override.payload
    assert (log["action"], log["amount"], log["subject_id"]) == (
        "manual_discount",
        14_990,
        sale.sale_id,
    )
    assert (log["manager_id"], log["staff_id"]) == (manager, cashier)
    assert log["reason"] == "Кофе в зёрнах 1 кг: dented pack"
    assert [ln["amount"] for ln in event.payload["receipt"]["lines"]] == [134_910, 17_980]
    # The price per piece is kept as it was: the discount is what the line lost.
    assert stored is not None and stored.unit_prices[coffee.line_id] == 149_900


def test_the_whole_line_may_be_given_away_but_not_more(seeded_till: Till) -> None:
    cashier, manager = _staff(seeded_till, Role.CASHIER), _staff(seeded_till, Role.MANAGER)
    free = replace(MILK, discount=17_980, discount_by=manager, discount_reason="expired today")
    sale = seeded_till.services.checkout(CheckoutRequest((free, COFFEE), cashier))
    assert [ln.amount for ln in sale.receipt.lines] == [0, 149_900]
    too_much = replace(free, discount=17_981)
    with pytest.raises(DomainError) as refused:
        seeded_till.services.checkout(CheckoutRequest((too_much,), cashier))
    assert refused.value.code == "discount.invalid"
    assert refused.value.params == {"name": MILK.name, "gross": 17_980}


@pytest.mark.parametrize(
    ("discount", "approver", "reason", "code"),
    [
        (1_000, None, "dented", "discount.needs_manager"),
        (1_000, Role.CASHIER, "dented", "discount.not_manager"),
        (1_000, Role.SENIOR, "dented", "discount.not_manager"),
        (1_000, Role.MANAGER, "  ", "discount.reason_missing"),
        (0, Role.MANAGER, "dented", "discount.invalid"),
        (-100, Role.MANAGER, "dented", "discount.invalid"),
    ],
)
def test_a_discount_not_allowed_by_a_manager_with_a_reason_sells_nothing(
    seeded_till: Till, discount: int, approver: Role | None, reason: str, code: str
) -> None:
    cashier = _staff(seeded_till, Role.CASHIER)
    by = _staff(seeded_till, approver) if approver is not None else None
    line = replace(COFFEE, discount=discount, discount_by=by, discount_reason=reason)
    before = _counts(seeded_till)
    with pytest.raises(DomainError) as refused:
        seeded_till.services.checkout(CheckoutRequest((line,), cashier))
    assert refused.value.code == code
    assert _counts(seeded_till) == before
