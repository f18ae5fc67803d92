"""How money, points, dates and quantities look on the till's screens (never floats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from loyalty_core.money import Currency
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
