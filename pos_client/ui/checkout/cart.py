"""The cart being built at the till: plain Python, no Qt, no database.

Scanning a product that is already in the cart adds one more piece to its line;
each typed free-price amount is its own line. A line gets its id when it enters the
cart and keeps it (removing another line renumbers nothing): the quote, the stored
sale, the receipt and a later return all address it by that id.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from loyalty_core.catalog import Product
from loyalty_core.ids import new_id
from pos_client.services.messages import MILLI, CartItem

FREE_PRICE_SKU = "FREE-PRICE"
MAX_PIECES = 9999


@dataclass(frozen=True, slots=True)
class CartEntry:
    sku: str
    name: str
    unit_price: int  # minor units per piece
    pieces: int = 1
    category: str | None = None
    barcode: str | None = None  # None for a free-price line
    # Made when the line enters the cart; kept through quantity changes and the sale.
    line_id: str = field(default_factory=new_id)
    # A manual discount off the line (minor units), allowed by a manager (``discount_by``);
    # a change of quantity drops it: the manager allowed it for the line as it was.
    discount: int = 0
    discount_by: str | None = None
    discount_reason: str = ""

    @property
    def gross(self) -> int:
        return self.unit_price * self.pieces

    @property
    def amount(self) -> int:
        return self.gross - self.discount

    def item(self) -> CartItem:
        return CartItem(
            sku=self.sku,
            name=self.name,
            unit_price=self.unit_price,
            quantity_milli=self.pieces * MILLI,
            category=self.category,
            line_id=self.line_id,
            discount=self.discount,
            discount_by=self.discount_by,
            discount_reason=self.discount_reason,
        )


def _undiscounted(entry: CartEntry) -> CartEntry:
    return replace(entry, discount=0, discount_by=None, discount_reason="")


class Cart:
    def __init__(self) -> None:
        self.entries: list[CartEntry] = []

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def is_empty(self) -> bool:
        return not self.entries

    def add_product(self, product: Product) -> int:
        """Add one piece; return the index of the line that holds it."""
        for index, entry in enumerate(self.entries):
            if entry.barcode == product.barcode:
                self.change_pieces(index, +1)
                return index
        self.entries.append(
            CartEntry(
                sku=product.id,
                name=product.name,
                unit_price=product.price,
                category=product.category or None,
                barcode=product.barcode,
            )
        )
        return len(self.entries) - 1

    def add_free_price(self, name: str, amount: int) -> int:
        if amount <= 0:
            raise ValueError("a free-price line needs a positive amount")
        self.entries.append(CartEntry(sku=FREE_PRICE_SKU, name=name, unit_price=amount))
        return len(self.entries) - 1

    def change_pieces(self, index: int, delta: int) -> bool:
        """Add or take away pieces; a line never goes below one piece (delete it instead)."""
        entry = self.entries[index]
        pieces = entry.pieces + delta
        if not 1 <= pieces <= MAX_PIECES:
            return False
        self.entries[index] = _undiscounted(replace(entry, pieces=pieces))
        return True

    def set_pieces(self, index: int, pieces: int) -> bool:
        """Set a line's pieces (typed ``3*``); False outside 1..MAX_PIECES."""
        if not 1 <= pieces <= MAX_PIECES:
            return False
        self.entries[index] = _undiscounted(replace(self.entries[index], pieces=pieces))
        return True

    def set_discount(self, line_id: str, amount: int, by: str, reason: str) -> bool:
        """A manager's discount on the line; False if the line is gone or ``amount`` is not
        above zero and at most the line's price."""
        for index, entry in enumerate(self.entries):
            if entry.line_id == line_id:
                if not 0 < amount <= entry.gross:
                    return False
                self.entries[index] = replace(
                    entry, discount=amount, discount_by=by, discount_reason=reason
                )
                return True
        return False

    def remove(self, index: int) -> None:
        del self.entries[index]

    def clear(self) -> None:
        self.entries.clear()

    def items(self) -> tuple[CartItem, ...]:
        return tuple(entry.item() for entry in self.entries)

    @property
    def subtotal(self) -> int:
        return sum(entry.amount for entry in self.entries)
