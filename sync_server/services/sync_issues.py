"""The sync issues a manager should look at, for the dashboard: events the server refused,
settlements (over-used promos, merges, overdrafts...), tills with a clock far off, and —
for owners, since customers belong to the whole chain — customers' bonus debts.

A store manager sees what their own stores' tills sent; an owner sees everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sync_server.services import manage
from sync_server.services.manager_auth import NotYoursError, Viewer
from sync_server.services.manager_ports import ManagerRole
from sync_server.services.report_ports import ReportStore
from sync_server.services.sync_ports import (
    DebtRecord,
    ReceivedRecord,
    SettlementRecord,
    TillClockRecord,
)
from sync_server.services.tills import canonical_id
from sync_server.services.unit_of_work import UnitOfWork

LIMIT = 100


@dataclass(frozen=True, slots=True)
class SyncIssuesPage:
    stores: tuple[ReportStore, ...]  # the ones the viewer may pick
    store_id: str | None
    rejected: tuple[ReceivedRecord, ...]  # newest first
    settlements: tuple[SettlementRecord, ...]
    clocks: tuple[TillClockRecord, ...]
    debts: tuple[DebtRecord, ...]  # owners only; empty for a store manager
    shows_debts: bool


def masked_phone(phone: str) -> str:
    """A customer's phone as a list shows it: the last four digits only."""
    return "•••" + phone[-4:] if len(phone) > 4 else phone


_PHONE = re.compile(r"\+?\d{10,15}")


def masked_text(text: str) -> str:
    """A settlement's message with every phone number in it masked the same way."""
    return _PHONE.sub(lambda found: masked_phone(found.group(0)), text)


def sync_issues(
    viewer: Viewer, uow: UnitOfWork, *, store_id: str | None, limit: int = LIMIT
) -> SyncIssuesPage:
    if store_id is not None and (
        canonical_id(store_id) != store_id or not viewer.may_see(store_id)
    ):
        raise NotYoursError()
    with uow:
        choices = tuple(uow.reports.stores(viewer.store_ids))
    if store_id is not None:
        asked: list[str | None] = [store_id]
    elif viewer.store_ids is None:
        asked = [None]  # every store at once
    else:
        asked = list(viewer.store_ids)
    rejected: list[ReceivedRecord] = []
    settled: list[SettlementRecord] = []
    for store in asked:
        rejected += manage.rejected_events(uow, store, limit)
        settled += manage.settlements(uow, store, None, limit)
    rejected.sort(key=lambda r: r.received_at, reverse=True)
    settled.sort(key=lambda s: s.created_at, reverse=True)
    clocks = [
        c
        for c in manage.flagged_clocks(uow, limit)
        if viewer.may_see(c.store_id) and (store_id is None or c.store_id == store_id)
    ]
    owner = viewer.role is ManagerRole.OWNER
    debts = manage.debts(uow, limit) if owner else []
    return SyncIssuesPage(
        choices,
        store_id,
        tuple(rejected[:limit]),
        tuple(settled[:limit]),
        tuple(clocks),
        tuple(debts),
        owner,
    )
