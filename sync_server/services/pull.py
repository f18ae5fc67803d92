"""Pull: a till reads the feed after its cursor, one page at a time, in one snapshot.

Every pulled table carries ``feed_position``; positions become visible in commit order
(``adapters.models.sync.ChangeFeedCounter``), so ``WHERE feed_position > :cursor``
never passes a row still to come. Positions are gap-free and unique across the tables,
so a page is the window of positions ``(cursor, cursor + limit]`` (cut at the last
position given): each table is asked for its rows in it, at most ``limit`` in all, and
the lists are merged in position order; ``next_cursor`` is the window's end, and
``has_more`` says positions were given after it. Rows a till does not pull (received
events, settlements, another store's staff) hold positions too, so a page may carry
fewer than ``limit`` rows, or none, and still have more after it.
The order is the server's, never a till's clock. Store-scoped rows (staff, the store's
settings, its own products) are read for the till's store only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from loyalty_core.errors import DomainError
from loyalty_core.wire.sync import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    GiftCardV1,
    ProductV1,
    PullResponseV1,
    RulesVersionV1,
    StaffV1,
    StoreSettingsV1,
    ledger_row,
)
from sync_server.services.sync_ports import StoreSettings
from sync_server.services.tills import TillRecord
from sync_server.services.unit_of_work import UnitOfWork

PULL_RECORD_EVERY = timedelta(seconds=60)  # a till's last pull is written at most this often


class InvalidCursorError(DomainError):
    code = "pull.invalid_cursor"
    template = "cursor must be 0 or a position this server gave (at most {last}); got {cursor}."


class InvalidLimitError(DomainError):
    code = "pull.invalid_limit"
    template = "limit must be between 1 and {most}; got {limit}."


_KINDS = (
    "store",
    "rules",
    "staff",
    "products",
    "gift_cards",
    "customers",
    "aliases",
    "cards",
    "ledger",
)


def pull(
    till: TillRecord, cursor: int, limit: int | None, uow: UnitOfWork, *, now: datetime
) -> PullResponseV1:
    """The page of the feed after ``cursor`` for ``till``'s store."""
    size = DEFAULT_PULL_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_PULL_LIMIT:
        raise InvalidLimitError(most=MAX_PULL_LIMIT, limit=size)
    with uow:
        uow.sync.begin_snapshot()
        last = uow.sync.last_position()
        if cursor < 0 or cursor > last:
            raise InvalidCursorError(last=last, cursor=cursor)
        store = uow.sync.store_settings(till.store.id)
        assert store is not None  # a till's store is never deleted
        end = min(last, cursor + size)
        page = uow.sync.feed_page(till.store.id, cursor, end)
    merged: list[tuple[int, str, Any]] = []
    for kind in _KINDS:
        merged.extend((position, kind, row) for position, row in getattr(page, kind))
    merged.sort(key=lambda item: item[0])
    rows: dict[str, list[Any]] = {kind: [] for kind in _KINDS}
    for _, kind, row in merged:
        rows[kind].append(row)
    return PullResponseV1(
        cursor=cursor,
        next_cursor=end,
        has_more=end < last,
        server_time=now,
        store=_store(store),
        rules=[
            RulesVersionV1(version=v, effective_at=at, document=doc) for v, at, doc in rows["rules"]
        ],
        staff=[
            StaffV1(id=i, name=n, role=r, pin_hash=h, disabled=d) for i, n, r, h, d in rows["staff"]
        ],
        products=[
            ProductV1(id=i, barcode=b, name=n, price=p, category=c, flags=list(f), active=bool(a))
            for i, b, n, p, c, f, a in rows["products"]
        ],
        gift_cards=[
            GiftCardV1(
                id=g.id,
                number=g.number,
                pin_hash=g.pin_hash,
                expires_at=g.expires_at,
                blocked=g.blocked,
            )
            for g in rows["gift_cards"]
        ],
        customers=rows["customers"],
        aliases=rows["aliases"],
        cards=rows["cards"],
        ledger=[ledger_row(entry) for entry in rows["ledger"]],
    )


def record_pull(till: TillRecord, uow: UnitOfWork, *, now: datetime) -> None:
    """Remember when the till last pulled (written at most every ``PULL_RECORD_EVERY``)."""
    with uow:
        uow.sync.record_pull(till.id, now, not_since=now - PULL_RECORD_EVERY)
        uow.commit()


def _store(store: StoreSettings) -> StoreSettingsV1:
    return StoreSettingsV1(
        store_id=store.store_id,
        name=store.name,
        redemption_policy=store.redemption_policy,
        offline_limit_points=store.offline_limit_points,
    )
