"""Outbox payloads: what the server receives for each business fact (version 1).

Everything is plain JSON: ints for money and points, ISO 8601 UTC for times,
client-generated ids so a retried push is recognised as the same fact.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from loyalty_core.customers import Card, Consent, Customer
from loyalty_core.ledger import LedgerEntry

WIRE_VERSION = 1
_PLAIN = frozenset({int, str, bool})


def jsonable(value: Any) -> Any:
    """Dataclasses, enums, dates and sets to JSON-ready values (no floats involved)."""
    if value is None or type(value) in _PLAIN:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def entries_payload(entries: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> list[dict[str, Any]]:
    return [e.to_wire() for e in entries]


def customer_payload(
    customer: Customer,
    consent: Consent,
    card: Card | None,
    entries: list[LedgerEntry],
    staff_id: str,
    till_id: str,
) -> dict[str, Any]:
    return {
        "v": WIRE_VERSION,
        "customer": jsonable(customer),
        "consent": jsonable(consent),
        "card": jsonable(card) if card else None,
        "entries": entries_payload(entries),
        "staff_id": staff_id,
        "till_id": till_id,
    }
