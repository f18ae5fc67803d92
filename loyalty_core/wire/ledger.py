"""A ledger entry on the wire: the same fields as ``loyalty_core.ledger.LedgerEntry``."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import model_validator

from loyalty_core.errors import DomainError
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.wire.common import Id, Instant, Minor, Text, WireModel


class LedgerEntryV1(WireModel):
    id: Id
    kind: EntryKind
    occurred_at: Instant
    till_id: Id
    rules_version: Minor
    customer_id: Id | None = None
    points: Minor = 0
    amount: Minor = 0
    sale_id: Id | None = None
    lot_id: Id | None = None
    activates_at: Instant | None = None
    expires_at: Instant | None = None
    gift_card_id: Id | None = None
    ref: Text | None = None
    reason: Text | None = None
    author: Id | None = None

    @model_validator(mode="after")
    def _a_valid_entry(self) -> LedgerEntryV1:
        # The engine's own checks (a lot adds points and expires after it activates...).
        try:
            self.to_entry()
        except DomainError as refused:
            raise ValueError(refused.message) from None
        return self

    def to_entry(self) -> LedgerEntry:
        return LedgerEntry(**dict(self))

    @classmethod
    def of(cls, entry: LedgerEntry) -> LedgerEntryV1:
        return cls.model_validate(entry.to_wire())


def entries_of(entries: Iterable[LedgerEntry]) -> list[LedgerEntryV1]:
    return [LedgerEntryV1.of(e) for e in entries]
