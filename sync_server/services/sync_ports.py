"""Ports for sync: what push, pull and the managers' lists read and write.

``sync_server.adapters.repositories.sync`` implements them over SQL; a unit of work
hands them out as ``uow.sync``. Records are plain values; money and points are ints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from loyalty_core.giftcards import GiftCard
from loyalty_core.ledger import LedgerEntry
from loyalty_core.rules import LoyaltyRules


@dataclass(frozen=True, slots=True)
class ReceivedRecord:
    event_id: str
    till_id: str
    store_id: str
    kind: str
    aggregate_id: str
    status: str  # applied | rejected
    code: str | None
    message: str | None
    created_at: datetime
    received_at: datetime
    attempts: int
    payload: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: str
    phone: str
    birthday: date | None
    referrer_id: str | None


@dataclass(frozen=True, slots=True)
class NewCustomer:
    id: str
    phone: str
    name: str | None
    birthday: date | None
    email: str | None
    heard_from: str | None
    referrer_id: str | None
    consent_given_at: datetime
    consent_text_version: str
    till_id: str | None  # None: put there by the server (an import, the demo)
    created_at: datetime
    staff_id: str | None = None  # who registered them (kept only if the server knows them)


@dataclass(frozen=True, slots=True)
class SaleRecordOnServer:
    id: str
    store_id: str | None
    customer_id: str | None
    receipt: dict[str, Any]
    tenders: list[dict[str, Any]] | None = None  # how it was paid; None from v1 sales
    number: int | None = None  # the receipt's number on its till
    till_id: str | None = None
    staff_id: str | None = None  # the cashier who rang it up


@dataclass(frozen=True, slots=True)
class NewSale:
    id: str
    store_id: str
    till_id: str
    number: int
    staff_id: str
    customer_id: str | None
    card_number: str | None
    currency: str
    rules_version: int
    subtotal: int
    discount: int
    redeemed: int
    paid: int
    accrued: int
    occurred_at: datetime
    received_at: datetime
    receipt: dict[str, Any]
    event_id: str
    lines: tuple[tuple[str, str, str, int, int, int, int, int], ...]  # id sku name q amt d r a
    tenders: list[dict[str, Any]] | None = None  # as sent; None from v1 sales


@dataclass(frozen=True, slots=True)
class NewReturn:
    id: str
    sale_id: str
    store_id: str
    till_id: str
    number: int
    staff_id: str
    quantities: dict[str, int]
    refund: int
    occurred_at: datetime
    received_at: datetime
    document: dict[str, Any]
    event_id: str
    refunds: list[dict[str, Any]] | None = None  # as sent; None from v1 returns


@dataclass(frozen=True, slots=True)
class ShiftRecordOnServer:
    """A till's shift: opened with ``float_minor``; ``closed_at`` and the rest once closed."""

    id: str
    store_id: str
    till_id: str
    number: int
    opened_by: str
    opened_at: datetime
    float_minor: int
    closed_by: str | None = None
    closed_at: datetime | None = None
    expected_minor: int | None = None
    counted_minor: int | None = None
    totals: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class OverrideRecord:
    """A manager's override at a till, as the audit log keeps it."""

    id: str
    store_id: str
    till_id: str
    manager_id: str
    staff_id: str
    action: str
    subject_id: str
    amount_minor: int
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class VoteRecordOnServer:
    id: str
    sale_id: str
    store_id: str
    till_id: str
    staff_id: str
    score: int
    reasons: list[str]
    channel: str
    at: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class VoteRefusalRecord:
    id: str
    sale_id: str
    channel: str
    score: int
    at: datetime


@dataclass(frozen=True, slots=True)
class SettlementRecord:
    id: str
    kind: str
    event_id: str
    store_id: str
    till_id: str
    message: str
    created_at: datetime
    points: int = 0
    amount: int = 0
    customer_id: str | None = None
    alias_id: str | None = None
    sale_id: str | None = None
    return_id: str | None = None
    promo_code: str | None = None
    gift_card_id: str | None = None


@dataclass(frozen=True, slots=True)
class DebtRecord:
    customer_id: str
    phone: str
    points: int
    highest_points: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TillClockRecord:
    till_id: str
    till_name: str
    store_id: str
    clock_skew_s: int | None
    clock_flagged_at: datetime | None
    last_push_at: datetime | None
    last_pull_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoreSettings:
    store_id: str
    name: str
    redemption_policy: str
    offline_limit_points: int | None


@dataclass(slots=True)
class FeedPage:
    """Rows of the feed after a cursor, each with its position, per table."""

    customers: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    aliases: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    cards: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    ledger: list[tuple[int, LedgerEntry]] = field(default_factory=list)
    rules: list[tuple[int, tuple[int, datetime, dict[str, Any]]]] = field(default_factory=list)
    staff: list[tuple[int, tuple[str, str, str, str, bool]]] = field(default_factory=list)
    products: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    gift_cards: list[tuple[int, GiftCard]] = field(default_factory=list)
    store: list[tuple[int, StoreSettings]] = field(default_factory=list)


class SyncRepository(Protocol):
    # -- received events -------------------------------------------------------------
    def received(self, event_ids: Sequence[str]) -> dict[str, ReceivedRecord]: ...

    def add_received(self, record: ReceivedRecord) -> None: ...

    def update_received(
        self, event_id: str, *, status: str, code: str | None, message: str | None
    ) -> None: ...

    def rejected_events(self, store_id: str | None, limit: int) -> list[ReceivedRecord]: ...

    # -- customers -------------------------------------------------------------------
    def resolve(self, customer_ids: Iterable[str]) -> dict[str, str]:
        """Known ids (own or alias) -> the customer's own id; unknown ids are left out."""
        ...

    def customer(self, customer_id: str) -> CustomerRecord | None: ...

    def customers(self, customer_ids: Iterable[str]) -> dict[str, CustomerRecord]: ...

    def customer_id_by_phone(self, phone: str) -> str | None: ...

    def add_customer(self, customer: NewCustomer) -> None: ...

    def update_customer(self, customer_id: str, values: Mapping[str, Any]) -> None: ...

    def add_alias(
        self, alias_id: str, customer_id: str, till_id: str, event_id: str, now: datetime
    ) -> None: ...

    def card_owner(self, number: str) -> str | None: ...

    def add_card(self, number: str, customer_id: str, status: str, issued_at: datetime) -> None: ...

    def replace_cards(self, numbers: Sequence[str], by: str, at: datetime) -> None: ...

    # -- ledger ----------------------------------------------------------------------
    def ledger_of(self, customer_ids: Iterable[str]) -> dict[str, list[LedgerEntry]]: ...

    def existing_entry_ids(self, entry_ids: Iterable[str]) -> set[str]: ...

    def add_entries(
        self, entries: Sequence[LedgerEntry], event_id: str | None, now: datetime
    ) -> None: ...

    def promo_uses(self, codes: Iterable[str]) -> dict[str, int]: ...

    def gift_card(self, gift_card_id: str) -> GiftCard | None: ...

    def gift_card_entries(self, gift_card_id: str) -> list[LedgerEntry]: ...

    def add_vote_refusal(self, refusal: VoteRefusalRecord) -> None: ...

    def add_gift_card_debt(self, gift_card_id: str, amount: int, now: datetime) -> None: ...

    def rules(self, version: int) -> LoyaltyRules | None: ...

    # -- sales and returns -----------------------------------------------------------
    def sale(self, sale_id: str) -> SaleRecordOnServer | None: ...

    def add_sale(self, sale: NewSale) -> None: ...

    def returned_quantities(self, sale_id: str) -> dict[str, int]: ...

    def refunds_of(self, sale_id: str) -> list[list[dict[str, Any]] | None]:
        """How earlier returns of the sale gave money back, as sent (None: v1)."""
        ...

    def add_return(self, sale_return: NewReturn) -> None: ...

    # -- shifts ------------------------------------------------------------------------
    def save_shift(self, shift: ShiftRecordOnServer) -> None:
        """Add the shift, or write its close over the row its opening made."""
        ...

    def add_override(self, override: OverrideRecord) -> None: ...

    def voted(self, sale_id: str) -> bool:
        """The receipt has been rated already (by any channel)."""
        ...

    def add_vote(self, vote: VoteRecordOnServer) -> None: ...

    # -- settlements, debts, tills ---------------------------------------------------
    def add_settlement(self, settlement: SettlementRecord) -> None: ...

    def settlements(
        self, store_id: str | None, kind: str | None, limit: int
    ) -> list[SettlementRecord]: ...

    def set_debt(self, customer_id: str, points: int, now: datetime) -> None: ...

    def set_debts(self, debts: Mapping[str, int], now: datetime) -> None:
        """Each customer's current debt (``customer_debts`` keeps the highest too)."""
        ...

    def debts(self, limit: int) -> list[DebtRecord]: ...

    def lock_till(self, till_id: str) -> None:
        """Hold the till's row until commit: one push of a till at a time, so a copy of a
        push still being applied waits for it and then finds its events received."""
        ...

    def record_push(
        self, till_id: str, now: datetime, skew_s: int | None, flagged: bool
    ) -> None: ...

    def record_pull(self, till_id: str, now: datetime, *, not_since: datetime) -> None: ...

    def flagged_clocks(self, limit: int) -> list[TillClockRecord]: ...

    # -- buffered writes -------------------------------------------------------------
    def flush(self) -> None:
        """Write what is buffered now (the unit of work does before it commits)."""
        ...

    def discard(self) -> None: ...

    # -- pull ------------------------------------------------------------------------
    def begin_snapshot(self) -> None:
        """Read every following statement from one snapshot (before the first read)."""
        ...

    def store_settings(self, store_id: str) -> StoreSettings | None: ...

    def feed_page(self, store_id: str, after: int, upto: int) -> FeedPage:
        """The rows of the feed at positions ``after < position <= upto``."""
        ...

    def last_position(self) -> int: ...

    # -- setup (operators, tests, the demo) ------------------------------------------
    def store_has_staff(self, store_id: str) -> bool: ...

    def add_rules_version(
        self, rules: LoyaltyRules, effective_at: datetime, now: datetime
    ) -> None: ...

    def add_staff(
        self, staff_id: str, store_id: str, name: str, role: str, pin_hash: str, now: datetime
    ) -> None: ...

    def add_product(
        self,
        product_id: str,
        store_id: str | None,
        barcode: str,
        name: str,
        price: int,
        category: str | None,
        flags: Sequence[str],
        now: datetime,
    ) -> None: ...

    def add_gift_card(self, card: GiftCard, now: datetime) -> None: ...

    def set_redemption_policy(self, store_id: str, policy: str, limit: int | None) -> None: ...
