"""Customers' ratings of their cashier, one per receipt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from pos_client.adapters.tables import VoteRow, table_of

_T = table_of(VoteRow)


@dataclass(frozen=True, slots=True)
class VoteRecord:
    id: str
    sale_id: str
    staff_id: str
    score: int
    reasons: tuple[str, ...]
    at: datetime


class VoteRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, vote: VoteRecord) -> None:
        self._c.execute(
            _T.insert().values(
                id=vote.id,
                sale_id=vote.sale_id,
                staff_id=vote.staff_id,
                score=vote.score,
                reasons=json.dumps(list(vote.reasons)),
                at=vote.at,
            )
        )

    def for_sale(self, sale_id: str) -> VoteRecord | None:
        row = self._c.execute(select(_T).where(_T.c.sale_id == sale_id)).first()
        if row is None:
            return None
        reasons = tuple(json.loads(row.reasons))
        return VoteRecord(row.id, row.sale_id, row.staff_id, row.score, reasons, row.at)
