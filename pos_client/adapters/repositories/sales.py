"""Sales and their lines; the priced receipt is kept whole for reprints and returns."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from loyalty_core.notes import Note
from loyalty_core.payment import Payment, Tender, TenderKind
from loyalty_core.receipt_wire import receipt_from_wire
from loyalty_core.returns import GiftCardRefund, PricedReturn, ReturnedLine
from loyalty_core.wire.events import ReturnDocumentV1
from pos_client.adapters.repositories.driver_sql import driver, json_text, stamp
from pos_client.adapters.repositories.outbox import OutboxRepository
from pos_client.adapters.tables import SaleLineRow, SaleRow, SaleTenderRow, table_of
from pos_client.records import ReceiptSummary, ReturnRecord, SaleRecord

_S = table_of(SaleRow)
_L = table_of(SaleLineRow)
_T = table_of(SaleTenderRow)
# Sales and returns share both statements; a return's amounts are negative.
_INSERT_SALE = (
    "INSERT INTO sales (id, number, kind, original_sale_id, till_id, staff_id,"
    " customer_id, card_number, created_at, subtotal, discount_total, bonus_redeemed,"
    " total_due, bonus_accrued, rules_version, receipt_json, shift_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# line_no is the position on the receipt; line_id the id the line got in the cart.
_INSERT_LINE = (
    "INSERT INTO sale_lines (sale_id, line_no, line_id, sku, name, quantity_milli, unit_price,"
    " amount, discount, bonus_redeemed, paid, accrued)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


_INSERT_TENDER = (
    "INSERT INTO sale_tenders (sale_id, seq, kind, amount, tendered) VALUES (?, ?, ?, ?, ?)"
)


def _payment(sale_id: str, conn: Connection) -> Payment | None:
    rows = conn.execute(
        select(_T.c.kind, _T.c.amount, _T.c.tendered)
        .where(_T.c.sale_id == sale_id)
        .order_by(_T.c.seq)
    ).all()
    tenders = tuple(Tender(TenderKind(kind), amount, tendered) for kind, amount, tendered in rows)
    return Payment(tenders) if tenders else None


def _sale_record(row: Any, conn: Connection) -> SaleRecord:
    prices = conn.execute(select(_L.c.line_id, _L.c.unit_price).where(_L.c.sale_id == row.id))
    return SaleRecord(
        id=row.id,
        number=row.number,
        kind=row.kind,
        created_at=row.created_at,
        till_id=row.till_id,
        staff_id=row.staff_id,
        customer_id=row.customer_id,
        card_number=row.card_number,
        receipt=receipt_from_wire(json.loads(row.receipt_json)),
        unit_prices={str(line_id): int(price) for line_id, price in prices},
        original_sale_id=row.original_sale_id,
        sync=OutboxRepository(conn).state_of(row.id),
        payment=_payment(row.id, conn) if row.kind == "sale" else None,
    )


def _insert_tenders(raw: Any, owner_id: str, payment: Payment | None) -> None:
    """A sale's tenders, or how a return's money went back, under the sale's or return's id."""
    if payment is not None:
        raw.executemany(
            _INSERT_TENDER,
            [
                (owner_id, seq, t.kind.value, t.amount, t.tendered)
                for seq, t in enumerate(payment.tenders, start=1)
            ],
        )


class SaleRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def next_number(self) -> int:
        """Receipt numbers run 1, 2, 3... per till; safe because writes are serialised."""
        current = driver(self._c).execute("SELECT max(number) FROM sales").fetchone()[0]
        return int(current or 0) + 1

    def add(
        self, sale: SaleRecord, receipt_doc: dict[str, Any], shift_id: str | None = None
    ) -> None:
        r = sale.receipt
        raw = driver(self._c)
        raw.execute(
            _INSERT_SALE,
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
                json_text(receipt_doc),
                shift_id,
            ),
        )
        raw.executemany(
            _INSERT_LINE,
            [
                (
                    sale.id,
                    no,
                    line.line_id,
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
        _insert_tenders(raw, sale.id, sale.payment)

    def get(self, sale_id: str) -> SaleRecord | None:
        row = self._c.execute(select(_S).where(_S.c.id == sale_id)).first()
        return _sale_record(row, self._c) if row and row.kind == "sale" else None

    def by_number(self, number: int) -> SaleRecord | None:
        row = self._c.execute(select(_S).where(_S.c.number == number)).first()
        return _sale_record(row, self._c) if row and row.kind == "sale" else None

    def returned_quantities(self, sale_id: str) -> dict[str, int]:
        """Line id -> thousandths already returned from ``sale_id`` by earlier returns."""
        rows = self._c.execute(
            select(_L.c.line_id, func.sum(_L.c.quantity_milli))
            .join(_S, _S.c.id == _L.c.sale_id)
            .where((_S.c.original_sale_id == sale_id) & (_S.c.kind == "return"))
            .group_by(_L.c.line_id)
        ).all()
        return {line_id: int(qty) for line_id, qty in rows}

    def refunds_of(self, sale_id: str) -> list[Payment]:
        """How the money of earlier returns of ``sale_id`` went back (card, cash)."""
        ids = self._c.execute(
            select(_S.c.id)
            .where((_S.c.original_sale_id == sale_id) & (_S.c.kind == "return"))
            .order_by(_S.c.number)
        ).scalars()
        return [_payment(return_id, self._c) or Payment(()) for return_id in ids]

    def add_return(
        self, rec: ReturnRecord, document: dict[str, Any], shift_id: str | None = None
    ) -> None:
        """A return is a row in ``sales`` (kind ``return``) with negative totals; its lines
        carry the sold lines' ids and positions and the quantities returned."""
        ret = rec.returned
        raw = driver(self._c)
        refund = sum(line.refund for line in ret.lines)
        raw.execute(
            _INSERT_SALE,
            (
                rec.id,
                rec.number,
                "return",
                rec.original.id,
                rec.till_id,
                rec.staff_id,
                rec.original.customer_id,
                rec.original.card_number,
                stamp(rec.created_at),
                -refund,
                0,
                -sum(line.bonus_restored for line in ret.lines),
                -refund,
                -sum(line.accrual_reversed + line.boost_reversed for line in ret.lines),
                rec.original.receipt.rules_version,
                json_text(document),
                shift_id,
            ),
        )
        sold = {line.line_id: (no, line) for no, line in enumerate(rec.original.receipt.lines, 1)}
        raw.executemany(
            _INSERT_LINE,
            [
                (
                    rec.id,
                    sold[line.line_id][0],
                    line.line_id,
                    sold[line.line_id][1].sku,
                    sold[line.line_id][1].name,
                    line.quantity_milli,
                    0,
                    -line.refund,
                    0,
                    -line.bonus_restored,
                    -line.refund,
                    -(line.accrual_reversed + line.boost_reversed),
                )
                for line in ret.lines
            ],
        )
        _insert_tenders(raw, rec.id, rec.refund)

    def return_record(self, return_id: str) -> ReturnRecord | None:
        """A stored return with the sale it returned from (for its receipt)."""
        row = self._c.execute(
            select(_S).where((_S.c.id == return_id) & (_S.c.kind == "return"))
        ).first()
        if row is None or row.original_sale_id is None:
            return None
        original = self.get(row.original_sale_id)
        if original is None:
            return None
        doc = ReturnDocumentV1.model_validate(json.loads(row.receipt_json))
        returned = PricedReturn(
            customer_id=original.customer_id,
            sale_id=original.id,
            return_id=row.id,
            lines=tuple(ReturnedLine(**line.model_dump()) for line in doc.lines),
            gift_cards=tuple(GiftCardRefund(**g.model_dump()) for g in doc.gift_cards),
            complete=doc.complete,
            debt_added=doc.debt_added,
            entries=(),  # in the ledger, by the return's id
            notes=tuple(Note(code, params) for code, params in doc.notes),
        )
        return ReturnRecord(
            id=row.id,
            number=row.number,
            created_at=row.created_at,
            till_id=row.till_id,
            staff_id=row.staff_id,
            original=original,
            returned=returned,
            approved_by=doc.approved_by,
            refund=_payment(row.id, self._c),
        )

    def summaries(
        self,
        *,
        limit: int,
        number: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        customer_id: str | None = None,
        sale_id: str | None = None,
    ) -> list[ReceiptSummary]:
        """Sales and returns, newest first, narrowed to one receipt (by number or id), a
        time range ``[since, until)`` or a customer."""
        original = _S.alias("original")
        query = (
            select(_S, original.c.number.label("original_number"))
            .outerjoin(original, original.c.id == _S.c.original_sale_id)
            .order_by(_S.c.number.desc())
            .limit(limit)
        )
        if number is not None:
            query = query.where(_S.c.number == number)
        if since is not None:
            query = query.where(_S.c.created_at >= since)
        if until is not None:
            query = query.where(_S.c.created_at < until)
        if customer_id is not None:
            query = query.where(_S.c.customer_id == customer_id)
        if sale_id is not None:
            query = query.where(_S.c.id == sale_id)
        rows = self._c.execute(query).all()
        outbox = OutboxRepository(self._c)
        return [
            ReceiptSummary(
                id=row.id,
                number=row.number,
                kind=row.kind,
                created_at=row.created_at,
                total=abs(row.total_due),
                staff_id=row.staff_id,
                card_number=row.card_number,
                original_number=row.original_number,
                payment=_payment(row.id, self._c),
                sync=outbox.state_of(row.id),
            )
            for row in rows
        ]

    def last_id(self) -> str | None:
        """The id of the newest sale or return (the one "reprint" copies)."""
        return self._c.execute(
            select(_S.c.id).order_by(_S.c.number.desc()).limit(1)
        ).scalar_one_or_none()

    def receipt_json(self, sale_id: str) -> dict[str, Any] | None:
        text = self._c.execute(
            select(_S.c.receipt_json).where(_S.c.id == sale_id)
        ).scalar_one_or_none()
        return json.loads(text) if text else None

    def count(self) -> int:
        return int(self._c.execute(select(func.count()).select_from(_S)).scalar_one())
