"""The append-only bonus ledger in the till database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from loyalty_core.ledger import EntryKind, LedgerEntry
from pos_client.adapters.tables import LedgerEntryRow, table_of

_T = table_of(LedgerEntryRow)
_SELECT = select(_T)


def _entry(row: Any) -> LedgerEntry:
    data = dict(row._mapping)
    data["kind"] = EntryKind(data["kind"])
    return LedgerEntry(**data)


class LedgerRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, entries: list[LedgerEntry]) -> None:
        if entries:
            self._s.execute(insert(_T), [asdict(e) | {"kind": e.kind.value} for e in entries])

    def of_customer(self, customer_id: str) -> list[LedgerEntry]:
        rows = self._s.execute(_SELECT.where(_T.c.customer_id == customer_id)).all()
        return [_entry(r) for r in rows]

    def of_sale(self, sale_id: str) -> list[LedgerEntry]:
        rows = self._s.execute(_SELECT.where(_T.c.sale_id == sale_id)).all()
        return [_entry(r) for r in rows]

    def promo_uses(self, codes: Iterable[str]) -> dict[str, int]:
        """How many times each promo code was used, by anyone, as far as this till knows."""
        wanted = [c.strip().upper() for c in codes]
        rows = self._s.execute(
            select(_T.c.ref, func.count())
            .where((_T.c.kind == EntryKind.PROMO_USE.value) & _T.c.ref.in_(wanted))
            .group_by(_T.c.ref)
        ).all()
        return dict(rows)

    def of_gift_card(self, gift_card_id: str) -> list[LedgerEntry]:
        rows = self._s.execute(_SELECT.where(_T.c.gift_card_id == gift_card_id)).all()
        return [_entry(r) for r in rows]
