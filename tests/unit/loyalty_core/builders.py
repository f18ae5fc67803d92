"""Small builders for loyalty engine tests: entries, wallets, carts, rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.rules import LoyaltyRules, Tier, TierPolicy, default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project

CUSTOMER = "11111111-1111-7111-8111-111111111111"
TILL = "till-1"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

_counter = iter(range(1, 10**9))


def uid() -> str:
    return str(uuid.UUID(int=next(_counter) | (0x7 << 76) | (0b10 << 62)))


def at(days: float = 0, hours: float = 0) -> datetime:
    return T0 + timedelta(days=days, hours=hours)


def lot(
    points: int,
    *,
    when: datetime = T0,
    activates: datetime | None = None,
    expires: datetime | None = None,
    customer: str = CUSTOMER,
    entry_id: str | None = None,
) -> LedgerEntry:
    """An active accrual lot (active at once, a year long unless told)."""
    return LedgerEntry(
        id=entry_id or uid(),
        kind=EntryKind.ACCRUAL,
        occurred_at=when,
        till_id=TILL,
        rules_version=1,
        customer_id=customer,
        points=points,
        activates_at=activates or when,
        expires_at=expires or when + timedelta(days=365),
    )


def entry(kind: EntryKind, *, when: datetime = T0, **fields: Any) -> LedgerEntry:
    fields.setdefault("customer_id", CUSTOMER)
    return LedgerEntry(
        id=fields.pop("id", None) or uid(),
        kind=kind,
        occurred_at=when,
        till_id=TILL,
        rules_version=1,
        **fields,
    )


def line(amount: int, *, line_id: str | None = None, qty: int = 1000, **fields: Any) -> CartLine:
    lid = line_id or uid()[-6:]
    return CartLine(
        line_id=lid,
        sku=f"sku-{lid}",
        name=fields.pop("name", f"Item {lid}"),
        quantity_milli=qty,
        amount=amount,
        **fields,
    )


def plain_rules(**overrides: Any) -> LoyaltyRules:
    """One tier, 5% accrual, no discount, no bonuses, no activation delay, UTC days.

    Tests switch on the rule they examine, so each example's arithmetic stays short.
    """
    base = default_rules().model_dump()
    base.update(
        timezone="UTC",
        tiers=TierPolicy(tiers=(Tier(code="base", name="Base", min_spend=0, accrual_bp=500),)),
        welcome={"points": 0},
        first_purchase={"accrual_bp": 0},
        birthday={"points": 0},
        questionnaire={"points": 0},
        referral={"referrer_points": 0, "referred_points": 0},
        accrual={"activation_days": 0, "expiry_days": 365},
        redemption={"cap_bp": 3000, "min_check": 0},
        promos=(),
    )
    for key, value in overrides.items():
        base[key] = value
    return LoyaltyRules.model_validate(
        {k: (v.model_dump() if hasattr(v, "model_dump") else v) for k, v in base.items()}
    )


class Shop:
    """A customer's wallet kept up to date the way the till does it."""

    def __init__(self, rules: LoyaltyRules, *history: object) -> None:
        self.rules = rules
        self.wallet = project(CUSTOMER, list(history))  # type: ignore[arg-type]
        self.returned: dict[str, dict[str, int]] = {}

    def sell(
        self, cart: list[CartLine], when: object = T0, redeem: int | str = 0, **kw: object
    ) -> tuple[str, PricedReceipt]:
        customer = CustomerState(CUSTOMER, self.wallet, **kw)  # type: ignore[arg-type]
        receipt = price_checkout(
            self.rules,
            cart,
            now=when,
            customer=customer,  # type: ignore[arg-type]
            redeem=redeem,
        )  # type: ignore[arg-type]
        sale_id = uid()
        for e in sale_entries(receipt, sale_id=sale_id, till_id="t"):
            self.wallet.apply(e)
        return sale_id, receipt

    def give_back(
        self,
        sale_id: str,
        receipt: PricedReceipt,
        quantities: dict[str, int],
        when: object,
        **kw: object,
    ) -> PricedReturn:
        done = self.returned.setdefault(sale_id, {})
        result = price_return(
            self.rules,
            receipt,
            quantities,
            sale_id=sale_id,
            return_id=uid(),
            till_id="t",
            now=when,
            already_returned=dict(done),  # type: ignore[arg-type]
            wallet=self.wallet,
            **kw,
        )  # type: ignore[arg-type]
        for e in result.entries:
            if e.customer_id == CUSTOMER:
                self.wallet.apply(e)
        for line_id, qty in quantities.items():
            done[line_id] = done.get(line_id, 0) + qty
        return result
