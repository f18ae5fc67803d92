"""One model per kind of fact a till records, with its schema version.

A till builds its outbox payloads only through these models (``dump``); the server
parses them with ``parse_payload`` and re-validates the facts with the same engine.
A new kind of fact is a new model registered in ``EVENT_MODELS``; a changed shape is
a new version of its kind, and the old version stays parseable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, StrictBool, ValidationError

from loyalty_core.customers import CardStatus
from loyalty_core.errors import DomainError
from loyalty_core.ledger import LedgerEntry
from loyalty_core.payment import Payment, Tender, TenderKind
from loyalty_core.shifts import ShiftTotals
from loyalty_core.survey import MAX_REASONS, Reason
from loyalty_core.wire.common import Id, Instant, Minor, Text, WireModel
from loyalty_core.wire.ledger import LedgerEntryV1
from loyalty_core.wire.receipt import PricedReceiptV1

MAX_PROBLEMS = 10  # a refusal names at most this many problems


class UnknownEventKindError(DomainError):
    code = "event.unknown_kind"
    template = "Unknown event kind {kind!r}."


class UnsupportedVersionError(DomainError):
    code = "event.unsupported_version"
    template = "Event kind {kind} has no schema version {version!r} (known: {known})."


class InvalidPayloadError(DomainError):
    code = "event.invalid"
    template = "Event {kind} v{version} is malformed: {problems}"


class EventPayload(WireModel):
    """The common part of every event: its kind and schema version."""

    KIND: ClassVar[str]
    v: int

    def ledger_entries(self) -> tuple[LedgerEntry, ...]:
        """The ledger entries this fact writes (none unless the kind carries them)."""
        entries: list[LedgerEntryV1] = getattr(self, "entries", [])
        return tuple(e.to_entry() for e in entries)


class _MirrorsDataclass(WireModel):
    """A model with the same fields as one of the engine's dataclasses."""

    @classmethod
    def of(cls, value: Any) -> Any:
        return cls.model_validate(
            {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        )


class CustomerV1(_MirrorsDataclass):
    id: Id
    phone: Text  # E.164
    created_at: Instant
    name: Text | None = None
    birthday: date | None = None
    email: Text | None = None
    heard_from: Text | None = None
    referrer_id: Id | None = None


class ConsentV1(_MirrorsDataclass):
    given_at: Instant
    text_version: Text
    channel: Text


class CardV1(_MirrorsDataclass):
    number: Text
    customer_id: Id
    status: CardStatus
    issued_at: Instant
    replaced_by: Text | None = None


class QuestionnaireV1(_MirrorsDataclass):
    name: Text | None = None
    birthday: date | None = None
    email: Text | None = None
    heard_from: Text | None = None


class CustomerRegisteredV1(EventPayload):
    KIND = "customer.registered"
    v: Literal[1] = 1
    customer: CustomerV1
    consent: ConsentV1
    card: CardV1 | None
    entries: list[LedgerEntryV1]
    staff_id: Id
    till_id: Id


class CustomerChangedV1(EventPayload):
    """Contact details corrected at the till; only the fields named in ``changed``."""

    KIND = "customer.changed"
    v: Literal[1] = 1
    customer_id: Id
    details: QuestionnaireV1
    changed: list[Literal["name", "birthday", "email", "heard_from"]]
    staff_id: Id
    till_id: Id
    at: Instant


class QuestionnaireCompletedV1(EventPayload):
    """A customer filled in the questionnaire after registering; may carry its bonus."""

    KIND = "questionnaire.completed"
    v: Literal[1] = 1
    customer_id: Id
    answers: QuestionnaireV1
    entries: list[LedgerEntryV1]
    staff_id: Id
    till_id: Id
    at: Instant


class CardIssuedV1(EventPayload):
    KIND = "card.issued"
    v: Literal[1] = 1
    customer_id: Id
    card: CardV1
    staff_id: Id
    till_id: Id
    at: Instant


class CardReissuedV1(EventPayload):
    """A lost card: ``replaced`` stop working, ``card`` is the new number."""

    KIND = "card.reissued"
    v: Literal[1] = 1
    customer_id: Id
    card: Text
    replaced: list[Text]
    staff_id: Id
    till_id: Id
    at: Instant


class AdjustmentRecordedV1(EventPayload):
    """Points added or taken by staff by hand, with the reason (the entry says who)."""

    KIND = "adjustment.recorded"
    v: Literal[1] = 1
    customer_id: Id
    entries: list[LedgerEntryV1] = Field(min_length=1)
    staff_id: Id
    till_id: Id
    at: Instant


class SaleRequestV1(WireModel):
    """What the cashier asked for, so the server can price the cart again."""

    redeem: Minor | Literal["max"]
    promo_codes: list[Text]


class TenderV1(WireModel):
    kind: TenderKind
    amount: Minor = Field(gt=0)  # what the tender pays of the check
    tendered: Minor = Field(gt=0)  # what was handed over; cash may be more (the change)


def tenders_of(payment: Payment) -> list[TenderV1]:
    return [TenderV1(kind=t.kind, amount=t.amount, tendered=t.tendered) for t in payment.tenders]


def payment_of(tenders: list[TenderV1]) -> Payment:
    """The engine's ``Payment`` for tenders as sent (``tenders_of`` the other way)."""
    return Payment(tuple(Tender(t.kind, t.amount, t.tendered) for t in tenders))


class SaleCompleted(EventPayload):
    """A sale as the till committed it; each version below adds to this shape."""

    KIND = "sale.completed"
    sale_id: Id
    number: Minor
    till_id: Id
    staff_id: Id
    customer_id: Id | None
    card_number: Text | None
    created_at: Instant
    request: SaleRequestV1
    receipt: PricedReceiptV1
    entries: list[LedgerEntryV1]

    @property
    def payment(self) -> Payment | None:
        """How the check was paid; None from tills that did not record it (v1)."""
        return None


class SaleCompletedV1(SaleCompleted):
    v: Literal[1] = 1


class SaleCompletedV2(SaleCompleted):
    """v1 and how the check was paid: cash with what was handed over, card."""

    v: Literal[2] = 2
    tenders: list[TenderV1] = Field(max_length=8)

    @property
    def payment(self) -> Payment | None:
        return payment_of(self.tenders)


class ReturnedLineV1(WireModel):
    line_id: Id
    quantity_milli: Minor
    refund: Minor
    bonus_restored: Minor
    accrual_reversed: Minor
    boost_reversed: Minor


class GiftCardRefundV1(WireModel):
    gift_card_id: Id
    amount: Minor


class ReturnDocumentV1(WireModel):
    """The priced return as the till stored it."""

    v: Literal[1] = 1
    lines: list[ReturnedLineV1]
    gift_cards: list[GiftCardRefundV1]
    complete: StrictBool
    debt_added: Minor
    notes: list[tuple[Text, dict[str, Any]]]
    approved_by: Id | None


class SaleReturned(EventPayload):
    """A return as the till committed it; each version below adds to this shape."""

    KIND = "sale.returned"
    return_id: Id
    number: Minor
    sale_id: Id
    till_id: Id
    staff_id: Id
    approved_by: Id | None
    created_at: Instant
    quantities: dict[Id, Minor]
    # ``return`` is a Python keyword: the field is ``document``, named ``return`` on the wire.
    document: ReturnDocumentV1 = Field(alias="return")
    entries: list[LedgerEntryV1]

    model_config = ConfigDict(populate_by_name=True)

    @property
    def refund(self) -> Payment | None:
        """How the money went back; None from tills that did not record it (v1)."""
        return None


class SaleReturnedV1(SaleReturned):
    v: Literal[1] = 1


class SaleReturnedV2(SaleReturned):
    """v1 and how the money went back: to the bank card, in cash (``refund_by_tender``)."""

    v: Literal[2] = 2
    refunds: list[TenderV1] = Field(max_length=8)

    @property
    def refund(self) -> Payment | None:
        return payment_of(self.refunds)


class ShiftTotalsV1(_MirrorsDataclass):
    sales: Minor = Field(ge=0)
    sales_total: Minor = Field(ge=0)
    returns: Minor = Field(ge=0)
    returns_total: Minor = Field(ge=0)
    cash_in: Minor = Field(ge=0)
    card_in: Minor = Field(ge=0)
    cash_out: Minor = Field(ge=0)
    card_out: Minor = Field(ge=0)
    bonus_accrued: Minor = Field(ge=0)
    bonus_redeemed: Minor = Field(ge=0)
    cards_registered: Minor = Field(ge=0)
    questionnaires: Minor = Field(ge=0)

    def to_totals(self) -> ShiftTotals:
        return ShiftTotals(**self.model_dump())


class ShiftOpenedV1(EventPayload):
    """A cashier opened a shift at the till with ``float_cash`` in the drawer."""

    KIND = "shift.opened"
    v: Literal[1] = 1
    shift_id: Id
    number: Minor  # per till: 1, 2, 3...
    till_id: Id
    staff_id: Id
    opened_at: Instant
    float_cash: Minor = Field(ge=0)


class ShiftClosedV1(EventPayload):
    """The shift's Z report: its totals, the cash expected and counted in the drawer."""

    KIND = "shift.closed"
    v: Literal[1] = 1
    shift_id: Id
    number: Minor
    till_id: Id
    staff_id: Id  # who closed it
    opened_at: Instant
    closed_at: Instant
    float_cash: Minor = Field(ge=0)
    totals: ShiftTotalsV1
    expected_cash: Minor  # below zero only if refunds took more cash than the drawer had
    counted_cash: Minor = Field(ge=0)


class VoteRecordedV1(EventPayload):
    """A customer's rating of the cashier who served a receipt (one vote per receipt)."""

    KIND = "vote.recorded"
    v: Literal[1] = 1
    vote_id: Id
    sale_id: Id  # the receipt rated
    till_id: Id
    staff_id: Id  # the cashier rated: who rang the sale up
    score: Minor = Field(ge=1, le=5)
    reasons: list[Reason] = Field(max_length=MAX_REASONS)
    channel: Literal["display", "web"]
    at: Instant


OverrideAction = Literal["return_above_limit", "late_return", "manual_discount"]


class OverrideRecordedV1(EventPayload):
    """A manager allowed, with their PIN, what the cashier may not do alone: who, what,
    why and when (the audit log's line)."""

    KIND = "override.recorded"
    v: Literal[1] = 1
    override_id: Id
    till_id: Id
    manager_id: Id  # who allowed it
    staff_id: Id  # the cashier who asked
    action: OverrideAction
    subject_id: Id  # the return (or the sale) it allowed
    amount: Minor = Field(ge=0)  # the money it moved (a refund, a discount)
    reason: Text
    at: Instant


def _registry(*models: type[EventPayload]) -> dict[str, dict[int, type[EventPayload]]]:
    out: dict[str, dict[int, type[EventPayload]]] = {}
    for model in models:
        version = model.model_fields["v"].default
        out.setdefault(model.KIND, {})[version] = model
    return out


EVENT_MODELS: dict[str, dict[int, type[EventPayload]]] = _registry(
    CustomerRegisteredV1,
    CustomerChangedV1,
    QuestionnaireCompletedV1,
    CardIssuedV1,
    CardReissuedV1,
    AdjustmentRecordedV1,
    SaleCompletedV1,
    SaleCompletedV2,
    SaleReturnedV1,
    SaleReturnedV2,
    ShiftOpenedV1,
    ShiftClosedV1,
    OverrideRecordedV1,
    VoteRecordedV1,
)


def parse_payload(kind: str, payload: Mapping[str, Any]) -> EventPayload:
    """The payload as its kind's model, at the version it names; refusals say why."""
    versions = EVENT_MODELS.get(kind)
    if versions is None:
        raise UnknownEventKindError(kind=kind)
    version = payload.get("v") if isinstance(payload, Mapping) else None
    model = versions.get(version) if type(version) is int else None
    if model is None:
        known = ", ".join(str(v) for v in sorted(versions))
        raise UnsupportedVersionError(kind=kind, version=version, known=known)
    try:
        return model.model_validate(payload)
    except ValidationError as invalid:
        raise InvalidPayloadError(kind=kind, version=version, problems=describe(invalid)) from None


def describe(invalid: ValidationError) -> str:
    """At most ``MAX_PROBLEMS`` problems, each naming its field, then how many more."""
    problems = invalid.errors(include_url=False, include_input=False)
    shown = [
        f"{'.'.join(str(p) for p in problem['loc']) or 'payload'}: {problem['msg']}"
        for problem in problems[:MAX_PROBLEMS]
    ]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"and {len(problems) - MAX_PROBLEMS} more")
    return "; ".join(shown)


def dump(model: WireModel) -> dict[str, Any]:
    """A payload (or a part of one) as JSON-ready data, field names as on the wire."""
    return model.model_dump(mode="json", by_alias=True)
