"""Sales and their lines; the priced receipt is kept whole for reprints and returns."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from loyalty_core.receipt import PricedReceipt
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
        current = self._c.execute(select(func.max(_S.c.number))).scalar_one_or_none()
        return (current or 0) + 1

    def add(self, sale: SaleRecord, receipt_json: dict[str, Any]) -> None:
        r = sale.receipt
        self._c.execute(
            insert(_S).values(
                id=sale.id,
                number=sale.number,
                kind=sale.kind,
                original_sale_id=sale.original_sale_id,
                till_id=sale.till_id,
                staff_id=sale.staff_id,
                customer_id=sale.customer_id,
                card_number=sale.card_number,
                created_at=sale.created_at,
                subtotal=r.subtotal,
                discount_total=r.discount_total,
                bonus_redeemed=r.redeemed,
                total_due=r.due,
                bonus_accrued=r.earned,
                rules_version=r.rules_version,
                receipt_json=json.dumps(receipt_json, ensure_ascii=False, separators=(",", ":")),
                sync_state="queued",
            )
        )
        self._c.execute(
            insert(_L),
            [
                {
                    "sale_id": sale.id,
                    "line_no": no,
                    "sku": line.sku,
                    "name": line.name,
                    "quantity_milli": line.quantity_milli,
                    "unit_price": sale.unit_prices.get(line.line_id, line.amount),
                    "amount": line.amount,
                    "discount": line.tier_discount + line.promo_discount,
                    "bonus_redeemed": line.redeemed,
                    "paid": line.due,
                    "accrued": line.accrual + line.boost,
                }
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
