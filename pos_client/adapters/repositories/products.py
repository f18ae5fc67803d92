"""The product catalogue the till scans against."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from loyalty_core.catalog import Product
from pos_client.adapters.tables import ProductRow, SaleLineRow, SaleRow, table_of

_T = table_of(ProductRow)
_LINES = table_of(SaleLineRow)
_SALES = table_of(SaleRow)


class ProductRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def by_barcode(self, barcode: str) -> Product | None:
        row = self._c.execute(
            select(_T.c.id, _T.c.barcode, _T.c.name, _T.c.price, _T.c.category).where(
                (_T.c.barcode == barcode) & _T.c.active.is_(True)
            )
        ).first()
        return Product(*row) if row else None

    def active(self) -> list[Product]:
        """The products on sale, by name (a store's catalogue: thousands, not millions)."""
        rows = self._c.execute(
            select(_T.c.id, _T.c.barcode, _T.c.name, _T.c.price, _T.c.category)
            .where(_T.c.active.is_(True))
            .order_by(_T.c.name)
        ).all()
        return [Product(*row) for row in rows]

    def best_sellers(self, limit: int) -> list[Product]:
        """Active products by how many of this till's sales carried them, most first."""
        carried = (
            select(_LINES.c.sku, func.count().label("receipts"))
            .join(_SALES, _SALES.c.id == _LINES.c.sale_id)
            .where(_SALES.c.kind == "sale")
            .group_by(_LINES.c.sku)
            .subquery()
        )
        rows = self._c.execute(
            select(_T.c.id, _T.c.barcode, _T.c.name, _T.c.price, _T.c.category)
            .join(carried, carried.c.sku == _T.c.id)
            .where(_T.c.active.is_(True))
            .order_by(carried.c.receipts.desc(), _T.c.name)
            .limit(limit)
        ).all()
        return [Product(*row) for row in rows]

    def add_many(self, products: list[Product]) -> None:
        if products:
            self._c.execute(
                insert(_T),
                [
                    {
                        "id": p.id,
                        "barcode": p.barcode,
                        "name": p.name,
                        "price": p.price,
                        "category": p.category,
                        "active": True,
                    }
                    for p in products
                ],
            )

    def count(self) -> int:
        return len(self._c.execute(select(_T.c.id)).all())
