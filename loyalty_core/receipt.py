"""Checkout inputs (cart, customer) and the priced receipt the engine returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from loyalty_core.notes import Note
from loyalty_core.wallet import ExpiringPoints, Wallet


@dataclass(frozen=True, slots=True)
class CartLine:
    line_id: str  # unique within the sale; returns refer to it
    sku: str
    name: str
    quantity_milli: int  # thousandths: 1 piece = 1000, 0.250 kg = 250
    amount: int  # quantity x price, computed by the till, in minor units
    category: str | None = None
    flags: frozenset[str] = frozenset()  # e.g. "gift_card", "no_discount", "no_accrual"

    def __post_init__(self) -> None:
        if self.amount < 0 or self.quantity_milli <= 0:
            raise ValueError(f"cart line {self.line_id}: amount >= 0 and quantity_milli > 0")


@dataclass(frozen=True, slots=True)
class CustomerState:
    """What pricing needs to know about the identified customer."""

    customer_id: str
    wallet: Wallet  # the cached projection of the customer's ledger
    birthday: date | None = None
    referred_by: str | None = None  # the customer who invited this one


class PricedLine(NamedTuple):
    """One priced line (a named tuple: immutable and cheap to build 50 at a time)."""

    line_id: str
    sku: str
    name: str
    quantity_milli: int
    category: str | None
    flags: frozenset[str]
    amount: int  # before discounts
    tier_discount: int
    promo_discount: int
    redeemed: int  # part paid with bonus
    accrual: int  # points earned at the tier rate
    boost: int  # extra first-purchase points (separate lot, short expiry)

    @property
    def net(self) -> int:
        """Price after discounts."""
        return self.amount - self.tier_discount - self.promo_discount

    @property
    def due(self) -> int:
        """Money to pay for the line (cash, card or gift card)."""
        return self.net - self.redeemed


@dataclass(frozen=True, slots=True)
class GrantedBonus:
    kind: str  # a ``BonusKind`` value
    customer_id: str
    points: int
    activates_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class GiftCardCharge:
    gift_card_id: str
    number: str
    amount: int
    balance_after: int


@dataclass(frozen=True, slots=True)
class PricedReceipt:
    rules_version: int
    currency: str
    priced_at: datetime
    customer_id: str | None
    tier_code: str | None
    lines: tuple[PricedLine, ...]
    promos: tuple[str, ...]  # codes applied
    redeem_cap: int  # most bonus this check could take
    redeem_most: int  # most this customer can spend on it now: balance, cap, offline limit, step
    available_before: int  # spendable bonus before this sale
    accrual_activates_at: datetime | None
    accrual_expires_at: datetime | None
    boost_expires_at: datetime | None
    bonuses: tuple[GrantedBonus, ...]  # birthday, referral...
    gift_cards: tuple[GiftCardCharge, ...]
    spend: int  # what this sale adds to the customer's tier spend
    tier_after_code: str | None  # tier once this sale counts
    notes: tuple[Note, ...]
    expiring_soon: tuple[ExpiringPoints, ...] = ()  # usable points lapsing soon, after this sale

    @property
    def subtotal(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def discount_total(self) -> int:
        return sum(line.tier_discount + line.promo_discount for line in self.lines)

    @property
    def redeemed(self) -> int:
        return sum(line.redeemed for line in self.lines)

    @property
    def due(self) -> int:
        """Money due after discounts and bonus, before gift cards."""
        return sum(line.due for line in self.lines)

    @property
    def available_after(self) -> int:
        """Spendable bonus right after the sale (new accrual is pending, not counted)."""
        return self.available_before - self.redeemed

    @property
    def gift_card_total(self) -> int:
        return sum(g.amount for g in self.gift_cards)

    @property
    def to_pay(self) -> int:
        """What is left for cash or bank card."""
        return self.due - self.gift_card_total

    @property
    def accrual(self) -> int:
        return sum(line.accrual for line in self.lines)

    @property
    def boost(self) -> int:
        return sum(line.boost for line in self.lines)

    @property
    def earned(self) -> int:
        """All points this sale grants the customer (accrual, boost, own bonuses)."""
        own = sum(b.points for b in self.bonuses if b.customer_id == self.customer_id)
        return self.accrual + self.boost + own

    def line(self, line_id: str) -> PricedLine:
        return next(line for line in self.lines if line.line_id == line_id)
