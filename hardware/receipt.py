"""What a receipt says, independent of any printer.

Every string arrives already translated and formatted by the caller (money, dates, quantities):
the hardware layer lays text out for a paper width and never computes or formats amounts.
A string may contain line breaks ("\\n") to force a new line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoreHeader:
    """Top of the receipt: store name (printed large), address, tax id like "ИНН 7701234567"."""

    name: str
    address: str = ""
    tax_id: str = ""


@dataclass(frozen=True)
class ValueRow:
    """A label on the left and a value right-aligned, e.g. ("ИТОГО", "1 234,56 ₽").

    `note` is a smaller remark printed under the row, e.g. an activation or expiry date.
    `emphasis` prints the row bold and double height (the grand total).
    """

    label: str
    value: str
    note: str = ""
    emphasis: bool = False


@dataclass(frozen=True)
class ItemLine:
    """One sold item: its name (wrapped if long), quantity text such as "2 x 59,90", line amount.

    `adjustments` are rows under the item, e.g. ValueRow("Скидка 10%", "-11,98").
    """

    name: str
    quantity: str
    amount: str
    adjustments: tuple[ValueRow, ...] = ()


@dataclass(frozen=True)
class BonusBreakdown:
    """The loyalty block the brief requires on every receipt with a card.

    Each row is optional and already formatted; for `pending` put the activation date in its
    note, for `expiring_soon` the expiry date. `cap_note` explains why redemption was capped.
    """

    title: str
    earned: ValueRow | None = None
    pending: ValueRow | None = None
    redeemed: ValueRow | None = None
    expiring_soon: ValueRow | None = None
    new_balance: ValueRow | None = None
    cap_note: str = ""

    def rows(self) -> tuple[ValueRow, ...]:
        """The present rows in printing order."""
        ordered = (self.earned, self.pending, self.redeemed, self.expiring_soon, self.new_balance)
        return tuple(row for row in ordered if row is not None)


@dataclass(frozen=True)
class QrCode:
    """A QR code with a caption under it: a survey URL, or a loyalty card number (digits only)."""

    payload: str
    caption: str = ""


@dataclass(frozen=True)
class ReceiptDocument:
    """A whole receipt. Empty parts are left out of the print.

    `open_drawer` kicks the cash drawer when the receipt is printed: set it for the sale itself,
    never for a reprint or a retry from the print queue. A document with no text, `cut=False`
    and `open_drawer=True` only opens the drawer.
    """

    header: StoreHeader | None = None
    title: str = ""
    details: tuple[ValueRow, ...] = ()  # receipt number, date, cashier...
    items: tuple[ItemLine, ...] = ()
    totals: tuple[ValueRow, ...] = ()
    bonus: BonusBreakdown | None = None
    footer: tuple[str, ...] = ()
    qr: QrCode | None = None
    cut: bool = True
    open_drawer: bool = False
