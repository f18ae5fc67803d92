"""A priced receipt on the wire: the shape ``loyalty_core.receipt_wire`` stores with a sale."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from loyalty_core.receipt import PricedReceipt
from loyalty_core.receipt_wire import receipt_from_wire, receipt_to_wire
from loyalty_core.wire.common import Id, Instant, Minor, Text, WireModel


class PricedLineV1(WireModel):
    line_id: Id
    sku: Text
    name: Text
    quantity_milli: Minor
    category: Text | None
    flags: list[Text]
    amount: Minor
    tier_discount: Minor
    promo_discount: Minor
    redeemed: Minor
    accrual: Minor
    boost: Minor


class PricedReceiptV1(WireModel):
    """Compact rows (bonuses, gift cards, notes) stay lists, as stored with the sale."""

    v: Literal[1] = 1
    rules_version: Minor
    currency: Text
    priced_at: Instant
    customer_id: Id | None
    tier_code: Text | None
    lines: list[PricedLineV1]
    promos: list[Text]
    redeem_cap: Minor
    redeem_most: Minor | None = None  # receipts stored before it existed lack it
    available_before: Minor
    accrual_activates_at: Instant | None
    accrual_expires_at: Instant | None
    boost_expires_at: Instant | None
    bonuses: list[tuple[Text, Id, Minor, Instant, Instant]]
    gift_cards: list[tuple[Id, Text, Minor, Minor]]
    spend: Minor
    tier_after_code: Text | None
    notes: list[tuple[Text, dict[str, Any]]]
    expiring_soon: list[tuple[Minor, Instant]]

    @model_validator(mode="after")
    def _lines_have_distinct_ids(self) -> PricedReceiptV1:
        ids = [line.line_id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise ValueError("receipt lines must have distinct line_id")
        return self

    def to_receipt(self) -> PricedReceipt:
        data = self.model_dump(mode="json")
        if data["redeem_most"] is None:
            del data["redeem_most"]
        return receipt_from_wire(data)

    @classmethod
    def of(cls, receipt: PricedReceipt) -> PricedReceiptV1:
        return cls.model_validate(receipt_to_wire(receipt))
