"""What "Will earn" is made of when a first purchase earns more than the tier's rate.

The demo's rules (``loyalty_core.rules.default_rules``) give a customer's first purchase
50% back instead of their tier's 3-7%: shown as one number, that looks like a bug. Here
the engine's figures (``PricedReceipt.accrual``, ``boost``, ``bonuses``) are named, with
the rates of the rules that priced the check; nothing is computed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from pos_client.ui.formatting import Formats, percent, tier_name

translate = QCoreApplication.translate
FIRST_PURCHASE_NOTE = "accrual.first_purchase"  # the engine's note, told here in full


@dataclass(frozen=True, slots=True)
class Rates:
    """The rates the check was priced with, in basis points (None: not known here)."""

    tier: int | None
    first_purchase: int | None


@dataclass(frozen=True, slots=True)
class EarnParts:
    tier_caption: str
    tier_points: int
    boost_caption: str
    boost_points: int
    other_points: int  # birthday, referral... granted with this sale


def rates_of(receipt: PricedReceipt, rules: LoyaltyRules | None) -> Rates:
    """The rates of ``rules``, if they are the version that priced ``receipt``."""
    if rules is None or rules.version != receipt.rules_version:
        return Rates(None, None)
    tier = next((t for t in rules.tiers.tiers if t.code == receipt.tier_code), None)
    return Rates(tier.accrual_bp if tier else None, rules.first_purchase.accrual_bp)


def earn_parts(receipt: PricedReceipt, rules: LoyaltyRules | None) -> EarnParts | None:
    """The parts of what the sale earns, when a first-purchase boost is among them."""
    if not receipt.customer_id or receipt.boost <= 0:
        return None
    rates = rates_of(receipt, rules)
    tier_name = _tier_name(receipt, rules)
    if rates.tier is not None:
        tier_caption = translate("Totals", "{tier}: {rate} back").format(
            tier=tier_name, rate=percent(rates.tier)
        )
    else:
        tier_caption = translate("Totals", "{tier} tier").format(tier=tier_name)
    if rates.tier is not None and rates.first_purchase is not None:
        boost_caption = translate("Totals", "First purchase bonus +{rate}").format(
            rate=percent(rates.first_purchase - rates.tier)
        )
    else:
        boost_caption = translate("Totals", "First purchase bonus")
    other = receipt.earned - receipt.accrual - receipt.boost
    return EarnParts(tier_caption, receipt.accrual, boost_caption, receipt.boost, other)


def first_purchase_note(receipt: PricedReceipt, rules: LoyaltyRules | None, fmt: Formats) -> str:
    """Why this check earns so much: the first purchase's rate, and when the extra lapses."""
    rates = rates_of(receipt, rules)
    expires = receipt.boost_expires_at
    shown = {
        "points": fmt.points(receipt.boost),
        "date": fmt.day(expires) if expires is not None else "?",
    }
    if rates.tier is None or rates.first_purchase is None:
        return translate(
            "Totals",
            "First purchase bonus: a customer's first purchase earns more than usual;"
            " the extra +{points} expires on {date}.",
        ).format(**shown)
    return translate(
        "Totals",
        "First purchase bonus: a customer's first purchase earns {rate} back instead of"
        " {tier_rate}; the extra +{points} expires on {date}.",
    ).format(rate=percent(rates.first_purchase), tier_rate=percent(rates.tier), **shown)


def _tier_name(receipt: PricedReceipt, rules: LoyaltyRules | None) -> str:
    if rules is not None:
        for tier in rules.tiers.tiers:
            if tier.code == receipt.tier_code:
                return tier_name(tier.name, tier.code)
    return receipt.tier_code or ""
