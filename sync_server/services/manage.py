"""Managers' lists: rejected events, debts, settlements (over-used promos, merges,
overdrafts...), tills with a clock far off; and the admin token that guards them."""

from __future__ import annotations

import hmac
from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.wallet import project
from loyalty_core.wire.sync import BalanceV1
from sync_server.services.sync_ports import (
    DebtRecord,
    ReceivedRecord,
    SettlementRecord,
    TillClockRecord,
)
from sync_server.services.tills import canonical_id
from sync_server.services.unit_of_work import UnitOfWork


class AdminRefusedError(DomainError):
    code = "auth.admin_refused"
    template = "This needs the managers' token: send 'Authorization: Bearer <admin token>'."


class ManageDisabledError(DomainError):
    code = "manage.disabled"
    template = (
        "The managers' API is off on this server: set LOYALTY_SERVER_ADMIN_TOKEN to turn it on."
    )


class CustomerUnknownError(DomainError):
    code = "customer.unknown"
    template = "The server knows no customer {customer_id}."


def check_admin(given: str | None, expected: str | None) -> None:
    if not expected:
        raise ManageDisabledError()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise AdminRefusedError()


def rejected_events(uow: UnitOfWork, store_id: str | None, limit: int) -> list[ReceivedRecord]:
    with uow:
        return uow.sync.rejected_events(store_id, limit)


def settlements(
    uow: UnitOfWork, store_id: str | None, kind: str | None, limit: int
) -> list[SettlementRecord]:
    with uow:
        return uow.sync.settlements(store_id, kind, limit)


def debts(uow: UnitOfWork, limit: int) -> list[DebtRecord]:
    with uow:
        return uow.sync.debts(limit)


def flagged_clocks(uow: UnitOfWork, limit: int) -> list[TillClockRecord]:
    with uow:
        return uow.sync.flagged_clocks(limit)


def balance(customer_id: str, uow: UnitOfWork, *, now: datetime) -> BalanceV1:
    """The customer's balance as the server's ledger projects it at ``now``."""
    canonical = canonical_id(customer_id)
    with uow:
        own = uow.sync.resolve([canonical]).get(canonical) if canonical else None
        if own is None:
            raise CustomerUnknownError(customer_id=customer_id)
        entries = uow.sync.ledger_of([own])[own]
    wallet = project(own, entries)
    shown = wallet.balance(now)
    return BalanceV1(
        customer_id=own,
        available=shown.available,
        pending=shown.pending_total,
        debt=shown.debt,
        server_time=now,
    )
