"""Sales and their lines; the priced receipt is kept whole for reprints and returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from loyalty_core.receipt import PricedReceipt
from pos_client.adapters.repositories.driver_sql import driver, stamp
from pos_client.adapters.tables import SaleLineRow, SaleRow, table_of

_S = table_of(SaleRow)
_L = table_of(SaleLineRow)


@dataclass(frozen=True, slots=True)
class SaleRecord:
    id: str
    number: int
    kind: str
    created_at: datetime
    till_id: str
    staff_id: str
    customer_id: str | None
    card_number: str | None
    receipt: PricedReceipt
    unit_prices: dict[str, int]  # line id -> price per unit
    original_sale_id: str | None = None


class SaleRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def next_number(self) -> int:
        """Receipt numbers run 1, 2, 3... per till; safe because writes are serialised."""
        current = driver(self._c).execute("SELECT max(number) FROM sales").fetchone()[0]
        return int(current or 0) + 1

    def add(self, sale: SaleRecord, receipt_json: str) -> None:
        r = sale.receipt
        raw = driver(self._c)
        raw.execute(
            "INSERT INTO sales (id, number, kind, original_sale_id, till_id, staff_id,"
            " customer_id, card_number, created_at, subtotal, discount_total, bonus_redeemed,"
            " total_due, bonus_accrued, rules_version, receipt_json, sync_state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
            (
                sale.id,
                sale.number,
                sale.kind,
                sale.original_sale_id,
                sale.till_id,
                sale.staff_id,
                sale.customer_id,
                sale.card_number,
                stamp(sale.created_at),
                r.subtotal,
                r.discount_total,
                r.redeemed,
                r.due,
                r.earned,
                r.rules_version,
                receipt_json,
            ),
        )
        raw.executemany(
            "INSERT INTO sale_lines (sale_id, line_no, sku, name, quantity_milli, unit_price,"
            " amount, discount, bonus_redeemed, paid, accrued)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    sale.id,
                    no,
                    line.sku,
                    line.name,
                    line.quantity_milli,
                    sale.unit_prices.get(line.line_id, line.amount),
                    line.amount,
                    line.tier_discount + line.promo_discount,
                    line.redeemed,
                    line.due,
                    line.accrual + line.boost,
                )
                for no, line in enumerate(r.lines, start=1)
            ],
        )

    def receipt_json(self, sale_id: str) -> dict[str, Any] | None:
        text = self._c.execute(
            select(_S.c.receipt_json).where(_S.c.id == sale_id)
        ).scalar_one_or_none()
        return json.loads(text) if text else None

    def sync_state(self, sale_id: str) -> str | None:
        return self._c.execute(
            select(_S.c.sync_state).where(_S.c.id == sale_id)
        ).scalar_one_or_none()

    def set_sync_state(self, sale_id: str, state: str) -> None:
        self._c.execute(update(_S).where(_S.c.id == sale_id).values(sync_state=state))

    def count(self) -> int:
        return int(self._c.execute(select(func.count()).select_from(_S)).scalar_one())
