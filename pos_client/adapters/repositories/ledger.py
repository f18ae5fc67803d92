"""The append-only bonus ledger in the till database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from loyalty_core.ledger import EntryKind, LedgerEntry
from pos_client.adapters.repositories.driver_sql import driver, stamp, utc
from pos_client.adapters.tables import LedgerEntryRow, table_of

_T = table_of(LedgerEntryRow)


_COLUMNS = [f.name for f in fields(LedgerEntry)]
_SQL = f"SELECT {', '.join(_COLUMNS)} FROM ledger_entries"
_TIMES = tuple(i for i, name in enumerate(_COLUMNS) if name.endswith("_at"))
_KIND = _COLUMNS.index("kind")


_INSERT = (
    f"INSERT INTO ledger_entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
)


# Pulled entries: one this till wrote itself (or pulled before) is already here, same id.
LEDGER_INSERT_OR_IGNORE = _INSERT.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1)


def ledger_rows(entries: Iterable[LedgerEntry]) -> list[list[Any]]:
    return [_row(e) for e in entries]


def _row(entry: LedgerEntry) -> list[Any]:
    values = [getattr(entry, name) for name in _COLUMNS]
    values[_KIND] = entry.kind.value
    for i in _TIMES:
        values[i] = stamp(values[i])
    return values


def _entry(row: tuple[Any, ...]) -> LedgerEntry:
    values = list(row)
    values[_KIND] = EntryKind(values[_KIND])
    for i in _TIMES:
        values[i] = utc(values[i])
    return LedgerEntry(*values)


class LedgerRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, entries: list[LedgerEntry]) -> None:
        if entries:
            driver(self._c).executemany(_INSERT, [_row(e) for e in entries])

    def of_customer(self, customer_id: str) -> list[LedgerEntry]:
        rows = driver(self._c).execute(_SQL + " WHERE customer_id = ?", (customer_id,))
        return [_entry(r) for r in rows]

    def of_sale(self, sale_id: str) -> list[LedgerEntry]:
        rows = driver(self._c).execute(_SQL + " WHERE sale_id = ?", (sale_id,))
        return [_entry(r) for r in rows]

    def redeemed_unconfirmed(self, customer_id: str) -> int:
        """Bonus this customer spent in sales the server has not answered yet."""
        row = (
            driver(self._c)
            .execute(
                "SELECT coalesce(-sum(l.points), 0) FROM ledger_entries l"
                " JOIN outbox o ON o.aggregate_id = l.sale_id"
                " WHERE l.customer_id = ? AND l.kind = 'redemption'"
                " AND o.status IN ('queued', 'sending')",
                (customer_id,),
            )
            .fetchone()
        )
        return int(row[0])

    def promo_uses(self, codes: Iterable[str]) -> dict[str, int]:
        """How many times each promo code was used, by anyone, as far as this till knows."""
        wanted = [c.strip().upper() for c in codes]
        rows = self._c.execute(
            select(_T.c.ref, func.count())
            .where((_T.c.kind == EntryKind.PROMO_USE.value) & _T.c.ref.in_(wanted))
            .group_by(_T.c.ref)
        ).all()
        return dict(rows)

    def of_gift_card(self, gift_card_id: str) -> list[LedgerEntry]:
        rows = driver(self._c).execute(_SQL + " WHERE gift_card_id = ?", (gift_card_id,))
        return [_entry(r) for r in rows]
