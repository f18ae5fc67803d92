"""Records the till's services and adapters share: stored sales and returns, sync states.

Plain values, importing nothing of the till: the adapters build them from rows and
the services hand them on, so neither layer imports the other's modules for them
(import-linter checks that ``pos_client.adapters`` imports nothing from
``pos_client.services``). The UI may read them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from loyalty_core.payment import Payment
from loyalty_core.receipt import PricedReceipt
from loyalty_core.returns import PricedReturn


class EventStatus(StrEnum):
    """Where an outbox event is on its way to the server.

    ``queued`` waits to be sent; ``sending`` is in a batch on the wire (back to
    ``queued`` if the send fails or the till stops mid-send); the server's answer is
    final: ``applied``, ``duplicate`` (it had the event already: nothing changed) or
    ``rejected`` (kept on both sides with a code and a message, listed for managers).
    """

    QUEUED = "queued"
    SENDING = "sending"
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"

    @property
    def is_final(self) -> bool:
        """The server has answered for this event; it is never sent again."""
        return self in _FINAL

    @property
    def is_confirmed(self) -> bool:
        """The server holds the event (applied now, or before)."""
        return self in (EventStatus.APPLIED, EventStatus.DUPLICATE)


_FINAL = frozenset({EventStatus.APPLIED, EventStatus.DUPLICATE, EventStatus.REJECTED})


@dataclass(frozen=True, slots=True)
class SyncState:
    """One event's sync state, as the outbox holds it (the only place it is stored)."""

    status: EventStatus
    attempts: int = 0  # how many times it was claimed for sending
    error_code: str | None = None  # the server's code for a rejection
    error_message: str | None = None  # the server's message, or why the last send failed
    sent_at: datetime | None = None  # when it was last claimed for sending
    confirmed_at: datetime | None = None  # when the server's final answer was recorded


@dataclass(frozen=True, slots=True)
class EventResult:
    """The server's answer for one event of a pushed batch."""

    event_id: str
    status: EventStatus  # applied, duplicate or rejected
    code: str | None = None
    message: str | None = None

    def __post_init__(self) -> None:
        if not self.status.is_final:
            raise ValueError(f"event {self.event_id}: {self.status} is not a server's answer")
        if self.status is EventStatus.REJECTED and not self.code:
            raise ValueError(f"event {self.event_id}: a rejection needs a code")


@dataclass(frozen=True, slots=True)
class SaleRecord:
    """A stored sale (or return row) as read back; ``sync`` is read from its outbox event."""

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
    sync: SyncState | None = None  # None: not read from the store (or no event yet)
    payment: Payment | None = None  # None: a return, or a sale stored before tenders were


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    id: str
    number: int
    created_at: datetime
    till_id: str
    staff_id: str
    original: SaleRecord
    returned: PricedReturn
    approved_by: str | None = None
    refund: Payment | None = None  # how the money went back; None: stored before it was kept


@dataclass(frozen=True, slots=True)
class ReceiptSummary:
    """A sale or a return as the receipt lookup lists it (no lines, no priced receipt)."""

    id: str
    number: int
    kind: str  # sale | return
    created_at: datetime
    total: int  # paid for a sale; refunded for a return (positive both)
    staff_id: str
    card_number: str | None
    original_number: int | None = None  # the receipt a return came from
    payment: Payment | None = None  # a sale's tenders; how a return's money went back
    sync: SyncState | None = None
    cashier: str = ""  # the staff member's name, where the till knows them


class PrintKind(StrEnum):
    """What a print job prints: a sale's or a return's receipt, a copy of one, a card."""

    RECEIPT = "receipt"  # printed once, after the sale or the return committed
    REPRINT = "reprint"  # a copy the cashier asked for (marked as a copy on paper)
    CARD = "card"  # a loyalty card: its QR and the masked phone
    REPORT = "report"  # a shift's X report (open) or Z report (closed)


@dataclass(frozen=True, slots=True)
class PrintJob:
    """A queued print job. It waits in the queue until the printer took it whole.

    ``sale_id`` names the stored sale or return whose receipt it prints (None for a card);
    ``card_number`` the card a CARD job prints, ``shift_id`` the shift a REPORT job reports
    on. ``open_drawer`` kicks the cash drawer on
    the first attempt only: a job printed later, from the queue, never opens it.
    """

    id: int
    kind: PrintKind
    created_at: datetime
    sale_id: str | None = None
    card_number: str | None = None
    open_drawer: bool = False
    printed_at: datetime | None = None
    shift_id: str | None = None
    attempts: int = 0
    last_error: str | None = None  # why the last attempt failed, in the printer's words
