"""What the till tells the engine about a sale: each line's category and flags, the customer's
birthday, referrer and balance. Each shows on the receipt the cashier prints.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from loyalty_core.customers import Questionnaire
from loyalty_core.ledger import BonusKind
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer

CIGARETTES = "4600000000244"  # 210 ₽, category tobacco: no discount, no bonus, no accrual
MILK = "4600000000015"  # 89.90 ₽, dairy


def _scanned(sv: TillServices, barcode: str) -> CartItem:
    product = sv.product(barcode)
    return CartItem(product.barcode, product.name, product.price, category=product.category)


def test_a_gold_customer_gets_no_discount_bonus_or_accrual_on_tobacco(seeded_till: Till) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0))  # Gold: 5% off, 7% accrual; 236 ₽ of bonus
    assert customer.tier_code == "gold"
    items = (_scanned(sv, CIGARETTES), _scanned(sv, MILK))
    sale = sv.checkout(
        CheckoutRequest(items, sv.staff_list()[0].id, customer.customer.id, redeem="max")
    )
    cigarettes, milk = sale.receipt.lines
    assert cigarettes.category == "tobacco"
    assert (cigarettes.tier_discount, cigarettes.redeemed, cigarettes.accrual) == (0, 0, 0)
    assert cigarettes.due == 21_000
    assert milk.tier_discount == 449  # 5% of 89.90 ₽ = 4.495 ₽, rounded down
    assert milk.redeemed > 0 and milk.accrual > 0


def test_a_line_flagged_no_discount_keeps_its_full_price_for_a_gold_customer(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0))
    items = (
        CartItem("x1", "Уценённый товар", 10_000, flags=frozenset({"no_discount"})),
        CartItem("x2", "Товар", 10_000),
    )
    receipt = sv.quote(CheckoutRequest(items, "x", customer.customer.id))
    assert [line.tier_discount for line in receipt.lines] == [0, 500]  # 5% of 100 ₽
    assert receipt.lines[0].flags == frozenset({"no_discount"})


def test_a_customer_shopping_on_their_birthday_gets_the_birthday_bonus(seeded_till: Till) -> None:
    clock = lambda: datetime(2026, 5, 17, 9, 0, tzinfo=UTC)  # noqa: E731 (noon in Moscow)
    sv = TillServices(seeded_till.services.uows, replace(seeded_till.services.ctx, clock=clock))
    staff = sv.staff_list()[0].id
    born = sv.register_customer(
        RegisterCustomer(
            "8 912 555-44-33",
            True,
            staff,
            questionnaire=Questionnaire(name="Вера Орлова", birthday=date(1990, 5, 17)),
        )
    )
    sale = sv.checkout(CheckoutRequest((CartItem("a", "Торт", 150_000),), staff, born.customer.id))
    bonuses = [(b.kind, b.points) for b in sale.receipt.bonuses]
    assert bonuses == [(BonusKind.BIRTHDAY.value, 50_000)]  # 500 ₽, usable today


def test_a_customer_not_identified_since_the_till_started_pays_with_their_ledger_balance(
    seeded_till: Till,
) -> None:
    customer_id = seeded_till.services.identify(demo_phone(0)).customer.id
    restarted = TillServices(
        seeded_till.services.uows, seeded_till.services.ctx
    )  # no wallet in memory
    assert len(restarted.wallets) == 0
    items = (CartItem("a", "Кофе", 100_000),)
    sale = restarted.checkout(CheckoutRequest(items, "x", customer_id, redeem="max"))
    # 30% of 950 ₽ (Gold: 1000 ₽ less 5%) is 285 ₽; the customer has 236 ₽: all of it goes.
    assert sale.receipt.redeemed == 23_600
    assert sale.balance_after is not None and sale.balance_after.available == 0


def test_an_anonymous_sale_that_asks_for_bonus_is_priced_as_if_it_asked_for_none(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    items = (CartItem("a", "Кофе", 100_000),)
    asked = sv.quote(CheckoutRequest(items, "x", redeem=5_000))
    plain = sv.quote(CheckoutRequest(items, "x"))
    assert (asked.redeemed, asked.to_pay) == (0, 100_000)
    assert asked.notes == plain.notes  # no "bonus needs a customer" remark on the receipt
