"""A priced receipt as plain JSON-able data, to store with the sale and push to the server.

Returns need the receipt as it was priced (per-line redemption, accrual, boost,
bonuses, gift-card charges), possibly on another till or after a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalty_core.notes import Note
from loyalty_core.receipt import GiftCardCharge, GrantedBonus, PricedLine, PricedReceipt
from loyalty_core.wallet import ExpiringPoints

WIRE_VERSION = 1


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _must(value: str | None) -> datetime:
    parsed = _parse(value)
    if parsed is None:
        raise ValueError("a required time is missing")
    return parsed


def receipt_to_wire(receipt: PricedReceipt) -> dict[str, Any]:
    return {
        "v": WIRE_VERSION,
        "rules_version": receipt.rules_version,
        "currency": receipt.currency,
        "priced_at": _dt(receipt.priced_at),
        "customer_id": receipt.customer_id,
        "tier_code": receipt.tier_code,
        "lines": [{**line._asdict(), "flags": sorted(line.flags)} for line in receipt.lines],
        "promos": list(receipt.promos),
        "redeem_cap": receipt.redeem_cap,
        "redeem_most": receipt.redeem_most,
        "available_before": receipt.available_before,
        "accrual_activates_at": _dt(receipt.accrual_activates_at),
        "accrual_expires_at": _dt(receipt.accrual_expires_at),
        "boost_expires_at": _dt(receipt.boost_expires_at),
        "bonuses": [
            [b.kind, b.customer_id, b.points, _dt(b.activates_at), _dt(b.expires_at)]
            for b in receipt.bonuses
        ],
        "gift_cards": [
            [g.gift_card_id, g.number, g.amount, g.balance_after] for g in receipt.gift_cards
        ],
        "spend": receipt.spend,
        "tier_after_code": receipt.tier_after_code,
        "notes": [[n.code, n.params] for n in receipt.notes],
        "expiring_soon": [[e.points, _dt(e.expires_at)] for e in receipt.expiring_soon],
    }


def receipt_from_wire(data: dict[str, Any]) -> PricedReceipt:
    if data.get("v") != WIRE_VERSION:
        raise ValueError(f"unknown receipt wire version {data.get('v')!r}")
    return PricedReceipt(
        rules_version=data["rules_version"],
        currency=data["currency"],
        priced_at=_must(data["priced_at"]),
        customer_id=data["customer_id"],
        tier_code=data["tier_code"],
        lines=tuple(
            PricedLine(**{**line, "flags": frozenset(line["flags"])}) for line in data["lines"]
        ),
        promos=tuple(data["promos"]),
        redeem_cap=data["redeem_cap"],
        # Receipts stored before redeem_most existed: their balance and cap bound it.
        redeem_most=data.get("redeem_most", min(data["available_before"], data["redeem_cap"])),
        available_before=data["available_before"],
        accrual_activates_at=_parse(data["accrual_activates_at"]),
        accrual_expires_at=_parse(data["accrual_expires_at"]),
        boost_expires_at=_parse(data["boost_expires_at"]),
        bonuses=tuple(
            GrantedBonus(kind, owner, points, _must(act), _must(exp))
            for kind, owner, points, act, exp in data["bonuses"]
        ),
        gift_cards=tuple(GiftCardCharge(*g) for g in data["gift_cards"]),
        spend=data["spend"],
        tier_after_code=data["tier_after_code"],
        notes=tuple(Note(code, dict(params)) for code, params in data["notes"]),
        expiring_soon=tuple(
            ExpiringPoints(points, _must(exp)) for points, exp in data["expiring_soon"]
        ),
    )
