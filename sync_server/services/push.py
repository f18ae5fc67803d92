"""Push: a till's batch of events, applied in one transaction, exactly once.

Each event is answered ``applied``, ``duplicate`` (its id was received before: nothing
changes) or ``rejected`` (kept, with its payload, for a manager to retry after a fix).
Every event is re-validated with ``loyalty_core`` against the server's own ledger: a
sale is priced again from its cart with the server's rules and wallet, and its ledger
entries must be exactly the ones its receipt makes. The server never refuses a real
sale for a loyalty reason; what the merged ledgers disagree on is settled and recorded
(``Settlement``): bonus spent twice offline is a debt that later accruals pay back, a
promo used beyond its limit is an over-use, a gift card spent beyond its balance is a
gift-card debt, a receipt returned twice refunds the money but never restores or takes
back bonus twice, and one phone registered at two tills is one customer (the first
registration to arrive keeps its id; the other id becomes an alias).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from loyalty_core.errors import DomainError
from loyalty_core.giftcards import GiftCardPayment, GiftCardState, project_gift_card
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.money import Rounding, div_round
from loyalty_core.payment import Payment, Tender, TenderKind, check_refund
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_from_wire, receipt_to_wire
from loyalty_core.returns import ReturnRefusedError, price_return
from loyalty_core.rules import LoyaltyRules
from loyalty_core.sale import sale_entries
from loyalty_core.shifts import check_cash, check_close
from loyalty_core.survey import AlreadyVotedError, check_vote
from loyalty_core.wallet import Wallet, project
from loyalty_core.wire.events import (
    AdjustmentRecordedV1,
    CardIssuedV1,
    CardReissuedV1,
    CustomerChangedV1,
    CustomerRegisteredV1,
    EventPayload,
    OverrideRecordedV1,
    QuestionnaireCompletedV1,
    SaleCompleted,
    SaleReturned,
    ShiftClosedV1,
    ShiftOpenedV1,
    VoteRecordedV1,
    dump,
    parse_payload,
    tenders_of,
)
from loyalty_core.wire.sync import (
    EventResultV1,
    EventV1,
    PushRequestV1,
    PushResponseV1,
    SettlementV1,
)
from sync_server.services.sync_ports import (
    CustomerRecord,
    NewCustomer,
    NewReturn,
    NewSale,
    OverrideRecord,
    ReceivedRecord,
    SaleRecordOnServer,
    SettlementRecord,
    ShiftRecordOnServer,
    VoteRecordOnServer,
)
from sync_server.services.tills import TillRecord, canonical_id
from sync_server.services.unit_of_work import UnitOfWork

SERVER_AUTHOR = "server"  # author of the entries the server writes itself
ANONYMOUS = "nobody (an anonymous sale)"  # the customer a refusal names for a sale without one
# Bonuses a registration grants once per customer: a merged duplicate's are taken back.
_ONCE_PER_CUSTOMER = frozenset({BonusKind.WELCOME.value, BonusKind.QUESTIONNAIRE.value})


class BatchTooLargeError(DomainError):
    code = "push.too_large"
    template = "A push carries at most {most} events; this one has {count}. Send smaller batches."


class EventRefusedError(DomainError):
    """An event that cannot be applied as it is; kept as ``rejected``."""

    code = "event.refused"


class OtherTillError(EventRefusedError):
    code = "event.other_till"
    template = (
        "This event was recorded at till {event_till}, not at the till whose credential "
        "sent it ({till}); each till pushes only its own events."
    )


class UnknownCustomerError(EventRefusedError):
    code = "customer.unknown"
    template = "The server knows no customer {customer_id}; push their registration first."


class UnknownSaleError(EventRefusedError):
    code = "sale.unknown"
    template = "The server knows no sale {sale_id}; push the sale before its return."


class EntriesMismatchError(EventRefusedError):
    code = "sale.entries_mismatch"
    template = (
        "The ledger entries of sale {sale_id} are not the ones its receipt makes "
        "({problem}); nothing was recorded."
    )


class EntryOwnerError(EventRefusedError):
    code = "event.customer_mismatch"
    template = "Entry {entry_id} belongs to customer {owner}, not to {customer_id} of the event."


class CardTakenError(EventRefusedError):
    code = "card.taken"
    template = "Card {card} already belongs to another customer."


class UnknownGiftCardError(EventRefusedError):
    code = "gift_card.unknown"
    template = "The server knows no gift card {gift_card_id}."


class InvalidIdError(EventRefusedError):
    code = "event.invalid"
    template = "{field} {value!r} is not a UUID."


class NotRejectedError(DomainError):
    code = "manage.not_rejected"
    template = "Event {event_id} is not a rejected event; only those can be retried."


def push(
    request: PushRequestV1,
    till: TillRecord,
    uow: UnitOfWork,
    *,
    now: datetime,
    max_events: int,
    clock_skew_limit_s: int,
) -> PushResponseV1:
    """Apply ``request``'s events for ``till`` in one transaction; one result per event."""
    if len(request.events) > max_events:
        raise BatchTooLargeError(most=max_events, count=len(request.events))
    skew = _clock_skew(request, now, clock_skew_limit_s)
    flagged = skew is not None and abs(skew) > clock_skew_limit_s
    with uow:
        uow.sync.lock_till(till.id)  # a re-sent copy still being applied: wait for it
        batch = _Batch(uow, till, now)
        ids = [str(event.event_id) for event in request.events]
        known = uow.sync.received(ids)
        batch.prefetch(e for e, i in zip(request.events, ids, strict=True) if i not in known)
        results: list[EventResultV1] = []
        seen: set[str] = set()
        for event, event_id in zip(request.events, ids, strict=True):
            earlier = known.get(event_id)
            if event_id in seen or (earlier is not None and earlier.status == "applied"):
                results.append(EventResultV1(event_id=event.event_id, status="duplicate"))
                continue
            seen.add(event_id)
            if earlier is not None:  # rejected before: the same answer, until a manager retries
                results.append(_rejected(event.event_id, earlier.code, earlier.message))
                continue
            results.append(batch.receive(event, event_id))
        batch.settle_debts()
        uow.sync.record_push(till.id, now, skew, flagged)
        uow.commit()
    return PushResponseV1(
        results=results, server_time=now, clock_skew_s=skew, clock_flagged=flagged
    )


def retry_event(event_id: str, uow: UnitOfWork, *, now: datetime) -> EventResultV1:
    """Apply a rejected event again (after a fix); it stays rejected if it still fails."""
    canonical = canonical_id(event_id) or event_id
    with uow:
        record = uow.sync.received([canonical]).get(canonical)
        if record is None or record.status != "rejected" or record.payload is None:
            raise NotRejectedError(event_id=event_id)
        till = uow.tills.get(record.till_id)
        assert till is not None
        batch = _Batch(uow, till, now)
        event = EventV1(
            event_id=uuid.UUID(record.event_id),
            kind=record.kind,
            aggregate_id=record.aggregate_id,
            created_at=record.created_at,
            payload=record.payload,
        )
        result = batch.receive(event, record.event_id, retry=True)
        batch.settle_debts()
        uow.commit()
    return result


def _rejected(event_id: uuid.UUID, code: str | None, message: str | None) -> EventResultV1:
    return EventResultV1(event_id=event_id, status="rejected", code=code, message=message)


def _clock_skew(request: PushRequestV1, now: datetime, limit_s: int) -> int | None:
    """The till's clock minus the server's, in seconds, if this push shows it: from
    ``sent_at``, or from events stamped in the future (old ones may just be offline)."""
    if request.sent_at is not None:
        return round((request.sent_at - now).total_seconds())
    newest = max(event.created_at for event in request.events)
    ahead = round((newest - now).total_seconds())
    return ahead if ahead > limit_s else None


@dataclasses.dataclass(frozen=True, slots=True)
class _Before:
    """What the server knew before a sale: what pricing it again starts from."""

    wallet: Wallet | None
    promo_uses: dict[str, int]
    gift_cards: dict[str, GiftCardState]


class _Batch:
    """The server's state as one push transaction sees and changes it."""

    def __init__(self, uow: UnitOfWork, till: TillRecord, now: datetime) -> None:
        self.uow, self.sync, self.till, self.now = uow, uow.sync, till, now
        self._ledgers: dict[str, list[LedgerEntry]] = {}
        self._projections: dict[str, tuple[list[LedgerEntry], int, Wallet]] = {}
        self._ids: dict[str, str] = {}  # customer id as sent -> the customer's own id
        self._rules: dict[int, LoyaltyRules | None] = {}
        self._promo_uses: dict[str, int] = {}
        self._dirty: set[str] = set()
        self._settlements: list[SettlementRecord] = []
        self._customers: dict[str, CustomerRecord | None] = {}
        self._entries_checked: set[str] = set()  # entry ids whose presence is known
        self._entries_present: set[str] = set()  # ... and those the server has

    def prefetch(self, events: Iterable[EventV1]) -> None:
        """Read in a few statements what the events will ask for one by one: their
        customers (ids, records, ledgers) and which of their entries the server has."""
        sent: set[str] = set()
        entry_ids: list[str] = []
        for event in events:
            payload = event.payload
            customer_id = payload.get("customer_id")
            if isinstance(customer_id, str) and (canonical := canonical_id(customer_id)):
                sent.add(canonical)
            for entry in payload.get("entries") or ():
                # An id that is no UUID is refused with its event (``_owned``), not asked of
                # PostgreSQL's uuid column here, which would fail the whole batch.
                if isinstance(entry, dict) and canonical_id(str(entry.get("id"))) is not None:
                    entry_ids.append(entry["id"])
        self._resolve(sent)
        own = {self._ids[c] for c in sent if c in self._ids}
        self._ledgers.update(self.sync.ledger_of(c for c in own if c not in self._ledgers))
        records = self.sync.customers(own)
        self._customers.update((c, records.get(c)) for c in own)
        self._entries_present.update(self.sync.existing_entry_ids(entry_ids))
        self._entries_checked.update(entry_ids)

    def _customer_record(self, customer_id: str) -> CustomerRecord | None:
        if customer_id not in self._customers:
            self._customers[customer_id] = self.sync.customer(customer_id)
        return self._customers[customer_id]

    # -- one event -------------------------------------------------------------------
    def receive(self, event: EventV1, event_id: str, *, retry: bool = False) -> EventResultV1:
        self._settlements = []
        try:
            payload = parse_payload(event.kind, event.payload)
            self._check_till(payload)
            self._apply(payload, event_id)
        except DomainError as refused:
            self._record(event, event_id, "rejected", refused.code, refused.message, retry)
            return _rejected(event.event_id, refused.code, refused.message)
        self._record(event, event_id, "applied", None, None, retry)
        for settlement in self._settlements:
            self.sync.add_settlement(settlement)
        return EventResultV1(
            event_id=event.event_id,
            status="applied",
            settlements=[
                SettlementV1(
                    kind=s.kind,
                    points=s.points,
                    amount=s.amount,
                    customer_id=s.customer_id,
                    sale_id=s.sale_id,
                    promo_code=s.promo_code,
                    gift_card_id=s.gift_card_id,
                    message=s.message,
                )
                for s in self._settlements
            ],
        )

    def _record(
        self,
        event: EventV1,
        event_id: str,
        status: str,
        code: str | None,
        message: str | None,
        retry: bool,
    ) -> None:
        if retry:
            self.sync.update_received(event_id, status=status, code=code, message=message)
            return
        self.sync.add_received(
            ReceivedRecord(
                event_id=event_id,
                till_id=self.till.id,
                store_id=self.till.store.id,
                kind=event.kind,
                aggregate_id=event.aggregate_id,
                status=status,
                code=code,
                message=message[:1000] if message else None,
                created_at=event.created_at,
                received_at=self.now,
                attempts=1,
                payload=event.payload if status == "rejected" else None,
            )
        )

    def _check_till(self, payload: EventPayload) -> None:
        event_till = str(getattr(payload, "till_id", ""))
        if (canonical_id(event_till) or event_till) != self.till.id:
            raise OtherTillError(event_till=event_till, till=self.till.id)

    def _apply(self, payload: EventPayload, event_id: str) -> None:
        # Facts kept as they came, once checked: shifts, votes, the overrides' audit log.
        if isinstance(payload, ShiftOpenedV1):
            self._shift_opened(payload)
        elif isinstance(payload, ShiftClosedV1):
            self._shift_closed(payload)
        elif isinstance(payload, VoteRecordedV1):
            self._vote(payload)
        elif isinstance(payload, OverrideRecordedV1):
            self._override(payload)
        else:
            self._apply_loyalty(payload, event_id)

    def _apply_loyalty(self, payload: EventPayload, event_id: str) -> None:
        """The facts that move money and bonus, re-validated with the engine."""
        if isinstance(payload, SaleCompleted):
            self._sale(payload, event_id)
        elif isinstance(payload, SaleReturned):
            self._return(payload, event_id)
        elif isinstance(payload, CustomerRegisteredV1):
            self._registered(payload, event_id)
        elif isinstance(payload, CustomerChangedV1):
            self._changed(payload)
        elif isinstance(payload, QuestionnaireCompletedV1):
            cid = self._customer(payload.customer_id)
            owned = self._owned(payload.ledger_entries(), cid, payload.customer_id)
            answers = {k: v for k, v in payload.answers.model_dump().items() if v is not None}
            self.sync.update_customer(cid, answers)
            self._customers.pop(cid, None)
            self._store_entries(owned, event_id)
        elif isinstance(payload, CardIssuedV1):
            cid = self._customer(payload.customer_id)
            self._add_card(payload.card.number, cid, payload.card.issued_at)
        elif isinstance(payload, CardReissuedV1):
            cid = self._customer(payload.customer_id)
            self._check_card(payload.card, cid)
            self.sync.replace_cards(payload.replaced, payload.card, payload.at)
            self._add_card(payload.card, cid, payload.at)
        elif isinstance(payload, AdjustmentRecordedV1):
            cid = self._customer(payload.customer_id)
            owned = self._owned(payload.ledger_entries(), cid, payload.customer_id)
            self._store_entries(owned, event_id)
        else:  # a kind registered in loyalty_core the server does not apply yet
            raise EventRefusedError(f"The server cannot apply {payload.KIND} events yet.")

    # -- customers -------------------------------------------------------------------
    def _resolve(self, ids: Iterable[str]) -> None:
        wanted = [i for i in ids if i not in self._ids]
        if wanted:
            self._ids.update(self.sync.resolve(wanted))

    def _customer(self, customer_id: str) -> str:
        """The customer's own id for an id a till sent (their own, or an alias)."""
        canonical = canonical_id(customer_id)
        if canonical is None:
            raise InvalidIdError(field="customer_id", value=customer_id)
        self._resolve([canonical])
        own = self._ids.get(canonical)
        if own is None:
            raise UnknownCustomerError(customer_id=customer_id)
        return own

    def _registered(self, p: CustomerRegisteredV1, event_id: str) -> None:
        sent_id = canonical_id(p.customer.id)
        if sent_id is None:
            raise InvalidIdError(field="customer.id", value=p.customer.id)
        entries = p.ledger_entries()
        self._resolve([sent_id])
        known = self._ids.get(sent_id)
        if known is not None:  # the same registration again (a new event id): entries once
            self._store_entries(self._owned(entries, known, sent_id), event_id)
            return
        entries = tuple(self._owned(entries, sent_id, sent_id))
        existing = self.sync.customer_id_by_phone(p.customer.phone)
        if p.card is not None:
            owner = self.sync.card_owner(p.card.number)
            if owner is not None and owner not in (existing, sent_id):
                raise CardTakenError(card=p.card.number)
        if existing is None:
            self.sync.add_customer(
                NewCustomer(
                    id=sent_id,
                    phone=p.customer.phone,
                    name=p.customer.name,
                    birthday=p.customer.birthday,
                    email=p.customer.email,
                    heard_from=p.customer.heard_from,
                    referrer_id=self._referrer(p.customer.referrer_id),
                    consent_given_at=p.consent.given_at,
                    consent_text_version=p.consent.text_version,
                    till_id=self.till.id,
                    created_at=p.customer.created_at,
                    staff_id=canonical_id(p.staff_id),  # None: not a staff id we could know
                )
            )
            self._ids[sent_id] = sent_id
            self._ledgers[sent_id] = []
            target = sent_id
        else:
            self.sync.add_alias(sent_id, existing, self.till.id, event_id, self.now)
            self._ids[sent_id] = existing
            target = existing
        if p.card is not None and self.sync.card_owner(p.card.number) is None:
            self._add_card(p.card.number, target, p.card.issued_at)
        self._store_entries(self._owned(entries, target, sent_id), event_id)
        if existing is not None:
            taken_back = self._take_back_duplicate_bonuses(entries, existing, event_id)
            self._settle(
                "customer_merged",
                event_id,
                customer_id=existing,
                alias_id=sent_id,
                points=taken_back,
                message=(
                    f"Phone {p.customer.phone[:-4]}**** was registered again at till "
                    f"{self.till.name} as {sent_id}; that id is now an alias of {existing}. "
                    f"Registration bonus given twice and taken back: {taken_back} points."
                ),
            )

    def _referrer(self, referrer_id: str | None) -> str | None:
        if referrer_id is None:
            return None
        canonical = canonical_id(referrer_id)
        if canonical is None:
            return None
        self._resolve([canonical])
        return self._ids.get(canonical)

    def _take_back_duplicate_bonuses(
        self, entries: tuple[LedgerEntry, ...], customer_id: str, event_id: str
    ) -> int:
        """A merged registration's welcome or questionnaire bonus the customer already had:
        an adjustment by the server takes it back (tills learn it by pull)."""
        ledger = self._ledger(customer_id)
        new_ids = {e.id for e in entries}
        had = {
            e.ref
            for e in ledger
            if e.kind is EntryKind.BONUS and e.ref in _ONCE_PER_CUSTOMER and e.id not in new_ids
        }
        back = [
            LedgerEntry(
                id=derived_id(event_id, f"merge:{e.id}"),
                kind=EntryKind.ADJUSTMENT,
                occurred_at=e.occurred_at,
                till_id=SERVER_AUTHOR,
                rules_version=e.rules_version,
                customer_id=customer_id,
                points=-e.points,
                reason=f"merged duplicate registration: {e.ref} bonus given once",
                author=SERVER_AUTHOR,
            )
            for e in entries
            if e.kind is EntryKind.BONUS and e.ref in had and e.points > 0
        ]
        self._store_entries(back, event_id)
        return sum(-e.points for e in back)

    def _changed(self, p: CustomerChangedV1) -> None:
        cid = self._customer(p.customer_id)
        details = p.details.model_dump()
        self.sync.update_customer(cid, {name: details[name] for name in p.changed})
        self._customers.pop(cid, None)

    def _check_card(self, number: str, customer_id: str) -> None:
        owner = self.sync.card_owner(number)
        if owner is not None and owner != customer_id:
            raise CardTakenError(card=number)

    def _add_card(self, number: str, customer_id: str, issued_at: datetime) -> None:
        self._check_card(number, customer_id)
        if self.sync.card_owner(number) is None:
            self.sync.add_card(number, customer_id, "active", issued_at)

    # -- ledger ----------------------------------------------------------------------
    def _ledger(self, customer_id: str) -> list[LedgerEntry]:
        if customer_id not in self._ledgers:
            self._ledgers.update(self.sync.ledger_of([customer_id]))
        return self._ledgers.setdefault(customer_id, [])

    def _owned(
        self,
        entries: Iterable[LedgerEntry],
        customer_id: str,
        sent_id: str | None,
        referrer_id: str | None = None,
    ) -> list[LedgerEntry]:
        """The entries under the customer's own id (an alias's entries move to it). With
        ``referrer_id`` (a sale: the buyer's referrer as the server knows them), an entry
        of the referrer's (the referral bonus the buyer's first purchase grants) is theirs."""
        out = []
        sent = canonical_id(sent_id) if sent_id else None
        for entry in entries:
            if canonical_id(entry.id) is None:
                raise InvalidIdError(field="entry id", value=entry.id)
            owner = entry.customer_id
            if owner is None:
                out.append(entry)
                continue
            canonical = canonical_id(owner)
            if canonical in (sent, customer_id):
                mine = customer_id
            elif referrer_id is not None and self._known(canonical) == referrer_id:
                mine = referrer_id
            else:
                raise EntryOwnerError(entry_id=entry.id, owner=owner, customer_id=sent_id)
            out.append(entry if owner == mine else dataclasses.replace(entry, customer_id=mine))
        return out

    def _known(self, canonical: str | None) -> str | None:
        """The customer's own id for a canonical id a till sent, None if the server has none."""
        if canonical is None:
            return None
        self._resolve([canonical])
        return self._ids.get(canonical)

    def _store_entries(self, entries: list[LedgerEntry], event_id: str) -> None:
        """Entries already checked (``_owned``); an entry the server has is not added again."""
        if not entries:
            return
        unchecked = [e.id for e in entries if e.id not in self._entries_checked]
        if unchecked:
            self._entries_present.update(self.sync.existing_entry_ids(unchecked))
            self._entries_checked.update(unchecked)
        fresh = [e for e in entries if e.id not in self._entries_present]
        self.sync.add_entries(fresh, event_id, self.now)
        self._entries_present.update(e.id for e in fresh)
        self._entries_checked.update(e.id for e in fresh)
        for entry in fresh:
            if entry.customer_id is not None:
                self._ledger(entry.customer_id).append(entry)
                self._dirty.add(entry.customer_id)
            if entry.kind is EntryKind.PROMO_USE and entry.ref:
                self._promo_uses[entry.ref] = self._promo_count(entry.ref) + 1

    def _promo_count(self, code: str) -> int:
        if code not in self._promo_uses:
            self._promo_uses[code] = self.sync.promo_uses([code]).get(code, 0)
        return self._promo_uses[code]

    def _rules_of(self, version: int) -> LoyaltyRules | None:
        if version not in self._rules:
            self._rules[version] = self.sync.rules(version)
        return self._rules[version]

    def _wallet(self, customer_id: str, before: datetime, *, not_of: str | None = None) -> Wallet:
        """The customer's wallet from the entries the server has before ``before``."""
        ledger = self._ledger(customer_id)
        kept = [
            e for e in ledger if e.occurred_at <= before and (not_of is None or e.sale_id != not_of)
        ]
        if len(kept) == len(ledger):  # the usual case, a sale newer than all the customer had
            return self._projected(customer_id)
        return project(customer_id, kept)

    def _projected(self, customer_id: str) -> Wallet:
        """The whole ledger's wallet, folded again only when the ledger has grown (its list
        is only appended to; a wallet is never changed once folded)."""
        ledger = self._ledger(customer_id)
        cached = self._projections.get(customer_id)
        if cached is None or cached[0] is not ledger or cached[1] != len(ledger):
            cached = (ledger, len(ledger), project(customer_id, ledger))
            self._projections[customer_id] = cached
        return cached[2]

    def _debt(self, customer_id: str) -> int:
        return self._projected(customer_id).debt

    def settle_debts(self) -> None:
        if self._dirty:
            self.sync.set_debts({c: self._debt(c) for c in sorted(self._dirty)}, self.now)
        self._dirty.clear()

    # -- settlements -----------------------------------------------------------------
    def _settle(self, kind: str, event_id: str, *, message: str, **refs: Any) -> None:
        self._settlements.append(
            SettlementRecord(
                id=derived_id(event_id, f"settlement:{kind}:{len(self._settlements)}"),
                kind=kind,
                event_id=event_id,
                store_id=self.till.store.id,
                till_id=self.till.id,
                message=message[:1000],
                created_at=self.now,
                **refs,
            )
        )

    # -- sales -----------------------------------------------------------------------
    def _sale(self, p: SaleCompleted, event_id: str) -> None:
        sale_id = canonical_id(p.sale_id)
        if sale_id is None:
            raise InvalidIdError(field="sale_id", value=p.sale_id)
        _staff_id(p.staff_id)
        receipt = p.receipt.to_receipt()
        if receipt.customer_id != p.customer_id:
            raise EntriesMismatchError(
                sale_id=p.sale_id, problem="the receipt names another customer"
            )
        payment = p.payment
        if payment is not None:
            payment.check(receipt.to_pay)
        customer_id = self._customer(p.customer_id) if p.customer_id is not None else None
        entries = p.ledger_entries()
        expected = sale_entries(receipt, sale_id=p.sale_id, till_id=p.till_id)
        if sorted(entries, key=lambda e: e.id) != sorted(expected, key=lambda e: e.id):
            raise EntriesMismatchError(
                sale_id=p.sale_id,
                problem=f"{len(entries)} sent, {len(expected)} expected or different",
            )
        gift_cards = {
            c.gift_card_id: self.sync.gift_card(c.gift_card_id) for c in receipt.gift_cards
        }
        for gift_card_id, card in gift_cards.items():
            if card is None:
                raise UnknownGiftCardError(gift_card_id=gift_card_id)
        record = self._customer_record(customer_id) if customer_id else None
        referrer = record.referrer_id if record is not None else None
        owned = (
            self._owned(entries, customer_id, p.customer_id, referrer)
            if customer_id
            else list(entries)
        )
        # Everything checked: what the sale did is recorded, and what the server's own
        # ledger disagrees with is settled.
        rules = self._rules_of(receipt.rules_version)
        debt_before = self._debt(customer_id) if customer_id else 0
        wallet = (
            self._wallet(customer_id, receipt.priced_at, not_of=p.sale_id) if customer_id else None
        )
        uses_before = {code: self._promo_count(code) for code in receipt.promos}
        cards_before = {
            gift_card_id: project_gift_card(card, self.sync.gift_card_entries(gift_card_id))
            for gift_card_id, card in gift_cards.items()
            if card is not None
        }
        overuse = self._promo_overuse(receipt, rules, wallet, p, event_id, customer_id)
        overdraw = self._gift_card_overdraw(receipt, gift_cards, entries, p, event_id, customer_id)
        self.sync.add_sale(
            _new_sale(p, receipt, sale_id, customer_id, self.till, self.now, event_id)
        )
        self._store_entries(owned, event_id)
        overdraft = (self._debt(customer_id) - debt_before) if customer_id else 0
        if overdraft > 0:
            self._settle(
                "overdraft",
                event_id,
                customer_id=customer_id,
                sale_id=sale_id,
                points=overdraft,
                message=(
                    f"Sale {p.number} at till {self.till.name} spent {receipt.redeemed} bonus; "
                    f"the customer's ledger on the server covered {receipt.redeemed - overdraft}. "
                    f"The sale is kept; {overdraft} is owed and paid back from later accruals."
                ),
            )
        if rules is None:
            self._settle(
                "pricing_differs",
                event_id,
                customer_id=customer_id,
                sale_id=sale_id,
                message=(
                    f"Sale {p.number}: the server has no rules version {receipt.rules_version} "
                    "to price it again; the till's receipt is kept as it was."
                ),
            )
        elif not (overdraft > 0 or overuse or overdraw):
            again = _Before(wallet, uses_before, cards_before)
            self._compare_pricing(p, receipt, rules, again, event_id, customer_id)

    def _promo_overuse(
        self,
        receipt: PricedReceipt,
        rules: LoyaltyRules | None,
        wallet: Wallet | None,
        p: SaleCompleted,
        event_id: str,
        customer_id: str | None,
    ) -> bool:
        found = False
        for code in receipt.promos:
            promo = rules.promo(code) if rules is not None else None
            if promo is None:
                continue
            uses = self._promo_count(code)
            mine = wallet.promo_uses.get(code, 0) if wallet is not None else 0
            if promo.max_uses is not None and uses >= promo.max_uses:
                why = f"used {uses} times before, limit {promo.max_uses}"
            elif promo.per_customer_limit is not None and mine >= promo.per_customer_limit:
                why = f"used {mine} times by this customer before, limit {promo.per_customer_limit}"
            else:
                continue
            found = True
            self._settle(
                "promo_overuse",
                event_id,
                customer_id=customer_id,
                sale_id=p.sale_id,
                promo_code=code,
                message=(
                    f"Promo {code} on sale {p.number} at till {self.till.name}: {why}. "
                    "The sale and its discount are kept; the over-use is recorded."
                ),
            )
        return found

    def _gift_card_overdraw(
        self,
        receipt: PricedReceipt,
        gift_cards: dict[str, Any],
        entries: tuple[LedgerEntry, ...],
        p: SaleCompleted,
        event_id: str,
        customer_id: str | None,
    ) -> bool:
        found = False
        for charge in receipt.gift_cards:
            card = gift_cards[charge.gift_card_id]
            known = self.sync.gift_card_entries(charge.gift_card_id)
            before = project_gift_card(card, known)
            after = project_gift_card(card, [*known, *entries])
            over = after.overdrawn - before.overdrawn
            if over <= 0:
                continue
            found = True
            self.sync.add_gift_card_debt(charge.gift_card_id, over, self.now)
            self._settle(
                "gift_card_overdraw",
                event_id,
                customer_id=customer_id,
                sale_id=p.sale_id,
                gift_card_id=charge.gift_card_id,
                amount=over,
                message=(
                    f"Gift card {charge.number[-4:]} paid {charge.amount} on sale {p.number} at "
                    f"till {self.till.name} but held {before.balance} on the server; the sale "
                    f"is kept and {over} is recorded as the card's debt."
                ),
            )
        return found

    def _compare_pricing(
        self,
        p: SaleCompleted,
        receipt: PricedReceipt,
        rules: LoyaltyRules,
        before: _Before,
        event_id: str,
        customer_id: str | None,
    ) -> None:
        wallet = before.wallet
        state = None
        if customer_id is not None and wallet is not None:
            customer = self._customer_record(customer_id)
            state = CustomerState(
                customer_id=customer_id,
                wallet=wallet,
                birthday=customer.birthday if customer else None,
                referred_by=customer.referrer_id if customer else None,
            )
        payments = [
            GiftCardPayment(before.gift_cards[c.gift_card_id], amount=c.amount)
            for c in receipt.gift_cards
        ]
        cart = [
            CartLine(
                line_id=line.line_id,
                sku=line.sku,
                name=line.name,
                quantity_milli=line.quantity_milli,
                amount=line.amount,
                category=line.category,
                flags=line.flags,
            )
            for line in receipt.lines
        ]
        try:
            again = price_checkout(
                rules,
                cart,
                now=receipt.priced_at,
                customer=state,
                redeem=receipt.redeemed if state else 0,
                promo_codes=receipt.promos,
                promo_uses=before.promo_uses,
                gift_cards=payments,
            )
        except ValueError as broken:
            self._settle(
                "pricing_differs",
                event_id,
                customer_id=customer_id,
                sale_id=p.sale_id,
                message=f"Sale {p.number}: the server could not price its cart again ({broken}).",
            )
            return
        differs = [
            f"{name} {theirs} at the till, {ours} on the server"
            for name, theirs, ours in (
                ("to pay", receipt.to_pay, again.to_pay),
                ("discount", receipt.discount_total, again.discount_total),
                ("bonus spent", receipt.redeemed, again.redeemed),
                ("accrual", receipt.accrual + receipt.boost, again.accrual + again.boost),
                ("bonuses granted", _granted(receipt), _granted(again)),
            )
            if theirs != ours
        ]
        if differs:
            self._settle(
                "pricing_differs",
                event_id,
                customer_id=customer_id,
                sale_id=p.sale_id,
                message=f"Sale {p.number} priced again: "
                + "; ".join(differs)
                + ". The till's receipt is kept as it was.",
            )

    # -- returns ---------------------------------------------------------------------
    def _return(self, p: SaleReturned, event_id: str) -> None:
        return_id = canonical_id(p.return_id)
        sale_id = canonical_id(p.sale_id)
        if return_id is None or sale_id is None:
            raise InvalidIdError(field="return_id/sale_id", value=f"{p.return_id}/{p.sale_id}")
        staff_id = _staff_id(p.staff_id)
        sale = self.sync.sale(sale_id)
        if sale is None:
            raise UnknownSaleError(sale_id=p.sale_id)
        receipt = receipt_from_wire(sale.receipt)
        customer_id = sale.customer_id
        entries = p.ledger_entries()
        for entry in entries:
            if entry.customer_id is not None and entry.sale_id not in (None, p.sale_id):
                raise EntriesMismatchError(
                    sale_id=p.sale_id, problem=f"entry {entry.id} is of another sale"
                )
        if customer_id is not None:
            owned = self._owned(entries, customer_id, receipt.customer_id)
        else:  # an anonymous sale's return moves no customer's bonus
            for entry in entries:
                if entry.customer_id is not None:
                    raise EntryOwnerError(
                        entry_id=entry.id, owner=entry.customer_id, customer_id=ANONYMOUS
                    )
            owned = list(entries)
        already = self.sync.returned_quantities(sale_id)
        sold = {line.line_id: line.quantity_milli for line in receipt.lines}
        overlap: dict[str, int] = {}
        allowed: dict[str, int] = {}
        for line_id, qty in p.quantities.items():
            if line_id not in sold:
                raise EntriesMismatchError(
                    sale_id=p.sale_id, problem=f"no line {line_id} on the receipt"
                )
            left = max(0, sold[line_id] - already.get(line_id, 0))
            allowed[line_id] = min(qty, left)
            overlap[line_id] = qty - allowed[line_id]
        twice = sum(overlap.values())
        refund = p.refund
        if refund is not None and not twice:  # returned twice: settled below, money as given
            self._check_refund(p, refund, sale)
        refunded_twice = sum(
            div_round(
                line.refund * overlap.get(line.line_id, 0), line.quantity_milli, Rounding.HALF_UP
            )
            if line.quantity_milli
            else 0
            for line in p.document.lines
        )
        asked_points = sum(
            line.bonus_restored + line.accrual_reversed + line.boost_reversed
            for line in p.document.lines
        )
        priced_points = self._priced_return_points(
            p, receipt, allowed, already, customer_id, sale_id, return_id
        )
        self.sync.add_return(
            NewReturn(
                id=return_id,
                sale_id=sale_id,
                store_id=self.till.store.id,
                till_id=self.till.id,
                number=p.number,
                staff_id=staff_id,
                quantities=dict(p.quantities),
                refund=sum(line.refund for line in p.document.lines),
                occurred_at=p.created_at,
                received_at=self.now,
                document=p.document.model_dump(mode="json"),
                event_id=event_id,
                refunds=[dump(t) for t in tenders_of(refund)] if refund is not None else None,
            )
        )
        self._store_entries(owned, event_id)
        if twice:
            not_again = max(0, asked_points - priced_points) if priced_points is not None else 0
            self._settle(
                "return_twice",
                event_id,
                customer_id=customer_id,
                sale_id=sale_id,
                return_id=return_id,
                amount=refunded_twice,
                points=not_again,
                message=(
                    f"Receipt of sale {sale_id} returned again at till {self.till.name} "
                    f"(return {p.number}): {refunded_twice} refunded again in money is recorded; "
                    f"bonus is restored and taken back at most once ({not_again} points not "
                    "applied a second time)."
                ),
            )

    def _override(self, payload: OverrideRecordedV1) -> None:
        self.sync.add_override(
            OverrideRecord(
                id=_uuid_of(payload.override_id, "override_id"),
                store_id=self.till.store.id,
                till_id=self.till.id,
                manager_id=_uuid_of(payload.manager_id, "manager_id"),
                staff_id=_staff_id(payload.staff_id),
                action=payload.action,
                subject_id=_uuid_of(payload.subject_id, "subject_id"),
                amount_minor=payload.amount,
                reason=payload.reason,
                at=payload.at,
            )
        )

    # -- the staff-rating survey --------------------------------------------------------
    def _vote(self, p: VoteRecordedV1) -> None:
        """One vote per receipt, whichever channel brought the first: a second is refused
        (and listed as refused, like every rejected event)."""
        check_vote(p.score, p.reasons)
        sale_id = _uuid_of(p.sale_id, "sale_id")
        sale = self.sync.sale(sale_id)
        if sale is None:
            raise UnknownSaleError(sale_id=p.sale_id)
        if self.sync.voted(sale_id):
            raise AlreadyVotedError(number=sale.number if sale.number is not None else "?")
        self.sync.add_vote(
            VoteRecordOnServer(
                id=_uuid_of(p.vote_id, "vote_id"),
                sale_id=sale_id,
                store_id=self.till.store.id,
                till_id=self.till.id,
                staff_id=_staff_id(p.staff_id),
                score=p.score,
                reasons=[str(r) for r in p.reasons],
                channel=p.channel,
                at=p.at,
            )
        )

    # -- shifts --------------------------------------------------------------------------
    def _shift_opened(self, p: ShiftOpenedV1) -> None:
        check_cash(p.float_cash)
        self.sync.save_shift(
            ShiftRecordOnServer(
                id=_uuid_of(p.shift_id, "shift_id"),
                store_id=self.till.store.id,
                till_id=self.till.id,
                number=p.number,
                opened_by=_staff_id(p.staff_id),
                opened_at=p.opened_at,
                float_minor=p.float_cash,
            )
        )

    def _shift_closed(self, p: ShiftClosedV1) -> None:
        """The Z report, checked with the till's own arithmetic before it is kept."""
        totals = p.totals.to_totals()
        check_close(p.float_cash, totals, p.expected_cash, p.counted_cash)
        self.sync.save_shift(
            ShiftRecordOnServer(
                id=_uuid_of(p.shift_id, "shift_id"),
                store_id=self.till.store.id,
                till_id=self.till.id,
                number=p.number,
                opened_by=_staff_id(p.staff_id),
                opened_at=p.opened_at,
                float_minor=p.float_cash,
                closed_by=_staff_id(p.staff_id),
                closed_at=p.closed_at,
                expected_minor=p.expected_cash,
                counted_minor=p.counted_cash,
                totals=p.totals.model_dump(),
            )
        )

    def _check_refund(self, p: SaleReturned, refund: Payment, sale: SaleRecordOnServer) -> None:
        """The money went back the way the sale was paid: the card first, then cash."""
        cash_back = sum(ln.refund for ln in p.document.lines) - sum(
            g.amount for g in p.document.gift_cards
        )
        earlier = [_payment(r) or Payment(()) for r in self.sync.refunds_of(sale.id)]
        check_refund(refund, _payment(sale.tenders), earlier, cash_back)

    def _priced_return_points(
        self,
        p: SaleReturned,
        receipt: PricedReceipt,
        allowed: dict[str, int],
        already: dict[str, int],
        customer_id: str | None,
        sale_id: str,
        return_id: str,
    ) -> int | None:
        """Bonus the server's own pricing of this return restores and takes back."""
        rules = self._rules_of(receipt.rules_version)
        if rules is None:
            return None
        own = dataclasses.replace(receipt, customer_id=customer_id) if customer_id else receipt
        wallet = self._wallet(customer_id, p.created_at) if customer_id else None
        try:
            priced = price_return(
                rules,
                own,
                {k: v for k, v in allowed.items() if v},
                sale_id=sale_id,
                return_id=return_id,
                till_id=p.till_id,
                now=p.created_at,
                already_returned=already,
                wallet=wallet,
                late_approved=True,  # the till decided; a real refund is never undone here
            )
        except ReturnRefusedError:
            return None
        return sum(
            line.bonus_restored + line.accrual_reversed + line.boost_reversed
            for line in priced.lines
        )


def _payment(tenders: list[dict[str, Any]] | None) -> Payment | None:
    """Tenders as stored with a sale or a return (None: not recorded, v1)."""
    if tenders is None:
        return None
    return Payment(
        tuple(Tender(TenderKind(t["kind"]), int(t["amount"]), int(t["tendered"])) for t in tenders)
    )


def _uuid_of(sent: str, field: str) -> str:
    canonical = canonical_id(sent)
    if canonical is None:
        raise InvalidIdError(field=field, value=sent)
    return canonical


def _staff_id(sent: str) -> str:
    """The staff id of a sale or a return: a UUID, as tills make them (refused otherwise,
    before the database's uuid column could fail the whole batch on it)."""
    staff_id = canonical_id(sent)
    if staff_id is None:
        raise InvalidIdError(field="staff_id", value=sent)
    return staff_id


def _granted(receipt: PricedReceipt) -> int:
    """Points of the one-off bonuses a sale grants (birthday, referral...), whoever gets them."""
    return sum(bonus.points for bonus in receipt.bonuses)


def _new_sale(
    p: SaleCompleted,
    receipt: PricedReceipt,
    sale_id: str,
    customer_id: str | None,
    till: TillRecord,
    now: datetime,
    event_id: str,
) -> NewSale:
    return NewSale(
        id=sale_id,
        store_id=till.store.id,
        till_id=till.id,
        number=p.number,
        staff_id=_staff_id(p.staff_id),
        customer_id=customer_id,
        card_number=p.card_number,
        currency=receipt.currency,
        rules_version=receipt.rules_version,
        subtotal=receipt.subtotal,
        discount=receipt.discount_total,
        redeemed=receipt.redeemed,
        paid=receipt.to_pay,
        accrued=receipt.accrual + receipt.boost,
        occurred_at=receipt.priced_at,
        received_at=now,
        receipt=receipt_to_wire(receipt),
        event_id=event_id,
        tenders=[dump(t) for t in tenders_of(p.payment)] if p.payment is not None else None,
        lines=tuple(
            (
                line.line_id,
                line.sku,
                line.name,
                line.quantity_milli,
                line.amount,
                line.tier_discount + line.promo_discount,
                line.redeemed,
                line.accrual + line.boost,
            )
            for line in receipt.lines
        ),
    )
