"""The loyalty rules document: versioned, validated, frozen, JSON in and out.

A manager edits it on the server; tills receive it by sync and price with the
version they hold. Every ledger entry records the ``version`` it was made under.
Amounts are integers in minor units, shares in basis points (1% = 100 bp),
durations in whole days counted in the store's time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from loyalty_core.errors import DomainError
from loyalty_core.money import BP_PER_UNIT, Currency, Rounding

SCHEMA_VERSION = 1

Bp = Annotated[int, Field(ge=0, le=BP_PER_UNIT, strict=True)]
Minor = Annotated[int, Field(ge=0, strict=True)]
Days = Annotated[int, Field(ge=0, le=36_500, strict=True)]
# At least a day. (A ``Field(ge=1)`` default on a ``Days`` field is not enough: the
# annotation's own ge=0 comes last and wins.)
PositiveDays = Annotated[int, Field(ge=1, le=36_500, strict=True)]


class InvalidRulesError(DomainError):
    code = "rules.invalid"
    template = "Loyalty rules refused: {field}: {problem}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CurrencySettings(_Frozen):
    code: str = Field(default="RUB", pattern=r"^[A-Z]{3}$")
    exponent: int = Field(default=2, ge=0, le=4, strict=True)
    symbol: str = Field(default="₽", min_length=1, max_length=4)

    def as_currency(self) -> Currency:
        return Currency(self.code, self.exponent, self.symbol)


class Tier(_Frozen):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    min_spend: Minor  # cumulative spend (minor units) that reaches this tier
    discount_bp: Bp = 0
    accrual_bp: Bp = 0


class TierPolicy(_Frozen):
    tiers: tuple[Tier, ...]
    # None: lifetime spend; N: spend over the last N days, so a tier can also go down.
    window_days: PositiveDays | None = None

    @field_validator("tiers")
    @classmethod
    def _ordered(cls, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
        if not tiers:
            raise ValueError("at least one tier is required")
        if tiers[0].min_spend != 0:
            raise ValueError("the first tier must start at min_spend 0")
        for lower, upper in pairwise(tiers):
            if upper.min_spend <= lower.min_spend:
                raise ValueError(f"tier '{upper.code}' must need more spend than '{lower.code}'")
        if len({t.code for t in tiers}) != len(tiers):
            raise ValueError("tier codes must be unique")
        return tiers

    def tier_for(self, spend: int) -> Tier:
        chosen = self.tiers[0]
        for tier in self.tiers:
            if spend >= tier.min_spend:
                chosen = tier
        return chosen

    def next_tier(self, tier: Tier) -> Tier | None:
        for candidate in self.tiers:
            if candidate.min_spend > tier.min_spend:
                return candidate
        return None

    def by_code(self, code: str) -> Tier | None:
        return next((t for t in self.tiers if t.code == code), None)


class AccrualRule(_Frozen):
    """Accrual is earned on the money paid: the part paid with bonus earns nothing."""

    excluded_categories: frozenset[str] = frozenset({"tobacco", "gift_card"})
    excluded_flags: frozenset[str] = frozenset({"no_accrual", "gift_card"})
    rounding: Rounding = Rounding.DOWN
    activation_days: Days = 14
    expiry_days: Days = 365
    expiry_notice_days: Days = 30  # receipts show points lapsing within this many days

    @model_validator(mode="after")
    def _expiry_after_activation(self) -> Self:
        if self.expiry_days <= self.activation_days:
            raise ValueError("expiry_days must be greater than activation_days")
        return self


class RedemptionRule(_Frozen):
    cap_bp: Bp = 3000  # at most this share of the check is paid with bonus
    min_check: Minor = 0  # no redemption on a check below this amount
    whole_units: bool = False  # spend bonus in whole major units (e.g. roubles) only
    excluded_categories: frozenset[str] = frozenset({"tobacco", "gift_card"})
    excluded_flags: frozenset[str] = frozenset({"no_redemption", "gift_card"})


class DiscountRule(_Frozen):
    rounding: Rounding = Rounding.DOWN
    excluded_categories: frozenset[str] = frozenset({"tobacco", "gift_card"})
    excluded_flags: frozenset[str] = frozenset({"no_discount", "gift_card"})


class WelcomeBonus(_Frozen):
    points: Minor = 0
    activation_days: Days = 0
    expiry_days: Days = 30


class FirstPurchaseBoost(_Frozen):
    """Boosted cashback on the first purchase; the extra part expires quickly."""

    accrual_bp: Bp = 0  # total rate on the first purchase; 0 disables
    expiry_days: PositiveDays = 14  # usable this many days once active


class BirthdayBonus(_Frozen):
    points: Minor = 0
    days_before: Days = 3
    days_after: Days = 3
    expiry_days: PositiveDays = 14  # from the store day it is granted


class QuestionnaireBonus(_Frozen):
    points: Minor = 0
    expiry_days: Days = 90


class ReferralBonus(_Frozen):
    """Granted with the referred customer's first purchase, pending like its accrual."""

    referrer_points: Minor = 0
    referred_points: Minor = 0
    expiry_days: PositiveDays = 90  # usable this many days once active


def normalize_code(code: str) -> str:
    """A promo code as stored and compared: no surrounding spaces, upper case."""
    return code.strip().upper()


class PromoKind(StrEnum):
    PERCENT = "percent"  # value in basis points
    FIXED = "fixed"  # value in minor units


class PromoCode(_Frozen):
    code: str = Field(min_length=3, max_length=32, pattern=r"^[A-Z0-9_-]+$")
    kind: PromoKind
    value: Annotated[int, Field(gt=0, strict=True)]
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: Annotated[int, Field(gt=0, strict=True)] | None = None  # 1 = single-use coupon
    per_customer_limit: Annotated[int, Field(gt=0, strict=True)] | None = None
    min_check: Minor = 0
    categories: frozenset[str] | None = None  # None: every discountable line

    @field_validator("code", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return normalize_code(value) if isinstance(value, str) else value

    @field_validator("valid_from", "valid_until")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError("must carry a time zone (UTC)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind is PromoKind.PERCENT and self.value > BP_PER_UNIT:
            raise ValueError("a percent promo value is in basis points, at most 10000")
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self


class GiftCardPolicy(_Frozen):
    validity_days: Days = 365
    max_pin_attempts: int = Field(default=5, ge=1, le=100, strict=True)


class ReturnPolicy(_Frozen):
    restore_redeemed: bool = True  # give back the bonus paid on returned lines
    window_days: Days = 14


class LoyaltyRules(_Frozen):
    schema_version: int = Field(default=SCHEMA_VERSION, strict=True)
    version: int = Field(ge=1, strict=True)
    name: str = "Loyalty program"
    currency: CurrencySettings = CurrencySettings()
    timezone: str = "Europe/Moscow"
    tiers: TierPolicy
    discount: DiscountRule = DiscountRule()
    accrual: AccrualRule = AccrualRule()
    redemption: RedemptionRule = RedemptionRule()
    welcome: WelcomeBonus = WelcomeBonus()
    first_purchase: FirstPurchaseBoost = FirstPurchaseBoost()
    birthday: BirthdayBonus = BirthdayBonus()
    questionnaire: QuestionnaireBonus = QuestionnaireBonus()
    referral: ReferralBonus = ReferralBonus()
    promos: tuple[PromoCode, ...] = ()
    gift_cards: GiftCardPolicy = GiftCardPolicy()
    returns: ReturnPolicy = ReturnPolicy()

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(f"this engine reads schema_version {SCHEMA_VERSION}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'") from None
        return value

    @model_validator(mode="after")
    def _bonus_lots_outlive_activation(self) -> Self:
        if self.welcome.expiry_days <= self.welcome.activation_days:
            raise ValueError("welcome.expiry_days must exceed welcome.activation_days")
        return self

    @field_validator("promos")
    @classmethod
    def _unique_codes(cls, promos: tuple[PromoCode, ...]) -> tuple[PromoCode, ...]:
        seen: set[str] = set()
        for promo in promos:
            if promo.code in seen:
                raise ValueError(f"promo code '{promo.code}' is defined twice")
            seen.add(promo.code)
        return promos

    # -- derived helpers -------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    def promo(self, code: str) -> PromoCode | None:
        wanted = normalize_code(code)
        return next((p for p in self.promos if p.code == wanted), None)

    def day_start_after(self, moment: datetime, days: int) -> datetime:
        """Local midnight ``days`` days after the local date of ``moment``, in UTC.

        Lots activate and expire at the start of a store day, so a receipt can say
        "pending until 05.12" and mean the whole day.
        """
        zone = self.zone
        local_date = moment.astimezone(zone).date() + timedelta(days=days)
        start = datetime(local_date.year, local_date.month, local_date.day, tzinfo=zone)
        return start.astimezone(_UTC)

    # -- JSON ------------------------------------------------------------
    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> LoyaltyRules:
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise _refusal(exc) from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoyaltyRules:
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise _refusal(exc) from None


_UTC = ZoneInfo("UTC")
_ZONES: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    return zone


def _refusal(exc: ValidationError) -> InvalidRulesError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "document"
    problem = first["msg"].removeprefix("Value error, ")
    return InvalidRulesError(field=field, problem=problem, errors=exc.error_count())


def default_rules() -> LoyaltyRules:
    """A demo store in roubles: Bronze / Silver / Gold by spend over the last year."""
    return LoyaltyRules(
        version=1,
        name="Demo store bonus program",
        tiers=TierPolicy(
            window_days=365,
            tiers=(
                Tier(code="bronze", name="Bronze", min_spend=0, accrual_bp=300),
                Tier(
                    code="silver",
                    name="Silver",
                    min_spend=1_500_000,
                    discount_bp=200,
                    accrual_bp=500,
                ),
                Tier(
                    code="gold",
                    name="Gold",
                    min_spend=5_000_000,
                    discount_bp=500,
                    accrual_bp=700,
                ),
            ),
        ),
        accrual=AccrualRule(activation_days=14, expiry_days=365),
        redemption=RedemptionRule(cap_bp=3000, min_check=10_000),
        welcome=WelcomeBonus(points=20_000, expiry_days=30),
        first_purchase=FirstPurchaseBoost(accrual_bp=5000, expiry_days=14),
        birthday=BirthdayBonus(points=50_000, days_before=3, days_after=3, expiry_days=14),
        questionnaire=QuestionnaireBonus(points=10_000, expiry_days=90),
        referral=ReferralBonus(referrer_points=30_000, referred_points=30_000, expiry_days=90),
        promos=(
            PromoCode(code="WELCOME10", kind=PromoKind.PERCENT, value=1000, per_customer_limit=1),
            PromoCode(code="MINUS500", kind=PromoKind.FIXED, value=50_000, min_check=300_000),
        ),
    )
