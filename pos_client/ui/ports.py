"""What the screens need from the till, as a Protocol the UI can be handed.

``TillServices`` satisfies it as it is; screens depend on this seam rather than on
the service layer's construction. Requests and results are the plain values of
``pos_client.services.messages`` (no database behind them). Every method blocks:
call them only through ``pos_client.tasks.Op``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from loyalty_core.catalog import Product
from loyalty_core.customers import Customer
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from loyalty_core.staff import Role
from pos_client.records import ReceiptSummary, SaleRecord, SyncState
from pos_client.services.messages import (
    CheckoutRequest,
    CompletedReturn,
    CompletedSale,
    CustomerSnapshot,
    ReceiptToPrint,
    RegisterCustomer,
    ReturnQuote,
    ReturnRequest,
    StaffBadge,
)


class TillPort(Protocol):
    """The calls the screens make; ``TillServices`` provides them as they are."""

    def staff_list(self) -> Sequence[StaffBadge]: ...
    def log_in(self, staff_id: str, pin: str) -> StaffBadge: ...
    def identify(self, text: str) -> CustomerSnapshot: ...
    def search_customers(self, text: str, limit: int = 20) -> Sequence[Customer]: ...
    def register_customer(self, cmd: RegisterCustomer) -> CustomerSnapshot: ...
    def product(self, barcode: str) -> Product: ...
    def quote(self, req: CheckoutRequest) -> PricedReceipt: ...
    def confirm_balance(self, customer_id: str) -> int | None: ...  # network: IO lane
    def checkout(self, req: CheckoutRequest) -> CompletedSale: ...
    def rules(self) -> LoyaltyRules: ...
    def outbox_queued(self) -> int: ...
    def sync_state(self, aggregate_id: str) -> SyncState | None: ...
    def reprint(self, sale_id: str | None = None) -> int: ...  # a copy queued: its job id
    def receipt_to_show(self, sale_id: str | None = None) -> ReceiptToPrint: ...
    def find_receipts(self, text: str) -> Sequence[ReceiptSummary]: ...
    def sale(self, sale_id: str) -> SaleRecord | None: ...
    def returned_quantities(self, sale_id: str) -> Mapping[str, int]: ...
    def quote_return(self, req: ReturnRequest) -> ReturnQuote: ...
    def return_items(self, req: ReturnRequest) -> CompletedReturn: ...


@dataclass(frozen=True, slots=True)
class TillIdentity:
    """What the window title and the login screen say about this till."""

    store_name: str
    till_id: str
    demo_pins: tuple[tuple[str, Role, str], ...] = ()  # (name, role, PIN), demo mode only
