"""How money, points, dates and quantities look on the till's screens (never floats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from loyalty_core.money import Currency
from loyalty_core.rules import default_rules
from loyalty_core.staff import Role

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Formats:
    """Formatting in the loyalty program's currency and the store's time zone."""

    currency: Currency = field(default_factory=Currency)
    zone: ZoneInfo | None = None  # None: the machine's local zone

    def money(self, minor: int) -> str:
        return self.currency.format(minor)

    def points(self, points: int) -> str:
        """Bonus points are minor units of the currency, shown without its symbol."""
        return self.currency.format(points, symbol=False)

    def day(self, moment: datetime | date) -> str:
        """``dd.mm``, the way receipts show activation and expiry dates."""
        day = self.local(moment).date() if isinstance(moment, datetime) else moment
        return f"{day.day:02d}.{day.month:02d}"

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)


def short_card(number: str) -> str:
    """A card as a screen column shows it: its last four digits, ``•••• 4466``."""
    return f"•••• {number[-4:]}" if len(number) > 4 else number


def percent(bp: int) -> str:
    """Basis points as a percentage: 300 -> ``3%``, 250 -> ``2,5%``."""
    whole, frac = divmod(bp, 100)
    if not frac:
        return f"{whole}%"
    return f"{whole},{frac:02d}".rstrip("0") + "%"


def role_name(role: Role) -> str:
    names = {
        Role.CASHIER: translate("Roles", "Cashier"),
        Role.SENIOR: translate("Roles", "Senior cashier"),
        Role.MANAGER: translate("Roles", "Manager"),
    }
    return names.get(role, role.value)


@cache
def _default_tier_names() -> dict[str, str]:
    """The default rules' tiers, code -> English name (``loyalty_core.rules.default_rules``)."""
    return {tier.code: tier.name for tier in default_rules().tiers.tiers}


def tier_name(name: str, code: str | None = None) -> str:
    """A tier's name as the cashier's language says it.

    The rules' own name is shown as it is, except the default rules' English names (Bronze,
    Silver, Gold), which are translated: a store that kept them gets them in Russian, one
    that named its tiers itself sees its names. With ``code`` the name is translated only
    when it is the default one for that code; without (a pricing note carries the name
    alone), when it is one of the default names.
    """
    defaults = _default_tier_names()
    if code is not None and defaults.get(code) != name:
        return name
    if name not in defaults.values():
        return name
    translated = {
        "bronze": translate("Tiers", "Bronze"),
        "silver": translate("Tiers", "Silver"),
        "gold": translate("Tiers", "Gold"),
    }
    code = next(c for c, default in defaults.items() if default == name)
    return translated.get(code, name)
