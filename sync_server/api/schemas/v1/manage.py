"""What the managers' API answers: lists of what sync settled or refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class RejectedEventV1(_Row):
    event_id: str
    till_id: str
    store_id: str
    kind: str
    aggregate_id: str
    code: str | None
    message: str | None
    created_at: datetime
    received_at: datetime
    attempts: int
    payload: dict[str, Any] | None


class SettlementRowV1(_Row):
    id: str
    kind: str
    event_id: str
    store_id: str
    till_id: str
    customer_id: str | None
    alias_id: str | None
    sale_id: str | None
    return_id: str | None
    promo_code: str | None
    gift_card_id: str | None
    points: int
    amount: int
    message: str
    created_at: datetime


class DebtV1(_Row):
    customer_id: str
    phone: str
    points: int
    highest_points: int
    updated_at: datetime


class TillClockV1(_Row):
    till_id: str
    till_name: str
    store_id: str
    clock_skew_s: int | None
    clock_flagged_at: datetime | None
    last_push_at: datetime | None
    last_pull_at: datetime | None


class RejectedEventsV1(_Row):
    events: list[RejectedEventV1]


class SettlementsV1(_Row):
    settlements: list[SettlementRowV1]


class DebtsV1(_Row):
    debts: list[DebtV1]


class TillClocksV1(_Row):
    tills: list[TillClockV1]
