"""Finding a product by name, for goods whose barcode will not scan or that have none, and
the store's popular items for the checkout's quick buttons."""

from __future__ import annotations

from loyalty_core.catalog import Product
from pos_client.adapters.unit_of_work import SqliteUnitOfWork

SEARCH_LIMIT = 8
QUICK_ITEMS = 8


def search_products(text: str, uow: SqliteUnitOfWork, limit: int = SEARCH_LIMIT) -> list[Product]:
    """Products whose name holds every word typed (any case, any order), those whose name
    starts with the first word first, then by name."""
    words = text.casefold().split()
    if not words:
        return []
    with uow:
        products = uow.products.active()
    found = [p for p in products if all(w in p.name.casefold() for w in words)]
    found.sort(key=lambda p: (not p.name.casefold().startswith(words[0]), p.name.casefold()))
    return found[:limit]


def popular_products(uow: SqliteUnitOfWork, limit: int = QUICK_ITEMS) -> list[Product]:
    """The products this till sells most (by receipts), then the catalogue's first by name
    for a till that has sold little yet."""
    with uow:
        best = uow.products.best_sellers(limit)
        if len(best) < limit:
            chosen = {p.id for p in best}
            best += [p for p in uow.products.active() if p.id not in chosen][: limit - len(best)]
    return best
