"""What the screens need from the till, described without importing the service layer.

The UI may not import ``pos_client.services`` (it pulls in the database adapters,
which the import-linter contract forbids even indirectly), so it states the calls
it makes as a Protocol over plain values and ``loyalty_core`` types. The
composition root (``pos_client.__main__.TillBridge``) implements it over
``TillServices``. Every method blocks: call them only through ``pos_client.tasks.Op``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from loyalty_core.catalog import Product
from loyalty_core.customers import Customer, Questionnaire
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from loyalty_core.staff import Role
from loyalty_core.wallet import Balance

Redeem = int | Literal["max"]


class StaffView(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> Role: ...


class CustomerView(Protocol):
    @property
    def customer(self) -> Customer: ...
    @property
    def card_number(self) -> str | None: ...
    @property
    def tier_name(self) -> str: ...
    @property
    def balance(self) -> Balance: ...


class SaleView(Protocol):
    @property
    def sale_id(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def receipt(self) -> PricedReceipt: ...
    @property
    def balance_after(self) -> Balance | None: ...


@dataclass(frozen=True, slots=True)
class LineDraft:
    """A cart line as the screen holds it."""

    sku: str
    name: str
    unit_price: int  # minor units
    quantity_milli: int = 1000
    category: str | None = None


@dataclass(frozen=True, slots=True)
class CartDraft:
    """Everything a quote or a payment needs, as the cashier entered it."""

    lines: tuple[LineDraft, ...]
    staff_id: str
    customer_id: str | None = None
    card_number: str | None = None
    redeem: Redeem = 0
    promo_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewCustomer:
    phone: str  # as typed
    consent: bool
    staff_id: str
    questionnaire: Questionnaire = field(default_factory=Questionnaire)


class TillPort(Protocol):
    def staff_list(self) -> Sequence[StaffView]: ...
    def log_in(self, staff_id: str, pin: str) -> StaffView: ...
    def identify(self, text: str) -> CustomerView: ...
    def register(self, new: NewCustomer) -> CustomerView: ...
    def product(self, barcode: str) -> Product: ...
    def quote(self, cart: CartDraft) -> PricedReceipt: ...
    def pay(self, cart: CartDraft, expected_to_pay: int) -> SaleView: ...
    def rules(self) -> LoyaltyRules: ...
    def outbox_counts(self) -> Mapping[str, int]: ...


@dataclass(frozen=True, slots=True)
class TillIdentity:
    """What the window title and the login screen say about this till."""

    store_name: str
    till_id: str
    demo_pins: tuple[tuple[str, Role, str], ...] = ()  # (name, role, PIN), demo mode only
