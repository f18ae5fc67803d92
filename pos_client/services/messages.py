"""What the till's services take and give back: plain values, importable by the UI.

Nothing here imports the database adapters, so ``pos_client.ui`` can build
requests and show results without reaching SQL (import-linter checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from loyalty_core.customers import Customer, Questionnaire
from loyalty_core.ids import new_id
from loyalty_core.money import Currency, Rounding, div_round
from loyalty_core.payment import Payment
from loyalty_core.receipt import PricedReceipt
from loyalty_core.returns import PricedReturn
from loyalty_core.shifts import ShiftReport
from loyalty_core.staff import Role
from loyalty_core.wallet import Balance
from pos_client.records import PrintJob, PrintKind, ReturnRecord, SaleRecord

MILLI = 1000
Redeem = int | Literal["max"]


@dataclass(frozen=True, slots=True)
class StaffBadge:
    """Who is logged in: all the UI needs, and no PIN hash."""

    id: str
    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class CustomerSnapshot:
    """An identified customer as the checkout screen shows them."""

    customer: Customer
    card_number: str | None
    tier_code: str
    tier_name: str
    balance: Balance


@dataclass(frozen=True, slots=True)
class RegisterCustomer:
    phone: str  # as typed
    consent: bool  # the customer agreed to personal-data processing
    staff_id: str
    questionnaire: Questionnaire = field(default_factory=Questionnaire)
    issue_card: bool = True
    referrer_phone: str | None = None


@dataclass(frozen=True, slots=True)
class CartItem:
    """A line as the cashier built it: a scanned product or a typed amount.

    ``line_id`` is made when the line enters the cart and is kept through quantity
    changes (``dataclasses.replace``), pricing, storage (``sale_lines.line_id``), the
    receipt, returns and the wire: removing another line never renumbers it.
    """

    sku: str
    name: str
    unit_price: int  # minor units per piece (or per kg for weighed goods)
    quantity_milli: int = MILLI  # 1 piece = 1000; 0.250 kg = 250
    category: str | None = None
    flags: frozenset[str] = frozenset()
    line_id: str = field(default_factory=new_id)  # unique within the sale
    # A manual discount off the whole line, in minor units, which a manager allowed with
    # their PIN (``discount_by``) and said why; the audit log keeps both.
    discount: int = 0
    discount_by: str | None = None
    discount_reason: str = ""

    @property
    def gross(self) -> int:
        """Quantity times price, before any discount."""
        return div_round(self.unit_price * self.quantity_milli, MILLI, Rounding.HALF_UP)

    @property
    def amount(self) -> int:
        """What the line costs before the loyalty engine's discounts: gross less the manual one."""
        return self.gross - self.discount


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    items: tuple[CartItem, ...]
    staff_id: str
    customer_id: str | None = None
    card_number: str | None = None
    redeem: Redeem = 0
    promo_codes: tuple[str, ...] = ()
    # What the cashier showed the customer; a different total at commit is refused.
    expected_to_pay: int | None = None
    # The customer's available bonus as the server confirmed it just now (online-only stores).
    confirmed_balance: int | None = None
    # How the customer pays what is due: this much by bank card, the rest in cash; the cash
    # handed over (None: the exact sum). ``loyalty_core.payment.settle`` checks them.
    card_amount: int = 0
    cash_tendered: int | None = None
    # Gift cards the cashier checked (number and PIN) for this sale, taken in this order.
    gift_card_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GiftCardOffer:
    """A gift card whose PIN was checked: the cashier may take it as a tender in this sale."""

    id: str
    masked: str  # the number as the cashier may read it aloud
    balance: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CompletedSale:
    sale_id: str
    number: int
    created_at: datetime
    receipt: PricedReceipt
    balance_after: Balance | None
    currency: Currency = field(default_factory=Currency)
    payment: Payment = field(default_factory=lambda: Payment(()))


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    receipt_number: int
    quantities: Mapping[str, int]  # the sale line's line_id -> thousandths returned
    staff_id: str
    approved_by: str | None = None  # a manager's id: past the window, or above the limit
    approval_reason: str = ""  # why the manager allowed it (the audit log keeps it)


@dataclass(frozen=True, slots=True)
class ReturnQuote:
    """What a return would do, before it is confirmed: nothing is written."""

    sale: SaleRecord
    priced: PricedReturn
    refund: Payment  # how the money goes back (the card first, then cash)
    needs_manager: bool  # above the till's limit (or past the window): a manager's PIN

    @property
    def total(self) -> int:
        return self.priced.refund


@dataclass(frozen=True, slots=True)
class CompletedReturn:
    return_id: str
    number: int
    created_at: datetime
    original: SaleRecord
    priced: PricedReturn
    balance_after: Balance | None
    refund_payment: Payment = field(default_factory=lambda: Payment(()))

    @property
    def refund(self) -> int:
        return sum(line.refund for line in self.priced.lines)


@dataclass(frozen=True, slots=True)
class CardToPrint:
    number: str
    masked_phone: str
    customer_name: str | None


@dataclass(frozen=True, slots=True)
class ReceiptToPrint:
    """A waiting job with everything its paper says; the UI composes the document from it.

    Exactly one of ``sale``, ``returned``, ``card`` and ``report`` is set. ``balance`` is the
    customer's right after the sale or return, from the ledger as it stood then (a copy
    printed next week still shows the balance the first one did).
    """

    job: PrintJob
    store_name: str
    cashier: str
    sale: SaleRecord | None = None
    returned: ReturnRecord | None = None
    card: CardToPrint | None = None
    report: ShiftReport | None = None
    balance: Balance | None = None
    # The loyalty program's currency and the store's time zone, for amounts and dates.
    currency: Currency = field(default_factory=Currency)
    zone: ZoneInfo | None = None
    # A sale's survey link (its QR), signed by this till; None before it can sign.
    survey_url: str | None = None

    @property
    def copy(self) -> bool:
        return self.job.kind is PrintKind.REPRINT

    @property
    def open_drawer(self) -> bool:
        """Only the first attempt of a sale's own receipt may open the cash drawer."""
        return self.job.open_drawer and self.job.kind is PrintKind.RECEIPT and not self.job.attempts


@dataclass(frozen=True, slots=True)
class QueueState:
    waiting: int
    oldest_at: datetime | None  # when the oldest waiting job was queued
    last_error: str | None  # why the oldest one last failed
