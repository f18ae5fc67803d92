"""Scorecards as the server sends them to a till (``GET /v1/sync/scorecards``): a manager's
till gets every cashier of the store, a cashier's till only their own card.

Decimals travel as strings ("3.65"); money in minor units; shares in basis points.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from loyalty_core.wire.common import Id, Minor, Text, WireModel

Rating = Annotated[Decimal, Field(ge=0, le=5, max_digits=3, decimal_places=2)]


class ReasonCountV1(WireModel):
    reason: Annotated[str, Field(max_length=32)]
    votes: int


class ScorecardV1(WireModel):
    staff_id: Id
    name: Text
    score: Rating  # the volume-aware score cashiers are ranked by
    votes: int
    average: Rating | None
    distribution: Annotated[list[int], Field(min_length=5, max_length=5)]  # votes of 1..5
    top_reasons: list[ReasonCountV1] = Field(default_factory=list, max_length=7)
    low_comments: list[Annotated[str, Field(max_length=1000)]] = Field(
        default_factory=list, max_length=20
    )  # newest first
    sales: int
    revenue: Minor
    average_check: Minor
    returns: int
    card_share_bp: int
    registrations: int
    questionnaires: int
    redeemed: int
    overrides: int


class ScorecardsV1(WireModel):
    v: Literal[1] = 1
    store_id: Id
    first: date
    last: date
    prior_mean: Rating
    cards: list[ScorecardV1]  # best served first
    whole_store: bool  # False: the asking cashier's own card only
