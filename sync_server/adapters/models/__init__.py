"""The server's tables. Importing this package registers all of them on ``metadata``."""

from __future__ import annotations

from sync_server.adapters.models.base import NAMING_CONVENTION, Base
from sync_server.adapters.models.customers import CARD_STATUSES, Card, Customer
from sync_server.adapters.models.ledger import LedgerEntry
from sync_server.adapters.models.rules import RulesVersion
from sync_server.adapters.models.sales import Sale, SaleLine
from sync_server.adapters.models.stores import STAFF_ROLES, EnrollmentCode, Staff, Store, Till
from sync_server.adapters.models.sync import ChangeFeedCounter, ChangeFeedEntry, ReceivedEvent

metadata = Base.metadata

__all__ = [
    "CARD_STATUSES",
    "NAMING_CONVENTION",
    "STAFF_ROLES",
    "Base",
    "Card",
    "ChangeFeedCounter",
    "ChangeFeedEntry",
    "Customer",
    "EnrollmentCode",
    "LedgerEntry",
    "ReceivedEvent",
    "RulesVersion",
    "Sale",
    "SaleLine",
    "Staff",
    "Store",
    "Till",
    "metadata",
]
