"""A priced receipt -> the ledger entries to write for the sale.

The till writes them with the sale in one transaction; the server, re-pricing
the same sale, derives the very same entries (ids included, since they derive
from the sale id), so a replay or a retried push never adds anything twice.
"""

from __future__ import annotations

from dataclasses import replace

from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.receipt import PricedReceipt

ACCRUAL_LABEL = "accrual"


def sale_entries(receipt: PricedReceipt, *, sale_id: str, till_id: str) -> list[LedgerEntry]:
    """Every ledger entry a sale makes, in application order."""
    base = LedgerEntry(
        id=sale_id,
        kind=EntryKind.PURCHASE,
        occurred_at=receipt.priced_at,
        till_id=till_id,
        rules_version=receipt.rules_version,
        customer_id=receipt.customer_id or "-",
        sale_id=sale_id,
    )
    customer = receipt.customer_id
    out: list[LedgerEntry] = [
        replace(
            base,
            id=bonus_lot_id(sale_id, bonus.kind),
            kind=EntryKind.BONUS,
            customer_id=bonus.customer_id,
            points=bonus.points,
            activates_at=bonus.activates_at,
            expires_at=bonus.expires_at,
            ref=bonus.kind,
        )
        for bonus in receipt.bonuses
    ]
    if customer is not None:
        out.append(replace(base, id=derived_id(sale_id, "purchase"), amount=receipt.spend))
        if receipt.redeemed:
            out.append(
                replace(
                    base,
                    id=derived_id(sale_id, "redemption"),
                    kind=EntryKind.REDEMPTION,
                    points=-receipt.redeemed,
                )
            )
        if receipt.accrual:
            out.append(
                replace(
                    base,
                    id=accrual_lot_id(sale_id),
                    kind=EntryKind.ACCRUAL,
                    points=receipt.accrual,
                    activates_at=receipt.accrual_activates_at,
                    expires_at=receipt.accrual_expires_at,
                )
            )
        if receipt.boost:
            out.append(
                replace(
                    base,
                    id=boost_lot_id(sale_id),
                    kind=EntryKind.BONUS,
                    points=receipt.boost,
                    activates_at=receipt.accrual_activates_at,
                    expires_at=receipt.boost_expires_at,
                    ref=BonusKind.FIRST_PURCHASE.value,
                )
            )
        out.extend(
            replace(
                base, id=derived_id(sale_id, f"promo:{code}"), kind=EntryKind.PROMO_USE, ref=code
            )
            for code in receipt.promos
        )
    out.extend(
        replace(
            base,
            id=derived_id(sale_id, f"gift_card:{charge.gift_card_id}"),
            kind=EntryKind.GIFT_CARD_SPEND,
            customer_id=customer,
            gift_card_id=charge.gift_card_id,
            amount=charge.amount,
        )
        for charge in receipt.gift_cards
    )
    out.sort(key=lambda e: e.sort_key)
    return out


def accrual_lot_id(sale_id: str) -> str:
    return derived_id(sale_id, ACCRUAL_LABEL)


def boost_lot_id(sale_id: str) -> str:
    return bonus_lot_id(sale_id, BonusKind.FIRST_PURCHASE.value)


def bonus_lot_id(sale_id: str, kind: str) -> str:
    """The lot of a bonus granted with a sale (birthday, referral, first-purchase boost)."""
    return derived_id(sale_id, f"bonus:{kind}")
