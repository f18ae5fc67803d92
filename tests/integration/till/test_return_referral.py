"""A referred customer's first purchase, returned in full, takes back the referrer's bonus too:
exactly what is left of it, as the referrer's own wallet says.

Demo customer 1 invites a new customer, whose first purchase (500 ₽) grants the referrer a
300 ₽ referral lot, usable from day 14 for 90 days. Four months later that lot has lapsed and
the lapse is recorded; then the purchase is returned (late, so a manager approves).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.ledger import BonusKind, EntryKind
from loyalty_core.staff import Role
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_phone
from pos_client.services.facade import TillServices
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer, ReturnRequest


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_returned_first_purchase_takes_back_only_what_is_left_of_the_referrers_bonus(
    seeded_till: Till,
) -> None:
    clock = Clock()
    sv = TillServices(seeded_till.services.uows, replace(seeded_till.services.ctx, clock=clock))
    cashier = next(s.id for s in sv.staff_list() if s.role is Role.CASHIER)
    manager = next(s.id for s in sv.staff_list() if s.role is Role.MANAGER)
    referrer = sv.identify(demo_phone(1)).customer
    invited = sv.register_customer(
        RegisterCustomer("8 912 555-44-33", True, cashier, referrer_phone=demo_phone(1))
    ).customer
    assert invited.referrer_id == referrer.id
    coffee = CartItem("a", "Кофе", 50_000)
    sale = sv.checkout(CheckoutRequest((coffee,), cashier, customer_id=invited.id))
    referral = {b.kind: b for b in sale.receipt.bonuses}[BonusKind.REFERRAL_REFERRER.value]
    assert (referral.customer_id, referral.points) == (referrer.id, 30_000)

    clock.now += timedelta(days=120)  # past the lot's end: day 14 + 90 days
    with sv.uows.writing() as uow:
        lapsed = expiry_entries_due(
            sv.wallets.get(referrer.id, uow),
            now=clock.now,
            till_id=sv.ctx.till_id,
            rules_version=sale.receipt.rules_version,
        )
        assert [(e.customer_id, e.points) for e in lapsed] == [(referrer.id, -30_000)]
        uow.ledger.add(lapsed)
        uow.commit()
    clock.now += timedelta(minutes=5)
    later = TillServices(sv.uows, sv.ctx)  # a restart: wallets load from the ledger

    done = later.return_items(
        ReturnRequest(sale.number, {coffee.line_id: 1_000}, cashier, manager, "receipt checked")
    )

    assert done.priced.complete
    (taken,) = [
        e
        for e in done.priced.entries
        if e.kind is EntryKind.REVERSAL and e.customer_id == referrer.id
    ]
    # The 300 ₽ lot lapsed before the return: nothing of it is left to take back.
    assert (taken.amount, taken.points) == (30_000, 0)
    with later.uows.reading() as uow:
        stored = [e for e in uow.ledger.of_customer(referrer.id) if e.id == taken.id]
    assert stored == [taken]
    balance = TillServices(sv.uows, sv.ctx).identify(demo_phone(1)).balance
    assert (balance.available, balance.debt) == (0, 0)
