"""The sync protocol's own messages: a push of events and its answer, a pull page.

A till pushes ``PushRequestV1`` (its outbox events, each with the payload its kind's
model in ``events`` dumped) and gets one ``EventResultV1`` per event. It pulls
``PullResponseV1`` pages by a gap-free cursor until ``has_more`` is false. The bulk
rows of a pull (customers, cards, ledger entries) are arrays, not objects, so a page of
a 1,000,000-customer bootstrap carries values rather than repeated field names; their
columns are named by the ``*_COLUMNS`` tuples below and by ``docs/SYNC_PROTOCOL.md``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, StrictBool

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.wire.common import Id, Instant, Minor, Text, WireModel

MAX_PUSH_EVENTS = 1000  # the schema's ceiling; a server may set a lower limit
MAX_PULL_LIMIT = 10_000  # rows per pull page at most
DEFAULT_PULL_LIMIT = 5_000

EventStatus = Literal["applied", "duplicate", "rejected"]
SettlementKind = Literal[
    "overdraft",
    "promo_overuse",
    "gift_card_overdraw",
    "return_twice",
    "customer_merged",
    "pricing_differs",
]
RedemptionPolicy = Literal["online_only", "offline_limit"]


# -- push -------------------------------------------------------------------------


class EventV1(WireModel):
    """One outbox event: the till made its id, so a re-sent event is the same event."""

    event_id: UUID
    kind: Text = Field(max_length=64, examples=["sale.completed"])
    aggregate_id: Id  # the sale, return or customer the event is about
    created_at: Instant  # the till's clock when the fact happened (business time)
    payload: dict[str, Any]  # the kind's model, dumped (``loyalty_core.wire.events``)


class PushRequestV1(WireModel):
    v: Literal[1] = 1
    events: list[EventV1] = Field(min_length=1, max_length=MAX_PUSH_EVENTS)
    # The till's clock as it sends: the server measures the till's clock skew by it.
    sent_at: Instant | None = None


class SettlementV1(WireModel):
    """A loyalty effect the server recorded instead of refusing a real sale."""

    kind: SettlementKind
    points: int = 0  # bonus points (a debt, bonus not restored twice...)
    amount: int = 0  # money in minor units (gift-card debt, refunded twice...)
    customer_id: Id | None = None
    sale_id: Id | None = None
    promo_code: Text | None = None
    gift_card_id: Id | None = None
    message: Text


class EventResultV1(WireModel):
    """``applied``: recorded now; ``duplicate``: recorded before, nothing changed;
    ``rejected``: not applied, kept on the server for a manager (``code``, ``message``)."""

    event_id: UUID
    status: EventStatus
    code: Text | None = None
    message: str | None = None
    settlements: list[SettlementV1] = Field(default_factory=list)


class PushResponseV1(WireModel):
    results: list[EventResultV1]
    server_time: Instant
    clock_skew_s: int | None = None  # the till's clock minus the server's, if measured
    clock_flagged: StrictBool = False  # the till's clock is off by more than the limit


# -- pull -------------------------------------------------------------------------

CUSTOMER_COLUMNS = ("id", "phone", "name", "birthday", "email", "created_at", "referrer_id")
CustomerRowV1 = tuple[Id, Text, Text | None, date | None, Text | None, Instant, Id | None]

ALIAS_COLUMNS = ("alias_id", "customer_id")
AliasRowV1 = tuple[Id, Id]

CARD_COLUMNS = ("number", "customer_id", "status", "issued_at", "replaced_by")
CardRowV1 = tuple[Text, Id, Literal["active", "replaced", "blocked"], Instant, Text | None]

LEDGER_COLUMNS = (
    "id",
    "kind",
    "occurred_at",
    "till_id",
    "rules_version",
    "customer_id",
    "points",
    "amount",
    "sale_id",
    "lot_id",
    "activates_at",
    "expires_at",
    "gift_card_id",
    "ref",
    "reason",
    "author",
)
LedgerRowV1 = tuple[
    Id,
    EntryKind,
    Instant,
    Id,
    int,
    Id | None,
    int,
    int,
    Id | None,
    Id | None,
    Instant | None,
    Instant | None,
    Id | None,
    Text | None,
    Text | None,
    Id | None,
]


def ledger_row(entry: LedgerEntry) -> LedgerRowV1:
    return (
        entry.id,
        entry.kind,
        entry.occurred_at,
        entry.till_id,
        entry.rules_version,
        entry.customer_id,
        entry.points,
        entry.amount,
        entry.sale_id,
        entry.lot_id,
        entry.activates_at,
        entry.expires_at,
        entry.gift_card_id,
        entry.ref,
        entry.reason,
        entry.author,
    )


def entry_of_row(row: LedgerRowV1) -> LedgerEntry:
    values: dict[str, Any] = dict(zip(LEDGER_COLUMNS, row, strict=True))
    return LedgerEntry(**values)


class RulesVersionV1(WireModel):
    """A loyalty rules version (``LoyaltyRules`` as JSON, promo codes included); a till
    prices with the newest one whose ``effective_at`` has come."""

    version: int
    effective_at: Instant
    document: dict[str, Any]


class StaffV1(WireModel):
    """A staff member of the till's store: the PIN is checked at the till against its hash."""

    id: Id
    name: Text
    role: Literal["cashier", "senior", "manager"]
    pin_hash: Text
    disabled: StrictBool


class ProductV1(WireModel):
    id: Id
    barcode: Text
    name: Text
    price: Minor
    category: Text | None
    flags: list[Text]
    active: StrictBool


class GiftCardV1(WireModel):
    id: Id
    number: Text
    pin_hash: Text
    expires_at: Instant
    blocked: StrictBool


class StoreSettingsV1(WireModel):
    """The till's store and how its tills may spend bonus offline: ``online_only``
    (the server confirms each redemption, ``/v1/sync/customers/{id}/balance``) or
    ``offline_limit`` (up to the last synced balance, minus what the till spent since,
    and at most ``offline_limit_points`` per customer when that is set)."""

    store_id: Id
    name: Text
    redemption_policy: RedemptionPolicy
    offline_limit_points: Minor | None


class PullResponseV1(WireModel):
    """One page of the feed after ``cursor``; pull again from ``next_cursor`` while
    ``has_more``. Rows of one page are applied in the order of the fields here
    (a card never arrives before its customer: its position is later)."""

    cursor: int
    next_cursor: int
    has_more: StrictBool
    server_time: Instant
    store: StoreSettingsV1
    rules: list[RulesVersionV1] = Field(default_factory=list)
    staff: list[StaffV1] = Field(default_factory=list)
    products: list[ProductV1] = Field(default_factory=list)
    gift_cards: list[GiftCardV1] = Field(default_factory=list)
    customers: list[CustomerRowV1] = Field(default_factory=list)
    aliases: list[AliasRowV1] = Field(default_factory=list)
    cards: list[CardRowV1] = Field(default_factory=list)
    ledger: list[LedgerRowV1] = Field(default_factory=list)


class BalanceV1(WireModel):
    """A customer's balance as the server's ledger projects it now (online-only
    redemption asks for it before spending)."""

    customer_id: Id  # the customer's own id (an alias resolves to it)
    available: Minor
    pending: Minor
    debt: Minor
    server_time: Instant
