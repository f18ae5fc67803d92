"""The receipt lookup: past sales and returns by receipt number, day or customer.

What the cashier types (or scans) decides the search: a receipt's id (its QR), a receipt
number (up to nine digits, "№ 12" too), a day as ``dd.mm.yyyy`` in the store's time zone,
or a phone or a loyalty card (that customer's receipts); nothing lists the newest. Each
line carries how it was paid and where its event is on the way to the server; reprints go
through ``printing.reprint``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from loyalty_core.errors import DomainError
from loyalty_core.ids import is_valid_id
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.records import ReceiptSummary
from pos_client.services.context import TillContext
from pos_client.services.customers import find_customer
from pos_client.services.rules import active_rules

LOOKUP_LIMIT = 50  # receipts listed at most, newest first
_NUMBER = re.compile(r"^(?:№|#|N)?\s*(\d{1,9})$")
_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class BadReceiptDayError(DomainError):
    code = "receipts.bad_day"
    template = "{text} is not a day: type it as dd.mm.yyyy."


def find_receipts(
    text: str, uow: SqliteUnitOfWork, ctx: TillContext, limit: int = LOOKUP_LIMIT
) -> list[ReceiptSummary]:
    """The receipts ``text`` names, newest first, at most ``limit``."""
    text = text.strip()
    with uow:
        where: dict[str, Any] = {}
        number, day = _NUMBER.match(text), _DAY.match(text)
        if is_valid_id(text):  # a receipt's QR names its sale's id
            where["sale_id"] = str(uuid.UUID(text))
        elif number is not None:
            where["number"] = int(number.group(1))
        elif day is not None:
            where["since"], where["until"] = _day_bounds(text, day, uow)
        elif text:
            customer, _card = find_customer(text, uow, ctx)
            where["customer_id"] = customer.id
        found = uow.sales.summaries(limit=limit, **where)
        names = {m.id: m.name for m in uow.staff.active()}
    return [replace(r, cashier=names.get(r.staff_id, "")) for r in found]


def _day_bounds(text: str, day: re.Match[str], uow: SqliteUnitOfWork) -> tuple[datetime, datetime]:
    """Midnight to midnight in the store's zone (a day of 23 or 25 hours across DST)."""
    try:
        first = date(int(day.group(3)), int(day.group(2)), int(day.group(1)))
    except ValueError:
        raise BadReceiptDayError(text=text) from None
    zone = active_rules(uow).zone
    start = datetime(first.year, first.month, first.day, tzinfo=zone)
    following = first + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone)
    return start, end
