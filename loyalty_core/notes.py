"""Explanations a cashier can read: a stable code, raw params, an English default.

The UI translates by ``code`` and formats ``params`` itself. Param conventions:
names ending in ``_bp`` are basis points, ``until``/``expires``/``date`` are ISO
dates (store-local), other ``int`` params are money or points in minor units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loyalty_core.money import Currency

TEMPLATES: dict[str, str] = {
    "tier.discount": "{tier} discount {discount_bp}: -{amount}",
    "tier.next": "Spend {missing} more to reach {tier}",
    "redeem.no_customer": "Identify the customer to spend bonus",
    "redeem.min_check": "Bonus can be spent on checks from {min_check}",
    "redeem.nothing_eligible": "No item in this check can be paid with bonus",
    "redeem.insufficient": "Only {available} bonus available, {requested} asked",
    "redeem.cap_reached": "Bonus capped at {cap_bp} of the check: {cap}",
    "redeem.whole_units": "Bonus spent in whole units only: {points}",
    "redeem.debt": "Customer owes {debt} bonus from earlier returns",
    "redeem.applied": "Paid with bonus: {points}",
    "redeem.offline_limit": "Offline: at most {limit} bonus can be spent at this till",
    "redeem.online_only": (
        "Bonus is spent only with the server's confirmation: it cannot be reached now"
    ),
    "redeem.server_balance": "The server confirms at most {limit} bonus to spend",
    "accrual.pending": "+{points} bonus pending until {until}",
    "accrual.excluded": "{name}: earns no bonus",
    "accrual.first_purchase": "First purchase: +{points} extra bonus, until {expires}",
    "bonus.birthday": "Happy birthday: +{points} bonus, until {expires}",
    "bonus.referral": "Referral bonus: +{points} to the customer who invited this one",
    "bonus.referred": "Invited customer's first purchase: +{points} bonus, pending until {until}",
    "balance.expiring": "{points} bonus expires on {date}",
    "return.debt": "The customer had already spent {debt} of this bonus: recorded as debt",
    "return.already_returned": (
        "This receipt was already returned: {restored} of {restore_asked} bonus restored, "
        "{reversed} of {reversal_asked} taken back"
    ),
    "promo.applied": "Promo {promo}: -{amount}",
    "promo.unknown": "Promo code {promo} does not exist",
    "promo.not_yet_valid": "Promo {promo} starts on {date}",
    "promo.expired": "Promo {promo} expired on {date}",
    "promo.used_up": "Promo {promo} has been used up",
    "promo.customer_limit": "Promo {promo} already used {uses} times by this customer",
    "promo.no_customer": "Identify the customer to use promo {promo}",
    "promo.min_check": "Promo {promo} needs a check from {min_check}",
    "promo.not_applicable": "Promo {promo} applies to none of these items",
    "promo.duplicate": "Promo {promo} is already applied",
    "gift_card.applied": "Gift card {card}: -{amount}, {left} left",
    "gift_card.expired": "Gift card {card} expired on {date}",
    "gift_card.empty": "Gift card {card} has no balance left",
    "gift_card.wrong_pin": "Wrong PIN for gift card {card}",
    "gift_card.locked": "Gift card {card} is locked after too many wrong PINs",
    "gift_card.insufficient": "Gift card {card} holds only {balance}",
    "gift_card.blocked": "Gift card {card} is blocked",
}

ParamValue = int | str


@dataclass(frozen=True, slots=True)
class Note:
    code: str
    params: dict[str, ParamValue] = field(default_factory=dict)

    def render(self, currency: Currency | None = None) -> str:
        cur = currency or Currency()
        shown: dict[str, str] = {}
        for name, value in self.params.items():
            if isinstance(value, str):
                shown[name] = _date_text(value) if name in _DATE_PARAMS else value
            elif name.endswith("_bp"):
                shown[name] = _percent(value)
            else:
                shown[name] = cur.format(value, symbol=False)
        try:
            return TEMPLATES.get(self.code, self.code).format(**shown)
        except (KeyError, IndexError):
            return self.code

    @property
    def message(self) -> str:
        return self.render()


_DATE_PARAMS = frozenset({"until", "expires", "date"})


def note(code: str, **params: ParamValue) -> Note:
    if code not in TEMPLATES:
        raise KeyError(f"unknown note code {code}")
    return Note(code, params)


def _date_text(iso: str) -> str:
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day:02d}.{day.month:02d}"


def _percent(bp: int) -> str:
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"
