"""Tills that build their events with the real engine (``price_checkout``, ``sale_entries``,
``one_off_bonus_entry``, ``price_return``) and the wire models, as the till's services do,
and push them in process through ``sync_server.services.push`` on a migrated database; and
the store manager's reads of what the server made of them.

The HTTP counterpart, for a live server, is ``tests/e2e/sync_server/sync_support.py``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.giftcards import GiftCard, GiftCardPayment, project_gift_card
from loyalty_core.ids import new_id
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry
from loyalty_core.payment import Payment, Tender
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.rules import LoyaltyRules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet, project
from loyalty_core.wire.common import WireModel
from loyalty_core.wire.events import (
    AdjustmentRecordedV1,
    CardIssuedV1,
    CardReissuedV1,
    CardV1,
    ConsentV1,
    CustomerRegisteredV1,
    CustomerV1,
    ReturnDocumentV1,
    SaleCompleted,
    SaleCompletedV1,
    SaleCompletedV2,
    SaleRequestV1,
    SaleReturned,
    SaleReturnedV1,
    SaleReturnedV2,
    dump,
    tenders_of,
)
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from loyalty_core.wire.sync import BalanceV1, EventResultV1, PushRequestV1
from sync_server.adapters.models import LedgerEntry as LedgerRow
from sync_server.adapters.models import ReceivedEvent, Sale, SaleReturn, Settlement
from sync_server.services.manage import balance
from sync_server.services.push import push
from sync_server.services.setup import publish_rules
from sync_server.services.tills import TillRecord
from tests.integration.sync_server.enrollment_support import Server
from tests.integration.sync_server.sync_support import enrolled_till

Event = dict[str, Any]


@dataclass
class Till:
    """One till, offline until it pushes: its record on the server, its own view of the
    ledger, the birthdays it was told, its receipt numbers and the events it made."""

    server: Server
    record: TillRecord
    rules: LoyaltyRules
    ledger: list[LedgerEntry] = field(default_factory=list)
    birthdays: dict[str, date] = field(default_factory=dict)
    referrers: dict[str, str] = field(default_factory=dict)  # customer -> who referred them
    outbox: list[Event] = field(default_factory=list)
    number: int = 0

    @property
    def till_id(self) -> str:
        return self.record.id

    def push(self, *events: Event, now: datetime) -> list[EventResultV1]:
        """``events`` in one request, or without any the whole outbox (which is emptied)."""
        batch = list(events)
        if not events:
            batch, self.outbox = self.outbox, []
        request = PushRequestV1.model_validate({"v": 1, "events": batch})
        answer = push(
            request,
            self.record,
            self.server.uow(),
            now=now,
            max_events=1000,
            clock_skew_limit_s=300,
        )
        return list(answer.results)

    def learn(self, other: Till) -> None:
        """What the other till pushed, as this till gets it by pull."""
        known = {e.id for e in self.ledger}
        self.ledger += [e for e in other.ledger if e.id not in known]
        self.birthdays.update(other.birthdays)
        self.referrers.update(other.referrers)

    def event(self, kind: str, aggregate: str, at: datetime, payload: WireModel) -> Event:
        """An event envelope around ``payload``, put in the outbox."""
        event = {
            "event_id": new_id(),
            "kind": kind,
            "aggregate_id": aggregate,
            "created_at": at.isoformat(),
            "payload": dump(payload),
        }
        self.outbox.append(event)
        return event

    def register(
        self,
        phone: str,
        *,
        at: datetime,
        bonuses: bool = True,
        questionnaire: bool = False,
        birthday: date | None = None,
        card: str | None = None,
        referrer: str | None = None,
    ) -> tuple[str, Event]:
        """A registration as the till makes it: the welcome bonus, and the questionnaire's
        when it was filled in (entry ids derive from the new customer's id); none of them
        with ``bonuses=False``."""
        customer_id = new_id()
        kinds = [BonusKind.WELCOME, *([BonusKind.QUESTIONNAIRE] if questionnaire else [])]
        entries = [
            entry
            for kind in (kinds if bonuses else [])
            if (
                entry := one_off_bonus_entry(
                    self.rules,
                    kind,
                    wallet=Wallet(customer_id),
                    event_id=customer_id,
                    now=at,
                    till_id=self.till_id,
                )
            )
            is not None
        ]
        self.ledger += entries
        if birthday is not None:
            self.birthdays[customer_id] = birthday
        if referrer is not None:
            self.referrers[customer_id] = referrer
        payload = CustomerRegisteredV1(
            customer=CustomerV1(
                id=customer_id, phone=phone, created_at=at, birthday=birthday, referrer_id=referrer
            ),
            consent=ConsentV1(given_at=at, text_version="2026-01", channel="till"),
            card=CardV1(number=card, customer_id=customer_id, status="active", issued_at=at)
            if card
            else None,
            entries=entries_of(entries),
            staff_id=new_id(),
            till_id=self.till_id,
        )
        return customer_id, self.event("customer.registered", customer_id, at, payload)

    def adjust(self, customer_id: str, points: int, at: datetime) -> Event:
        """A manual adjustment: goodwill points usable at once for a year, or a correction."""
        entry = LedgerEntry(
            id=new_id(),
            kind=EntryKind.ADJUSTMENT,
            occurred_at=at,
            till_id=self.till_id,
            rules_version=self.rules.version,
            customer_id=customer_id,
            points=points,
            activates_at=at if points > 0 else None,
            expires_at=at + timedelta(days=365) if points > 0 else None,
            reason="goodwill" if points > 0 else "correction",
            author=new_id(),
        )
        self.ledger.append(entry)
        payload = AdjustmentRecordedV1(
            customer_id=customer_id,
            entries=entries_of([entry]),
            staff_id=new_id(),
            till_id=self.till_id,
            at=at,
        )
        return self.event("adjustment.recorded", customer_id, at, payload)

    def issue_card(self, customer_id: str, number: str, at: datetime) -> Event:
        payload = CardIssuedV1(
            customer_id=customer_id,
            card=CardV1(number=number, customer_id=customer_id, status="active", issued_at=at),
            staff_id=new_id(),
            till_id=self.till_id,
            at=at,
        )
        return self.event("card.issued", customer_id, at, payload)

    def reissue_card(self, customer_id: str, number: str, at: datetime) -> Event:
        payload = CardReissuedV1(
            customer_id=customer_id,
            card=number,
            replaced=[],
            staff_id=new_id(),
            till_id=self.till_id,
            at=at,
        )
        return self.event("card.reissued", customer_id, at, payload)

    def sell(
        self,
        customer_id: str | None,
        amount: int,
        *,
        at: datetime,
        quantity_milli: int = 1000,
        redeem: int = 0,
        promo_codes: tuple[str, ...] = (),
        gift_card: GiftCard | None = None,
        lines: Sequence[CartLine] = (),
        tenders: Sequence[Tender] | None = None,
    ) -> tuple[str, PricedReceipt, Event]:
        """A sale of one line, line "1": coffee beans, ``quantity_milli`` for ``amount``;
        or of ``lines`` when given (then ``amount`` and ``quantity_milli`` are not used).
        With ``tenders`` it is a v2 event that says how it was paid; without, a v1 one."""
        state = None
        if customer_id is not None:
            state = CustomerState(
                customer_id,
                project(customer_id, [e for e in self.ledger if e.customer_id == customer_id]),
                birthday=self.birthdays.get(customer_id),
                referred_by=self.referrers.get(customer_id),
            )
        uses: dict[str, int] = {}
        for e in self.ledger:
            if e.kind is EntryKind.PROMO_USE and e.ref:
                uses[e.ref] = uses.get(e.ref, 0) + 1
        cards = [GiftCardPayment(project_gift_card(gift_card, self.ledger))] if gift_card else []
        receipt = price_checkout(
            self.rules,
            list(lines) or [CartLine("1", "sku-1", "Coffee beans", quantity_milli, amount)],
            now=at,
            customer=state,
            redeem=redeem,
            promo_codes=promo_codes,
            promo_uses=uses,
            gift_cards=cards,
        )
        sale_id = new_id()
        entries = sale_entries(receipt, sale_id=sale_id, till_id=self.till_id)
        self.ledger += entries
        self.number += 1
        fields: dict[str, Any] = {
            "sale_id": sale_id,
            "number": self.number,
            "till_id": self.till_id,
            "staff_id": new_id(),
            "customer_id": customer_id,
            "card_number": None,
            "created_at": at,
            "request": SaleRequestV1(redeem=redeem, promo_codes=list(promo_codes)),
            "receipt": PricedReceiptV1.model_validate(receipt_to_wire(receipt)),
            "entries": entries_of(entries),
        }
        payload: SaleCompleted
        if tenders is None:
            payload = SaleCompletedV1(**fields)
        else:
            payload = SaleCompletedV2(**fields, tenders=tenders_of(Payment(tuple(tenders))))
        return sale_id, receipt, self.event("sale.completed", sale_id, at, payload)

    def give_back(
        self,
        sale_id: str,
        receipt: PricedReceipt,
        pieces: int,
        *,
        at: datetime,
        already: int = 0,
        approved_by: str | None = None,
        staff_id: str | None = None,
        payload_changes: dict[str, Any] | None = None,
        refunds: Sequence[Tender] | None = None,
    ) -> tuple[str, PricedReturn, Event]:
        """``pieces`` of the sale's line "1" back, priced on this till's own wallet;
        ``already`` is what this till knows was returned before (its own earlier returns).
        ``payload_changes`` overwrite fields of the event's payload once it is built. With
        ``refunds`` it is a v2 event that says how the money went back; without, a v1 one."""
        return_id = new_id()
        quantities = {"1": pieces * 1000}
        wallet = project(receipt.customer_id, self.ledger) if receipt.customer_id else None
        priced = price_return(
            self.rules,
            receipt,
            quantities,
            sale_id=sale_id,
            return_id=return_id,
            till_id=self.till_id,
            now=at,
            already_returned={"1": already * 1000} if already else None,
            wallet=wallet,
            late_approved=approved_by is not None,
        )
        self.ledger += priced.entries
        self.number += 1
        document = ReturnDocumentV1.model_validate(
            {
                "lines": [dataclasses.asdict(line) for line in priced.lines],
                "gift_cards": [dataclasses.asdict(g) for g in priced.gift_cards],
                "complete": priced.complete,
                "debt_added": priced.debt_added,
                "notes": [[n.code, n.params] for n in priced.notes],
                "approved_by": approved_by,
            }
        )
        fields: dict[str, Any] = {
            "return_id": return_id,
            "number": self.number,
            "sale_id": sale_id,
            "till_id": self.till_id,
            "staff_id": staff_id or new_id(),
            "approved_by": approved_by,
            "created_at": at,
            "quantities": quantities,
            "document": document,
            "entries": entries_of(priced.entries),
        }
        payload: SaleReturned
        if refunds is None:
            payload = SaleReturnedV1(**fields)
        else:
            payload = SaleReturnedV2(**fields, refunds=tenders_of(Payment(tuple(refunds))))
        event = self.event("sale.returned", return_id, at, payload)
        event["payload"].update(payload_changes or {})
        return return_id, priced, event


@dataclass
class Store:
    """The server's database and two tills of the store "Main street"."""

    server: Server
    one: Till
    two: Till

    @property
    def engine(self) -> Engine:
        return self.server.engine

    def session(self) -> Session:
        return Session(self.engine)

    def balance(self, customer_id: str, at: datetime) -> tuple[int, int, int]:
        """(available, pending, debt) as the server shows them."""
        shown: BalanceV1 = balance(customer_id, self.server.uow(), now=at)
        return shown.available, shown.pending, shown.debt

    def ledger(self, customer_id: str) -> list[LedgerRow]:
        with self.session() as session:
            return list(
                session.scalars(
                    select(LedgerRow)
                    .where(LedgerRow.customer_id == customer_id)
                    .order_by(LedgerRow.occurred_at, LedgerRow.points, LedgerRow.id)
                )
            )

    def available(self, customer_id: str, at: datetime) -> int:
        """What the customer's ledger rows on the server fold into, usable at ``at``."""
        entries = [ledger_entry(row) for row in self.ledger(customer_id)]
        return project(customer_id, entries).available(at)

    def entry_count(self) -> int:
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(LedgerRow)) or 0

    def entries(self, priced: PricedReturn) -> list[tuple[str, str | None, int, int, str]]:
        """(kind, customer, points, amount, event) of a priced return's entries on the server."""
        ids = [e.id for e in priced.entries]
        with self.session() as session:
            rows = session.scalars(select(LedgerRow).where(LedgerRow.id.in_(ids)))
            return sorted(
                (row.kind, row.customer_id, row.points, row.amount_minor, str(row.event_id))
                for row in rows
            )

    def sale(self, sale_id: str) -> Sale:
        with self.session() as session:
            return session.get_one(Sale, sale_id)

    def returns(self) -> list[SaleReturn]:
        with self.session() as session:
            return list(session.scalars(select(SaleReturn).order_by(SaleReturn.occurred_at)))

    def settlements(self) -> list[Settlement]:
        with self.session() as session:
            return list(session.scalars(select(Settlement).order_by(Settlement.feed_position)))

    def received(self, event_id: str) -> ReceivedEvent:
        with self.session() as session:
            return session.get_one(ReceivedEvent, event_id)


def two_tills(engine: Engine, rules: LoyaltyRules, *, published_at: datetime) -> Store:
    """A migrated server with ``rules`` published and tills "Till 1" and "Till 2" enrolled
    in "Main street", both pricing with ``rules``."""
    server = Server(engine)
    publish_rules(rules, server.uow(), now=published_at)
    one = Till(server, enrolled_till(server, name="Till 1"), rules)
    two = Till(server, enrolled_till(server, name="Till 2"), rules)
    return Store(server, one, two)


def statuses(results: Sequence[EventResultV1]) -> list[str]:
    return [r.status for r in results]


def ledger_entry(row: LedgerRow) -> LedgerEntry:
    """A server ledger row as the engine's entry."""
    return LedgerEntry(
        id=row.id,
        kind=EntryKind(row.kind),
        occurred_at=row.occurred_at,
        till_id=row.till_id,
        rules_version=row.rules_version,
        customer_id=row.customer_id,
        points=row.points,
        amount=row.amount_minor,
        sale_id=row.sale_id,
        lot_id=row.lot_id,
        activates_at=row.activates_at,
        expires_at=row.expires_at,
        gift_card_id=row.gift_card_id,
        ref=row.ref,
        reason=row.reason,
        author=row.author,
    )
