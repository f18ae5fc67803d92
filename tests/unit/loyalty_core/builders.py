"""Small builders for loyalty engine tests: entries, wallets, carts, rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.receipt import CartLine
from loyalty_core.rules import LoyaltyRules, Tier, TierPolicy, default_rules

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
