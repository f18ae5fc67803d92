"""Finding a product by name, for goods whose barcode will not scan or that have none."""

from __future__ import annotations

from loyalty_core.catalog import Product
from pos_client.adapters.unit_of_work import SqliteUnitOfWork

SEARCH_LIMIT = 8


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
