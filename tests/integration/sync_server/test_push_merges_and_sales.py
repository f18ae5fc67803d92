"""Push as a store manager checks it, on real SQLite and PostgreSQL: one phone registered at
two offline tills, cards handed out twice, sales priced again against the server's own
ledger (as of the sale's business time), overdrafts, and rejected events retried after a fix.

Events are built as the till builds them, with the real engine (``price_checkout``,
``sale_entries``, ``one_off_bonus_entry``) and the wire models, and pushed through
``sync_server.services.push`` on a migrated database. The demo rules
(``default_rules``) give the numbers: a welcome bonus of 200.00 (20000 points), 100.00
(10000) for a completed questionnaire, 500.00 (50000) on a birthday; Bronze earns 3%,
Silver (15,000.00 spent) 2% off and 5%; a first purchase earns 50% in all (3% plus a boost
of 47%); bonus may pay at most 30% of a check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ids import new_id
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet, project
from loyalty_core.wire.events import (
    AdjustmentRecordedV1,
    CardIssuedV1,
    CardReissuedV1,
    CardV1,
    ConsentV1,
    CustomerRegisteredV1,
    CustomerV1,
    SaleCompletedV1,
    SaleRequestV1,
    dump,
)
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from loyalty_core.wire.sync import EventResultV1, PushRequestV1, SettlementV1
from sync_server.adapters.models import (
    Card,
    CustomerAlias,
    CustomerDebt,
    ReceivedEvent,
    Sale,
    Settlement,
)
from sync_server.adapters.models import LedgerEntry as LedgerRow
from sync_server.services.push import NotRejectedError, push, retry_event
from sync_server.services.setup import add_gift_card, load_gift_card, publish_rules
from sync_server.services.tills import TillRecord
from tests.integration.sync_server.enrollment_support import NOW, Server
from tests.integration.sync_server.sync_support import enrolled_till

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, the store's time zone
PUSHED_AT = T0 + timedelta(hours=8)  # the tills come back online in the evening
CARD = GiftCard(
    "9d5c1f0e-4a57-4d0b-9a36-0c8a2f1b7e41",
    "7000111122223333",
    hash_pin("1234"),
    T0 + timedelta(days=365),
)
GIFT_LOAD_ID = "5b0d8e2a-93c4-4f6e-8d1a-2e7c9b4f0a13"


@dataclass
class Till:
    """One till offline: its own view of the ledger and the events it will push."""

    record: TillRecord
    rules: LoyaltyRules = RULES
    ledger: list[LedgerEntry] = field(default_factory=list)
    birthdays: dict[str, date] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    number: int = 0

    @property
    def till_id(self) -> str:
        return self.record.id

    def learn(self, other: Till) -> None:
        """What the other till pushed, as this till gets it by pull."""
        known = {e.id for e in self.ledger}
        self.ledger += [e for e in other.ledger if e.id not in known]
        self.birthdays.update(other.birthdays)

    def _event(self, kind: str, aggregate: str, at: datetime, payload: Any) -> dict[str, Any]:
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
        at: datetime = T0,
        questionnaire: bool = False,
        birthday: date | None = None,
        card: str | None = None,
    ) -> str:
        """A registration as the till makes it: the welcome bonus, and the questionnaire's
        when it was filled in (entry ids derive from the new customer's id)."""
        customer_id = new_id()
        kinds = [BonusKind.WELCOME, *([BonusKind.QUESTIONNAIRE] if questionnaire else [])]
        entries = [
            entry
            for kind in kinds
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
        payload = CustomerRegisteredV1(
            customer=CustomerV1(id=customer_id, phone=phone, created_at=at, birthday=birthday),
            consent=ConsentV1(given_at=at, text_version="2026-01", channel="till"),
            card=CardV1(number=card, customer_id=customer_id, status="active", issued_at=at)
            if card
            else None,
            entries=entries_of(entries),
            staff_id=new_id(),
            till_id=self.till_id,
        )
        self._event("customer.registered", customer_id, at, payload)
        return customer_id

    def adjust(self, customer_id: str, points: int, at: datetime) -> dict[str, Any]:
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
        return self._event("adjustment.recorded", customer_id, at, payload)

    def issue_card(self, customer_id: str, number: str, at: datetime) -> dict[str, Any]:
        payload = CardIssuedV1(
            customer_id=customer_id,
            card=CardV1(number=number, customer_id=customer_id, status="active", issued_at=at),
            staff_id=new_id(),
            till_id=self.till_id,
            at=at,
        )
        return self._event("card.issued", customer_id, at, payload)

    def reissue_card(self, customer_id: str, number: str, at: datetime) -> dict[str, Any]:
        payload = CardReissuedV1(
            customer_id=customer_id,
            card=number,
            replaced=[],
            staff_id=new_id(),
            till_id=self.till_id,
            at=at,
        )
        return self._event("card.reissued", customer_id, at, payload)

    def sell(
        self,
        customer_id: str | None,
        amount: int,
        *,
        at: datetime,
        redeem: int = 0,
        promo_codes: tuple[str, ...] = (),
        gift_card: GiftCard | None = None,
    ) -> tuple[str, PricedReceipt, dict[str, Any]]:
        state = None
        if customer_id is not None:
            state = CustomerState(
                customer_id,
                project(customer_id, [e for e in self.ledger if e.customer_id == customer_id]),
                birthday=self.birthdays.get(customer_id),
            )
        uses: dict[str, int] = {}
        for e in self.ledger:
            if e.kind is EntryKind.PROMO_USE and e.ref:
                uses[e.ref] = uses.get(e.ref, 0) + 1
        cards = [GiftCardPayment(project_gift_card(gift_card, self.ledger))] if gift_card else []
        receipt = price_checkout(
            self.rules,
            [CartLine("1", "sku-1", "Coffee beans", 1000, amount)],
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
        payload = SaleCompletedV1(
            sale_id=sale_id,
            number=self.number,
            till_id=self.till_id,
            staff_id=new_id(),
            customer_id=customer_id,
            card_number=None,
            created_at=at,
            request=SaleRequestV1(redeem=redeem, promo_codes=list(promo_codes)),
            receipt=PricedReceiptV1.model_validate(receipt_to_wire(receipt)),
            entries=entries_of(entries),
        )
        return sale_id, receipt, self._event("sale.completed", sale_id, at, payload)


@dataclass
class Shop:
    """The server's database and two tills of the store "Main street"."""

    server: Server
    one: Till
    two: Till

    def push(
        self, till: Till, events: Sequence[dict[str, Any]] | None = None
    ) -> list[EventResultV1]:
        batch = list(till.outbox if events is None else events)
        if events is None:
            till.outbox = []
        request = PushRequestV1.model_validate({"v": 1, "events": batch})
        answer = push(
            request,
            till.record,
            self.server.uow(),
            now=PUSHED_AT,
            max_events=1000,
            clock_skew_limit_s=300,
        )
        return answer.results

    def session(self) -> Session:
        return Session(self.server.engine)

    def ledger(self, customer_id: str) -> list[LedgerRow]:
        with self.session() as session:
            return list(
                session.scalars(
                    select(LedgerRow)
                    .where(LedgerRow.customer_id == customer_id)
                    .order_by(LedgerRow.occurred_at, LedgerRow.points, LedgerRow.id)
                )
            )

    def available(self, customer_id: str, at: datetime = PUSHED_AT) -> int:
        entries = [_entry(row) for row in self.ledger(customer_id)]
        return project(customer_id, entries).available(at)

    def sale(self, sale_id: str) -> Sale:
        with self.session() as session:
            return session.get_one(Sale, sale_id)

    def settlements(self) -> list[Settlement]:
        with self.session() as session:
            return list(session.scalars(select(Settlement).order_by(Settlement.feed_position)))

    def received(self, event_id: str) -> ReceivedEvent:
        with self.session() as session:
            return session.get_one(ReceivedEvent, event_id)


def _entry(row: LedgerRow) -> LedgerEntry:
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


@pytest.fixture
def shop(migrated_engine: Engine) -> Shop:
    server = Server(migrated_engine)
    publish_rules(RULES, server.uow(), now=NOW)
    one = Till(enrolled_till(server, name="Till 1"))
    two = Till(enrolled_till(server, name="Till 2"))
    return Shop(server, one, two)


def statuses(results: Sequence[EventResultV1]) -> list[str]:
    return [r.status for r in results]


def applied(results: Sequence[EventResultV1]) -> list[EventResultV1]:
    assert statuses(results) == ["applied"] * len(results), [(r.code, r.message) for r in results]
    return list(results)


def a_customer_both_tills_know(shop: Shop, phone: str, **details: Any) -> str:
    customer = shop.one.register(phone, **details)
    applied(shop.push(shop.one))
    shop.two.learn(shop.one)
    return customer


# -- one phone registered at two tills ---------------------------------------------------
def test_one_phone_registered_at_two_tills_keeps_one_welcome_and_one_questionnaire_bonus(
    shop: Shop,
) -> None:
    # Both tills were offline; each registered +7 916 111-00-01 with a filled questionnaire
    # and gave 200.00 welcome + 100.00 questionnaire bonus.
    first = shop.one.register("+79161110001", at=T0, questionnaire=True)
    second = shop.two.register("+79161110001", at=T0 + timedelta(hours=1), questionnaire=True)
    merged_event = shop.two.outbox[0]["event_id"]
    applied(shop.push(shop.one))

    (result,) = applied(shop.push(shop.two))

    # The 300.00 given a second time is taken back by the server: 30000 points.
    assert result.settlements == [
        SettlementV1(
            kind="customer_merged",
            points=30_000,
            customer_id=first,
            message=(
                "Phone +7916111**** was registered again at till Till 2 as "
                f"{second}; that id is now an alias of {first}. "
                "Registration bonus given twice and taken back: 30000 points."
            ),
        )
    ]
    (settlement,) = shop.settlements()
    assert (settlement.alias_id, settlement.event_id) == (second, merged_event)
    welcome_2 = derived_id(second, "bonus:welcome")
    questionnaire_2 = derived_id(second, "bonus:questionnaire")
    later = T0 + timedelta(hours=1)
    rows = [
        (
            *(r.id, r.kind, r.points, r.occurred_at, r.till_id, r.rules_version, r.ref),
            *(r.reason, r.author, r.event_id, r.sale_id, r.lot_id, r.activates_at is None),
        )
        for r in shop.ledger(first)
        if r.till_id == "server"
    ]
    assert sorted(rows) == sorted(
        [
            (
                derived_id(merged_event, f"merge:{welcome_2}"),
                "adjustment",
                -20_000,
                later,
                "server",
                1,
                None,
                "merged duplicate registration: welcome bonus given once",
                "server",
                merged_event,
                None,
                None,
                True,
            ),
            (
                derived_id(merged_event, f"merge:{questionnaire_2}"),
                "adjustment",
                -10_000,
                later,
                "server",
                1,
                None,
                "merged duplicate registration: questionnaire bonus given once",
                "server",
                merged_event,
                None,
                None,
                True,
            ),
        ]
    )
    # Till 2's own bonus entries are kept too, under the kept id, so both tills' ledgers
    # add up on the server: 200 + 100 + 200 + 100 - 200 - 100 = 300.00.
    assert sorted((r.id, r.customer_id, r.points) for r in shop.ledger(first) if r.ref) == sorted(
        [
            (derived_id(first, "bonus:welcome"), first, 20_000),
            (derived_id(first, "bonus:questionnaire"), first, 10_000),
            (welcome_2, first, 20_000),
            (questionnaire_2, first, 10_000),
        ]
    )
    assert shop.available(first) == 30_000
    with shop.session() as session:
        aliases = [(a.alias_id, a.customer_id) for a in session.scalars(select(CustomerAlias))]
    assert aliases == [(second, first)]


def test_a_bonus_only_the_second_registration_gave_is_kept(shop: Shop) -> None:
    # Till 1: welcome only (200.00, no questionnaire). Till 2: welcome + questionnaire.
    first = shop.one.register("+79161110002", at=T0)
    second = shop.two.register("+79161110002", at=T0 + timedelta(hours=1), questionnaire=True)
    applied(shop.push(shop.one))

    (result,) = applied(shop.push(shop.two))

    assert [(s.kind, s.points, s.customer_id) for s in result.settlements] == [
        ("customer_merged", 20_000, first)
    ]
    assert result.settlements[0].message.endswith("taken back: 20000 points.")
    taken_back = [(r.points, r.reason) for r in shop.ledger(first) if r.author == "server"]
    assert taken_back == [(-20_000, "merged duplicate registration: welcome bonus given once")]
    # 200.00 + 200.00 + 100.00 (the questionnaire, first given by till 2) - 200.00 = 300.00
    assert shop.available(first) == 30_000
    assert [r.id for r in shop.ledger(first) if r.ref == "questionnaire"] == [
        derived_id(second, "bonus:questionnaire")
    ]


def test_even_a_welcome_bonus_of_one_point_given_twice_is_taken_back(shop: Shop) -> None:
    tiny = RULES.model_copy(update={"welcome": RULES.welcome.model_copy(update={"points": 1})})
    shop.one.rules = shop.two.rules = tiny
    first = shop.one.register("+79161110003", at=T0)
    shop.two.register("+79161110003", at=T0 + timedelta(hours=1))
    applied(shop.push(shop.one))

    (result,) = applied(shop.push(shop.two))

    assert [(s.kind, s.points) for s in result.settlements] == [("customer_merged", 1)]
    assert [r.points for r in shop.ledger(first) if r.author == "server"] == [-1]
    assert shop.available(first) == 1


def test_the_merged_id_keeps_selling_and_its_sale_is_stored_under_the_kept_customer(
    shop: Shop,
) -> None:
    first = shop.one.register("+79161110004", at=T0)
    second = shop.two.register("+79161110004", at=T0)
    applied(shop.push(shop.one))
    applied(shop.push(shop.two))
    # Till 2 has not pulled yet: it sells 1,000.00 to the id it registered (now an alias).
    sale_id, receipt, event = shop.two.sell(second, 100_000, at=T0 + timedelta(hours=2))
    assert (receipt.to_pay, receipt.accrual, receipt.boost) == (100_000, 3_000, 47_000)

    (result,) = applied(shop.push(shop.two))

    # The server prices it the same (Bronze, first purchase: 3% + 47% boost = 500.00).
    assert result.settlements == []
    sale = shop.sale(sale_id)
    assert (sale.customer_id, sale.event_id, sale.paid_minor, sale.accrued_points) == (
        first,
        event["event_id"],
        100_000,
        50_000,
    )
    sold = [(r.kind, r.points, r.customer_id, r.event_id) for r in shop.ledger(first) if r.sale_id]
    assert sorted(sold) == [
        ("accrual", 3_000, first, event["event_id"]),
        ("bonus", 47_000, first, event["event_id"]),
        ("purchase", 0, first, event["event_id"]),
    ]


# -- cards -----------------------------------------------------------------------------
def test_a_card_number_that_belongs_to_another_customer_is_rejected_card_taken(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79162220001", card="2000000000001")
    boris = shop.two.register("+79162220002")
    issued = shop.two.issue_card(boris, "2000000000001", T0 + timedelta(hours=1))
    reissued = shop.two.reissue_card(boris, "2000000000001", T0 + timedelta(hours=2))
    shop.two.register("+79162220003", card="2000000000001")

    results = shop.push(shop.two)

    taken = "Card 2000000000001 already belongs to another customer."
    assert [(r.status, r.code, r.message) for r in results] == [
        ("applied", None, None),
        ("rejected", "card.taken", taken),
        ("rejected", "card.taken", taken),
        ("rejected", "card.taken", taken),
    ]
    assert [r.event_id for r in results[1:3]] == [
        uuid.UUID(issued["event_id"]),
        uuid.UUID(reissued["event_id"]),
    ]
    # Pushed again, a rejected event gets the same answer, code and message.
    again = shop.push(shop.two, [issued])
    assert [(r.status, r.code, r.message) for r in again] == [("rejected", "card.taken", taken)]
    # The card issued again to its own customer (the till re-created the event) is fine.
    applied(shop.push(shop.one, [shop.one.issue_card(anna, "2000000000001", T0)]))
    with shop.session() as session:
        cards = [(c.number, c.customer_id, c.status) for c in session.scalars(select(Card))]
    assert cards == [("2000000000001", anna, "active")]


def test_a_new_card_issued_and_reissued_is_added_once_to_its_customer(shop: Shop) -> None:
    anna = a_customer_both_tills_know(shop, "+79162220004")
    shop.one.issue_card(anna, "2000000000011", T0 + timedelta(hours=1))
    shop.one.reissue_card(anna, "2000000000012", T0 + timedelta(hours=2))

    applied(shop.push(shop.one))

    with shop.session() as session:
        cards = [
            (c.number, c.customer_id, c.status)
            for c in session.scalars(select(Card).order_by(Card.number))
        ]
    assert cards == [("2000000000011", anna, "active"), ("2000000000012", anna, "active")]


# -- sales priced again ------------------------------------------------------------------
def test_a_sale_spending_more_than_the_server_ledger_holds_records_the_exact_overdraft(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79163330001")  # 200.00 welcome bonus
    # Till 1 sells 500.00 and takes 150.00 of bonus (30% of the check): 50.00 is left.
    shop.one.sell(anna, 50_000, at=T0 + timedelta(hours=1), redeem=15_000)
    applied(shop.push(shop.one))
    # Till 2 still thinks 200.00 is there: a 1,000.00 sale takes 200.00 (cap 300.00).
    sale_id, receipt, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2), redeem=20_000)
    assert receipt.redeemed == 20_000

    (result,) = applied(shop.push(shop.two))

    assert result.settlements == [
        SettlementV1(
            kind="overdraft",
            points=15_000,
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1 at till Till 2 spent 20000 bonus; the customer's ledger on the server "
                "covered 5000. The sale is kept; 15000 is owed and paid back from later accruals."
            ),
        )
    ]
    assert shop.sale(sale_id).redeemed_points == 20_000  # the sale is kept as sold
    with shop.session() as session:
        debt = session.get_one(CustomerDebt, anna)
        assert (debt.points, debt.highest_points) == (15_000, 15_000)

    # A later sale without bonus owes nothing more: its accrual is pending for 14 days,
    # so the debt stays 150.00 and no second overdraft is recorded.
    shop.one.sell(anna, 10_000, at=T0 + timedelta(hours=3))
    (later,) = applied(shop.push(shop.one))
    assert later.settlements == []
    with shop.session() as session:
        assert session.get_one(CustomerDebt, anna).points == 15_000


def test_an_overdraft_of_a_single_point_is_recorded(shop: Shop) -> None:
    boris = a_customer_both_tills_know(shop, "+79163330002")  # 200.00 welcome bonus
    # Till 1 corrects the balance by 0.01; till 2 does not know and spends all 200.00.
    shop.one.adjust(boris, -1, T0 + timedelta(hours=1))
    applied(shop.push(shop.one))
    sale_id, _, _ = shop.two.sell(boris, 100_000, at=T0 + timedelta(hours=2), redeem=20_000)

    (result,) = applied(shop.push(shop.two))

    assert [
        (s.kind, s.points, s.customer_id, s.sale_id, s.message) for s in result.settlements
    ] == [
        (
            "overdraft",
            1,
            boris,
            sale_id,
            "Sale 1 at till Till 2 spent 20000 bonus; the customer's ledger on the server "
            "covered 19999. The sale is kept; 1 is owed and paid back from later accruals.",
        )
    ]


def test_a_till_that_did_not_know_an_earlier_sale_gets_pricing_differs_naming_each_number(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440001")
    # Till 1 sells 15,000.00 at 11:00: Anna is Silver from now on (and had her first purchase).
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=1))
    applied(shop.push(shop.one))
    # Till 2, offline, sells 1,000.00 at 12:00 as to a Bronze first-time buyer.
    sale_id, receipt, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2))
    assert (receipt.to_pay, receipt.discount_total, receipt.accrual + receipt.boost) == (
        100_000,
        0,
        50_000,
    )

    (result,) = applied(shop.push(shop.two))

    # The server: Silver 2% off = 20.00, 980.00 to pay, 5% = 49.00, no first-purchase boost.
    # The till: nothing off, 1,000.00, 3% + 47% boost = 500.00. Bonus spent: 0 on both.
    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1 priced again: to pay 100000 at the till, 98000 on the server; "
                "discount 0 at the till, 2000 on the server; "
                "accrual 50000 at the till, 4900 on the server. "
                "The till's receipt is kept as it was."
            ),
        )
    ]
    assert (shop.sale(sale_id).paid_minor, shop.sale(sale_id).accrued_points) == (100_000, 50_000)


def test_a_sale_is_priced_against_the_wallet_as_of_its_business_time(shop: Shop) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440002")
    # Till 1's 15,000.00 sale happened at 13:00 and arrives first; till 2's 1,000.00 sale
    # happened at 12:00, before it: then Anna was Bronze with no purchase yet.
    shop.one.sell(anna, 1_500_000, at=T0 + timedelta(hours=3))
    applied(shop.push(shop.one))
    sale_id, _, _ = shop.two.sell(anna, 100_000, at=T0 + timedelta(hours=2))

    (result,) = applied(shop.push(shop.two))

    assert result.settlements == []
    assert shop.sale(sale_id).accrued_points == 50_000


def test_a_registration_and_a_sale_in_the_same_second_spend_the_welcome_bonus(
    shop: Shop,
) -> None:
    # The customer registers and pays at once: 200.00 welcome bonus on a 1,000.00 check.
    anna = shop.one.register("+79164440003", at=T0)
    _, receipt, _ = shop.one.sell(anna, 100_000, at=T0, redeem=20_000)
    assert (receipt.redeemed, receipt.to_pay) == (20_000, 80_000)

    results = applied(shop.push(shop.one))

    assert [r.settlements for r in results] == [[], []]
    assert shop.available(anna) == 0


def test_a_birthday_bonus_spent_in_the_sale_that_grants_it_prices_the_same(shop: Shop) -> None:
    # Registered today, on her birthday, and buys 2,000.00 at once: 200.00 welcome + 500.00
    # birthday bonus; 30% of the check, 600.00, is paid with bonus; 100.00 is left.
    vera = shop.one.register("+79164440004", at=T0, birthday=date(1990, 3, 2))
    sale_id, receipt, _ = shop.one.sell(vera, 200_000, at=T0 + timedelta(hours=1), redeem=60_000)
    assert (receipt.redeemed, receipt.to_pay) == (60_000, 140_000)

    results = applied(shop.push(shop.one))

    assert [r.settlements for r in results] == [[], []]
    assert shop.sale(sale_id).redeemed_points == 60_000
    assert shop.available(vera) == 10_000  # 200.00 + 500.00 - 600.00


def test_a_sale_priced_with_rules_the_server_does_not_have_is_kept_as_the_till_priced_it(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440005")
    shop.one.rules = RULES.model_copy(update={"version": 2})
    sale_id, _, _ = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1))

    (result,) = applied(shop.push(shop.one))

    assert result.settlements == [
        SettlementV1(
            kind="pricing_differs",
            customer_id=anna,
            sale_id=sale_id,
            message=(
                "Sale 1: the server has no rules version 2 to price it again; "
                "the till's receipt is kept as it was."
            ),
        )
    ]
    assert shop.sale(sale_id).rules_version == 2


def test_a_promo_once_per_customer_used_at_two_tills_is_an_over_use_of_that_customer(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79164440006")
    shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1), promo_codes=("WELCOME10",))
    applied(shop.push(shop.one))
    sale_id, receipt, _ = shop.two.sell(
        anna, 100_000, at=T0 + timedelta(hours=2), promo_codes=("WELCOME10",)
    )
    assert receipt.discount_total == 10_000  # 10% off at till 2 as well

    (result,) = applied(shop.push(shop.two))

    assert result.settlements == [
        SettlementV1(
            kind="promo_overuse",
            customer_id=anna,
            sale_id=sale_id,
            promo_code="WELCOME10",
            message=(
                "Promo WELCOME10 on sale 1 at till Till 2: used 1 times by this customer "
                "before, limit 1. The sale and its discount are kept; the over-use is recorded."
            ),
        )
    ]


def _with_gift_card(shop: Shop) -> None:
    add_gift_card(CARD, shop.server.uow(), now=T0)
    load_gift_card(CARD, 30_000, GIFT_LOAD_ID, RULES.version, shop.server.uow(), now=T0)
    loaded = load_entry(
        CARD, entry_id=GIFT_LOAD_ID, amount=30_000, now=T0, till_id="server", rules_version=1
    )
    shop.one.ledger.append(loaded)
    shop.two.ledger.append(loaded)


def test_a_gift_card_paying_part_of_a_check_prices_the_same_and_settles_nothing(
    shop: Shop,
) -> None:
    _with_gift_card(shop)  # 300.00 on the card
    # An anonymous 500.00 check: 300.00 from the card, 200.00 in money.
    sale_id, receipt, _ = shop.one.sell(None, 50_000, at=T0 + timedelta(hours=1), gift_card=CARD)
    assert receipt.to_pay == 20_000

    (result,) = applied(shop.push(shop.one))

    assert result.settlements == []
    assert shop.sale(sale_id).customer_id is None


def test_a_gift_card_spent_twice_records_the_debt_with_the_customer_of_the_second_sale(
    shop: Shop,
) -> None:
    _with_gift_card(shop)
    anna = a_customer_both_tills_know(shop, "+79165550001")
    boris = a_customer_both_tills_know(shop, "+79165550002")
    shop.one.sell(anna, 30_000, at=T0 + timedelta(hours=1), gift_card=CARD)
    applied(shop.push(shop.one))
    sale_id, _, _ = shop.two.sell(boris, 30_000, at=T0 + timedelta(hours=2), gift_card=CARD)

    (result,) = applied(shop.push(shop.two))

    assert result.settlements == [
        SettlementV1(
            kind="gift_card_overdraw",
            amount=30_000,
            customer_id=boris,
            sale_id=sale_id,
            gift_card_id=CARD.id,
            message=(
                "Gift card 3333 paid 30000 on sale 1 at till Till 2 but held 0 on the server; "
                "the sale is kept and 30000 is recorded as the card's debt."
            ),
        )
    ]


# -- sales rejected ----------------------------------------------------------------------
def _rejection(result: EventResultV1) -> tuple[str, str | None, str | None]:
    return (result.status, result.code, result.message)


def test_a_sale_that_cannot_be_checked_is_rejected_with_a_message_naming_why(
    shop: Shop,
) -> None:
    anna = a_customer_both_tills_know(shop, "+79166660001")
    boris = a_customer_both_tills_know(shop, "+79166660002")
    _, _, good = shop.one.sell(anna, 100_000, at=T0 + timedelta(hours=1))
    shop.one.outbox = []

    def variant(**payload: Any) -> dict[str, Any]:
        return {**good, "event_id": new_id(), "payload": {**good["payload"], **payload}}

    sale_id = good["payload"]["sale_id"]
    not_a_uuid = variant(sale_id="till-1/sale-7")
    other_customer = variant(customer_id=boris)
    three = good["payload"]["entries"]
    assert len(three) == 3  # accrual, purchase and first-purchase boost
    missing_entry = variant(entries=three[:2])

    results = shop.push(shop.one, [not_a_uuid, other_customer, missing_entry])

    assert [_rejection(r) for r in results] == [
        ("rejected", "event.invalid", "sale_id 'till-1/sale-7' is not a UUID."),
        (
            "rejected",
            "sale.entries_mismatch",
            f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
            "(the receipt names another customer); nothing was recorded.",
        ),
        (
            "rejected",
            "sale.entries_mismatch",
            f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
            "(2 sent, 3 expected or different); nothing was recorded.",
        ),
    ]
    with shop.session() as session:
        assert session.get(Sale, sale_id) is None


def test_a_sale_paid_with_a_gift_card_the_server_does_not_know_is_rejected(shop: Shop) -> None:
    unknown = GiftCard(
        "8d2f6c1a-0b3e-4f7d-9c5a-6e1b2a3c4d5f", "7000999988887777", CARD.pin_hash, CARD.expires_at
    )
    entry = load_entry(
        unknown, entry_id=new_id(), amount=10_000, now=T0, till_id="server", rules_version=1
    )
    shop.one.ledger.append(entry)  # a card the till thinks it knows
    shop.one.sell(None, 50_000, at=T0 + timedelta(hours=1), gift_card=unknown)

    (result,) = shop.push(shop.one)

    assert _rejection(result) == (
        "rejected",
        "gift_card.unknown",
        "The server knows no gift card 8d2f6c1a-0b3e-4f7d-9c5a-6e1b2a3c4d5f.",
    )


# -- rejected events retried -----------------------------------------------------------------
def test_a_rejected_event_keeps_its_answer_until_retried_after_the_fix(shop: Shop) -> None:
    stranger = new_id()  # a customer whose registration has not reached the server
    event = shop.one.adjust(stranger, 1_000, T0 + timedelta(hours=1))
    event_id = event["event_id"]
    unknown = f"The server knows no customer {stranger}; push their registration first."

    first = shop.push(shop.one)
    again = shop.push(shop.one, [event])

    assert [_rejection(r) for r in [*first, *again]] == [
        ("rejected", "customer.unknown", unknown),
        ("rejected", "customer.unknown", unknown),
    ]
    assert [r.event_id for r in again] == [uuid.UUID(event_id)]
    # Retried before the fix it stays rejected, with the same reason, one attempt more.
    still = retry_event(event_id, shop.server.uow(), now=PUSHED_AT)
    assert _rejection(still) == ("rejected", "customer.unknown", unknown)
    row = shop.received(event_id)
    assert (row.status, row.code, row.message, row.attempts) == (
        "rejected",
        "customer.unknown",
        unknown,
        2,
    )

    # The fix: the registration arrives under the id the event names.
    registration = CustomerRegisteredV1(
        customer=CustomerV1(id=stranger, phone="+79167770001", created_at=T0),
        consent=ConsentV1(given_at=T0, text_version="2026-01", channel="till"),
        card=None,
        entries=[],
        staff_id=new_id(),
        till_id=shop.one.till_id,
    )
    shop.one._event("customer.registered", stranger, T0, registration)
    applied(shop.push(shop.one))
    # A manager retries it, pasting the id in capitals.
    retried = retry_event(event_id.upper(), shop.server.uow(), now=PUSHED_AT)

    assert retried == EventResultV1(event_id=uuid.UUID(event_id), status="applied")
    row = shop.received(event_id)
    assert (row.status, row.code, row.message, row.attempts) == ("applied", None, None, 3)
    assert shop.available(stranger) == 1_000
    # Applied now: it cannot be retried again, nor can an event the server never had.
    with pytest.raises(NotRejectedError) as twice:
        retry_event(event_id, shop.server.uow(), now=PUSHED_AT)
    assert (twice.value.code, twice.value.message) == (
        "manage.not_rejected",
        f"Event {event_id} is not a rejected event; only those can be retried.",
    )
    never = new_id()
    with pytest.raises(NotRejectedError) as missing:
        retry_event(never, shop.server.uow(), now=PUSHED_AT)
    assert missing.value.message == (
        f"Event {never} is not a rejected event; only those can be retried."
    )
    assert [r.points for r in shop.ledger(stranger)] == [1_000]  # given once
