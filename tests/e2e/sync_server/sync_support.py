"""A live server and tills that build their events with the real engine and wire models,
as the till's services do, and push and pull them over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from loyalty_core.giftcards import GiftCard, GiftCardPayment, project_gift_card
from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.returns import price_return
from loyalty_core.rules import LoyaltyRules
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import project
from loyalty_core.wire.events import (
    AdjustmentRecordedV1,
    CardV1,
    ConsentV1,
    CustomerRegisteredV1,
    CustomerV1,
    ReturnDocumentV1,
    SaleCompletedV1,
    SaleRequestV1,
    SaleReturnedV1,
    dump,
)
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from sync_server.adapters.database import create_database_engine
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.settings import ServerSettings
from tests.e2e.sync_server.server_admin import issue_code

TIMEOUT_S = 30
ADMIN_TOKEN = "test-admin-token-of-thirty-two-characters"
T0 = (datetime.now(UTC) - timedelta(hours=6)).replace(microsecond=0)  # recent: nothing lapses


@contextmanager
def operator(settings: ServerSettings) -> Iterator[SqlAlchemyUnitOfWork]:
    engine = create_database_engine(settings.database_url)
    try:
        yield SqlAlchemyUnitOfWork(session_factory(engine))
    finally:
        engine.dispose()


@dataclass
class Till:
    """One till: its credential, its own view of the ledger, and its events to push."""

    base_url: str
    till_id: str
    credential: str
    rules: LoyaltyRules
    ledger: list[LedgerEntry] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    number: int = 0

    # -- HTTP ------------------------------------------------------------------------
    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential}"}

    def post(self, path: str, body: Any) -> requests.Response:
        return requests.post(
            f"{self.base_url}{path}", json=body, headers=self.headers, timeout=TIMEOUT_S
        )

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(
            f"{self.base_url}{path}", params=params, headers=self.headers, timeout=TIMEOUT_S
        )

    def push(self, events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        batch = self.outbox if events is None else events
        answer = self.post("/v1/sync/push", {"v": 1, "events": batch})
        assert answer.status_code == 200, answer.text
        if events is None:
            self.outbox = []
        return dict(answer.json())

    def balance(self, customer_id: str) -> dict[str, Any]:
        answer = self.get(f"/v1/sync/customers/{customer_id}/balance")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def learn(self, other: Till) -> None:
        """What the other till pushed, as this till would get it by pull."""
        known = {e.id for e in self.ledger}
        self.ledger += [e for e in other.ledger if e.id not in known]

    # -- facts -----------------------------------------------------------------------
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

    def register(self, phone: str, at: datetime = T0, card: str | None = None) -> str:
        customer_id = new_id()
        payload = CustomerRegisteredV1(
            customer=CustomerV1(id=customer_id, phone=phone, created_at=at),
            consent=ConsentV1(given_at=at, text_version="2026-01", channel="till"),
            card=CardV1(number=card, customer_id=customer_id, status="active", issued_at=at)
            if card
            else None,
            entries=[],
            staff_id=new_id(),
            till_id=self.till_id,
        )
        self._event("customer.registered", customer_id, at, payload)
        return customer_id

    def give(self, customer_id: str, points: int, at: datetime = T0) -> None:
        entry = LedgerEntry(
            id=new_id(),
            kind=EntryKind.ADJUSTMENT,
            occurred_at=at,
            till_id=self.till_id,
            rules_version=self.rules.version,
            customer_id=customer_id,
            points=points,
            activates_at=at,
            expires_at=at + timedelta(days=365),
            reason="goodwill",
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
        self._event("adjustment.recorded", customer_id, at, payload)

    def sell(
        self,
        customer_id: str | None,
        amount: int,
        *,
        at: datetime,
        redeem: int = 0,
        promo_codes: tuple[str, ...] = (),
        gift_card: GiftCard | None = None,
    ) -> tuple[str, PricedReceipt]:
        state = None
        if customer_id is not None:
            state = CustomerState(customer_id, project(customer_id, self.ledger))
        uses: dict[str, int] = {}
        for e in self.ledger:
            if e.kind is EntryKind.PROMO_USE and e.ref:
                uses[e.ref] = uses.get(e.ref, 0) + 1
        cards = []
        if gift_card is not None:
            cards = [GiftCardPayment(project_gift_card(gift_card, self.ledger))]
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
        self._event("sale.completed", sale_id, at, payload)
        return sale_id, receipt

    def return_all(self, sale_id: str, receipt: PricedReceipt, *, at: datetime) -> str:
        return_id = new_id()
        wallet = project(receipt.customer_id, self.ledger) if receipt.customer_id else None
        priced = price_return(
            self.rules,
            receipt,
            {line.line_id: line.quantity_milli for line in receipt.lines},
            sale_id=sale_id,
            return_id=return_id,
            till_id=self.till_id,
            now=at,
            wallet=wallet,
        )
        self.ledger += priced.entries
        self.number += 1
        document = ReturnDocumentV1.model_validate(
            {
                "lines": [
                    {
                        "line_id": ln.line_id,
                        "quantity_milli": ln.quantity_milli,
                        "refund": ln.refund,
                        "bonus_restored": ln.bonus_restored,
                        "accrual_reversed": ln.accrual_reversed,
                        "boost_reversed": ln.boost_reversed,
                    }
                    for ln in priced.lines
                ],
                "gift_cards": [
                    {"gift_card_id": g.gift_card_id, "amount": g.amount} for g in priced.gift_cards
                ],
                "complete": priced.complete,
                "debt_added": priced.debt_added,
                "notes": [[n.code, n.params] for n in priced.notes],
                "approved_by": None,
            }
        )
        payload = SaleReturnedV1(
            return_id=return_id,
            number=self.number,
            sale_id=sale_id,
            till_id=self.till_id,
            staff_id=new_id(),
            approved_by=None,
            created_at=at,
            quantities={line.line_id: line.quantity_milli for line in receipt.lines},
            document=document,
            entries=entries_of(priced.entries),
        )
        self._event("sale.returned", return_id, at, payload)
        return return_id


def enroll(
    base_url: str, settings: ServerSettings, rules: LoyaltyRules, store: str, name: str
) -> Till:
    till_id = new_id()
    answer = requests.post(
        f"{base_url}/v1/tills/enroll",
        json={"code": issue_code(settings, store), "till_id": till_id, "till_name": name},
        timeout=TIMEOUT_S,
    )
    assert answer.status_code == 200, answer.text
    return Till(base_url, till_id, answer.json()["credential"], rules)


def admin_get(base_url: str, path: str, **params: Any) -> Any:
    answer = requests.get(
        f"{base_url}{path}",
        params=params,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=TIMEOUT_S,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()
