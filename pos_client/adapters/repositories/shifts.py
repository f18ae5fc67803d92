"""The till's shifts, and what the sales and returns rung up in one add up to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.engine import Connection

from loyalty_core.customers import Questionnaire
from loyalty_core.shifts import ShiftTotals
from pos_client.adapters.tables import (
    CustomerRow,
    OutboxRow,
    SaleRow,
    SaleTenderRow,
    ShiftRow,
    table_of,
)

_SH = table_of(ShiftRow)
_S = table_of(SaleRow)
_T = table_of(SaleTenderRow)
_C = table_of(CustomerRow)
_O = table_of(OutboxRow)
QUESTIONNAIRE_KIND = "questionnaire.completed"


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    id: str
    number: int
    opened_by: str
    opened_at: datetime
    float_cash: int
    closed_by: str | None = None
    closed_at: datetime | None = None
    counted_cash: int | None = None
    report_json: str | None = None


def _record(row: Any) -> ShiftRecord:
    return ShiftRecord(
        id=row.id,
        number=row.number,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        float_cash=row.float_cash,
        closed_by=row.closed_by,
        closed_at=row.closed_at,
        counted_cash=row.counted_cash,
        report_json=row.report_json,
    )


class ShiftRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def current(self) -> ShiftRecord | None:
        """The open shift (at most one: opening checks, and writes are serialised)."""
        row = self._c.execute(select(_SH).where(_SH.c.closed_at.is_(None))).first()
        return _record(row) if row else None

    def get(self, shift_id: str) -> ShiftRecord | None:
        row = self._c.execute(select(_SH).where(_SH.c.id == shift_id)).first()
        return _record(row) if row else None

    def next_number(self) -> int:
        current = self._c.execute(select(func.max(_SH.c.number))).scalar_one_or_none()
        return int(current or 0) + 1

    def open(self, shift: ShiftRecord) -> None:
        self._c.execute(
            _SH.insert().values(
                id=shift.id,
                number=shift.number,
                opened_by=shift.opened_by,
                opened_at=shift.opened_at,
                float_cash=shift.float_cash,
            )
        )

    def close(
        self, shift_id: str, closed_by: str, closed_at: datetime, counted: int, report: str
    ) -> None:
        self._c.execute(
            update(_SH)
            .where(_SH.c.id == shift_id)
            .values(
                closed_by=closed_by, closed_at=closed_at, counted_cash=counted, report_json=report
            )
        )

    def totals(self, shift: ShiftRecord, till_id: str, until: datetime) -> ShiftTotals:
        """What the shift's sales and returns add up to, and who joined at this till in it."""
        sale = _S.c.kind == "sale"
        money = self._c.execute(
            select(
                func.count().filter(sale),
                func.count().filter(~sale),
                func.coalesce(func.sum(case((sale, _S.c.bonus_accrued), else_=0)), 0),
                func.coalesce(func.sum(case((sale, _S.c.bonus_redeemed), else_=0)), 0),
            ).where(_S.c.shift_id == shift.id)
        ).one()
        tenders = {
            (kind, tender): int(amount)
            for kind, tender, amount in self._c.execute(
                select(_S.c.kind, _T.c.kind, func.sum(_T.c.amount))
                .join(_S, _S.c.id == _T.c.sale_id)
                .where(_S.c.shift_id == shift.id)
                .group_by(_S.c.kind, _T.c.kind)
            )
        }
        in_shift = and_(_C.c.created_at >= shift.opened_at, _C.c.created_at < until)
        joined = self._c.execute(
            select(_C.c.name, _C.c.birthday, _C.c.email).where(
                in_shift & (_C.c.created_at_till_id == till_id)
            )
        ).all()
        # Filled in at registration, or later (its own event).
        answered = sum(Questionnaire(n, b, e).is_complete for n, b, e in joined)
        answered += self._c.execute(
            select(func.count()).where(
                (_O.c.kind == QUESTIONNAIRE_KIND)
                & (_O.c.created_at >= shift.opened_at)
                & (_O.c.created_at < until)
            )
        ).scalar_one()
        sales, returns, accrued, redeemed = money
        cash_in, card_in = tenders.get(("sale", "cash"), 0), tenders.get(("sale", "card"), 0)
        cash_out, card_out = tenders.get(("return", "cash"), 0), tenders.get(("return", "card"), 0)
        return ShiftTotals(
            sales=int(sales),
            sales_total=cash_in + card_in,
            returns=int(returns),
            returns_total=cash_out + card_out,
            cash_in=cash_in,
            card_in=card_in,
            cash_out=cash_out,
            card_out=card_out,
            bonus_accrued=int(accrued),
            bonus_redeemed=int(redeemed),
            cards_registered=len(joined),
            questionnaires=int(answered),
        )
