"""The server's tables. Importing this package registers all of them on ``metadata``."""

from __future__ import annotations

from sync_server.adapters.models.base import NAMING_CONVENTION, Base
from sync_server.adapters.models.catalog import GiftCard, Product
from sync_server.adapters.models.customers import (
    CARD_STATUSES,
    Card,
    Customer,
    CustomerAlias,
    CustomerDebt,
)
from sync_server.adapters.models.ledger import LedgerEntry
from sync_server.adapters.models.managers import (
    MANAGER_ROLES,
    Manager,
    ManagerSession,
    ManagerStore,
)
from sync_server.adapters.models.overrides import Override
from sync_server.adapters.models.reports import STAFF_DAY_TALLIES, StaffDay
from sync_server.adapters.models.rules import RulesVersion
from sync_server.adapters.models.sales import Sale, SaleLine, SaleReturn
from sync_server.adapters.models.shifts import Shift
from sync_server.adapters.models.stores import (
    REDEMPTION_POLICIES,
    STAFF_ROLES,
    EnrollmentCode,
    Staff,
    Store,
    Till,
)
from sync_server.adapters.models.sync import (
    EVENT_STATUSES,
    SETTLEMENT_KINDS,
    ChangeFeedCounter,
    ReceivedEvent,
    Settlement,
)
from sync_server.adapters.models.votes import Vote, VoteRefusal

metadata = Base.metadata

__all__ = [
    "CARD_STATUSES",
    "EVENT_STATUSES",
    "MANAGER_ROLES",
    "NAMING_CONVENTION",
    "REDEMPTION_POLICIES",
    "SETTLEMENT_KINDS",
    "STAFF_DAY_TALLIES",
    "STAFF_ROLES",
    "Base",
    "Card",
    "ChangeFeedCounter",
    "Customer",
    "CustomerAlias",
    "CustomerDebt",
    "EnrollmentCode",
    "GiftCard",
    "LedgerEntry",
    "Manager",
    "ManagerSession",
    "ManagerStore",
    "Override",
    "Product",
    "ReceivedEvent",
    "RulesVersion",
    "Sale",
    "SaleLine",
    "SaleReturn",
    "Settlement",
    "Shift",
    "Staff",
    "StaffDay",
    "Store",
    "Till",
    "Vote",
    "VoteRefusal",
    "metadata",
]
