"""What every handler needs to know about this till, passed in explicitly (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from loyalty_core.cards import CardNumberCodec
from loyalty_core.staff import LockoutPolicy

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TillContext:
    till_id: str
    card_codec: CardNumberCodec
    phone_region: str = "RU"
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    clock: Clock = utc_now
    prints_receipts: bool = False  # a printer is set up: every sale and return queues its receipt
    return_limit: int | None = None  # a refund above this (minor units) needs a manager's PIN
