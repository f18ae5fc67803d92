"""Append-only ledger entries: the only source of truth for bonus balances.

Points are counted in the currency's minor units (1 bonus rouble = 100 points),
so a point pays exactly one kopeck. ``points`` is the signed change the entry
makes to the customer's bonus balance; ``amount`` is money (purchases, gift
cards). A balance is always a projection of entries (see ``wallet``), never a
stored field that sync could overwrite.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from loyalty_core.errors import DomainError


class EntryKind(StrEnum):
    ACCRUAL = "accrual"  # + lot earned on a sale; pending until activates_at
    BONUS = "bonus"  # + lot granted by a rule; ``ref`` names it (welcome, birthday...)
    ADJUSTMENT = "adjustment"  # +/- by staff, with ``reason`` and ``author``
    REDEMPTION = "redemption"  # - bonus spent on a sale
    RESTORE = "restore"  # + redeemed bonus given back on a return
    REVERSAL = "reversal"  # - accrual taken back on a return (``lot_id``)
    EXPIRY = "expiry"  # - what was left of a lot at its expiry (``lot_id``)
    PURCHASE = "purchase"  # 0 points; ``amount`` counts towards the tier
    PURCHASE_RETURN = "purchase_return"  # 0 points; negative ``amount``
    PROMO_USE = "promo_use"  # 0 points; ``ref`` is the promo code
    GIFT_CARD_LOAD = "gift_card_load"  # + ``amount`` on ``gift_card_id``
    GIFT_CARD_SPEND = "gift_card_spend"  # - ``amount`` on ``gift_card_id``
    GIFT_CARD_REFUND = "gift_card_refund"  # + ``amount`` back on ``gift_card_id``


LOT_KINDS = frozenset({EntryKind.ACCRUAL, EntryKind.BONUS})
DEBIT_KINDS = frozenset(
    {EntryKind.REDEMPTION, EntryKind.REVERSAL, EntryKind.EXPIRY, EntryKind.GIFT_CARD_SPEND}
)
GIFT_CARD_KINDS = frozenset(
    {EntryKind.GIFT_CARD_LOAD, EntryKind.GIFT_CARD_SPEND, EntryKind.GIFT_CARD_REFUND}
)


class BonusKind(StrEnum):
    WELCOME = "welcome"
    FIRST_PURCHASE = "first_purchase"
    BIRTHDAY = "birthday"
    QUESTIONNAIRE = "questionnaire"
    REFERRAL_REFERRER = "referral_referrer"
    REFERRAL_REFERRED = "referral_referred"


_TIMES = ("occurred_at", "activates_at", "expires_at")


class InvalidEntryError(DomainError):
    code = "ledger.invalid_entry"
    template = "Ledger entry {entry_id} refused: {problem}"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: str
    kind: EntryKind
    occurred_at: datetime  # business time, aware UTC
    till_id: str
    rules_version: int
    customer_id: str | None = None
    points: int = 0
    amount: int = 0
    sale_id: str | None = None
    lot_id: str | None = None  # the lot a reversal or expiry acts on
    activates_at: datetime | None = None  # lots only
    expires_at: datetime | None = None  # lots only
    gift_card_id: str | None = None
    ref: str | None = None  # bonus kind, promo code, referred customer...
    reason: str | None = None
    author: str | None = None

    def __post_init__(self) -> None:
        for name in _TIMES:
            value = getattr(self, name)
            if value is not None and value.utcoffset() is not None and value.tzinfo is not UTC:
                object.__setattr__(self, name, value.astimezone(UTC))
        problem = _problem(self)
        if problem:
            raise InvalidEntryError(entry_id=self.id, problem=problem)

    @property
    def sort_key(self) -> tuple[datetime, int, str]:
        """Entries apply in business time; at one instant credits before debits, then by id.

        One order everywhere, so the till and the server fold the same state. A
        bonus granted in a sale exists before the redemption that may spend it.
        """
        debit = self.kind in DEBIT_KINDS or self.points < 0
        return (self.occurred_at, int(debit), self.id)

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.astimezone(UTC).isoformat()
            elif isinstance(value, StrEnum):
                value = value.value
            out[f.name] = value
        return out

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> LedgerEntry:
        values = dict(data)
        try:
            values["kind"] = EntryKind(values["kind"])
            for name in _TIMES:
                if values.get(name) is not None:
                    values[name] = datetime.fromisoformat(values[name])
            return cls(**values)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEntryError(entry_id=data.get("id", "?"), problem=str(exc)) from None


def _problem(entry: LedgerEntry) -> str | None:  # noqa: PLR0912 - one branch per rule
    for name in _TIMES:
        value = getattr(entry, name)
        if value is not None and value.utcoffset() is None:
            return f"{name} must be an aware UTC time"
    kind = entry.kind
    if kind in LOT_KINDS or (kind is EntryKind.ADJUSTMENT and entry.points > 0):
        if entry.points <= 0:
            return "a lot must add points"
        if entry.activates_at is None or entry.expires_at is None:
            return "a lot needs activates_at and expires_at"
        if entry.expires_at <= entry.activates_at:
            return "a lot must expire after it activates"
    if kind in GIFT_CARD_KINDS:
        if entry.gift_card_id is None:
            return "a gift card entry needs gift_card_id"
        if entry.amount <= 0:
            return "a gift card entry moves a positive amount"
        return None
    if entry.customer_id is None:
        return "a bonus entry needs customer_id"
    if kind in (EntryKind.REDEMPTION, EntryKind.REVERSAL, EntryKind.EXPIRY) and entry.points > 0:
        return f"a {kind.value} cannot add points"
    if kind in (EntryKind.REVERSAL, EntryKind.EXPIRY) and entry.lot_id is None:
        return f"a {kind.value} needs lot_id"
    if kind is EntryKind.RESTORE and (entry.points < 0 or entry.sale_id is None):
        return "a restore adds points back to a sale"
    if kind is EntryKind.ADJUSTMENT and not (entry.reason and entry.author):
        return "an adjustment needs a reason and an author"
    return None


def derived_id(parent_id: str, label: str) -> str:
    """A stable id for the n-th entry of a sale or return.

    The till and the server derive the same ids from the same sale, so a retried
    push or a server-side replay can never add an entry twice.
    """
    return str(uuid.uuid5(uuid.UUID(parent_id), label))


class ConflictingEntryError(DomainError):
    code = "ledger.conflicting_entry"
    template = "Two different entries share the id {entry_id}."


def ordered(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """Unique by id (a retried push is the same entry), in application order."""
    unique: dict[str, LedgerEntry] = {}
    for entry in entries:
        seen = unique.setdefault(entry.id, entry)
        if seen != entry:
            raise ConflictingEntryError(entry_id=entry.id)
    return sorted(unique.values(), key=lambda e: e.sort_key)
