"""Products as the till sells them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    barcode: str
    name: str
    price: int  # minor units per piece
    category: str = ""  # rules may exclude a category from accrual or redemption
