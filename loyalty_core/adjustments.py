"""Entries written outside a sale: staff adjustments and recorded expiries."""

from __future__ import annotations

from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ledger import EntryKind, LedgerEntry, derived_id
from loyalty_core.rules import LoyaltyRules
from loyalty_core.wallet import Wallet


class AdjustmentRefusedError(DomainError):
    code = "adjustment.refused"
    template = "An adjustment needs a non-zero amount, a reason and an author."


def adjustment_entry(
    rules: LoyaltyRules,
    *,
    entry_id: str,
    customer_id: str,
    points: int,
    reason: str,
    author: str,
    now: datetime,
    till_id: str,
) -> LedgerEntry:
    """A manual +/- correction; positive points form a lot usable at once."""
    if points == 0 or not reason.strip() or not author.strip():
        raise AdjustmentRefusedError()
    lot = points > 0
    return LedgerEntry(
        id=entry_id,
        kind=EntryKind.ADJUSTMENT,
        occurred_at=now,
        till_id=till_id,
        rules_version=rules.version,
        customer_id=customer_id,
        points=points,
        activates_at=now if lot else None,
        expires_at=rules.day_start_after(now, rules.accrual.expiry_days) if lot else None,
        reason=reason.strip(),
        author=author,
    )


def expiry_entries_due(
    wallet: Wallet, *, now: datetime, till_id: str, rules_version: int
) -> list[LedgerEntry]:
    """Record what lapsed: one entry per lot past expiry that still holds points, in order.

    Each entry is dated ``now`` (the lot was unusable from its expiry anyway) and
    its id derives from the lot's state, so running this twice (or on two
    machines) records each expiry once.
    """
    due = [
        LedgerEntry(
            id=derived_id(lot.id, f"expiry:{lot.expired + lot.reversed}:{remaining}"),
            kind=EntryKind.EXPIRY,
            occurred_at=now,
            till_id=till_id,
            rules_version=rules_version,
            customer_id=wallet.customer_id,
            points=-remaining,
            lot_id=lot.id,
        )
        for lot, remaining in wallet.lapsed_lots(now)
    ]
    return sorted(due, key=lambda e: e.sort_key)
