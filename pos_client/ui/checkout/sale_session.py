"""The sale being rung up: its cart, customer, bonus and promo choices, quotes and payment.

No widgets here: the screen calls these methods and redraws on ``changed``. Every
call to the till goes through ``Op`` on the database lane.

Each change the price depends on bumps ``revision`` and asks for a new quote. At
most one quote is in flight; a quote that comes back for an older revision is
dropped, and ``payable`` holds only while ``receipt`` belongs to the current
revision, so the total the customer saw is the ``expected_to_pay`` of the payment.
A product or customer lookup that comes back after its sale was cancelled (Esc, or
the next login) is dropped too: it belonged to that sale, not to the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from loyalty_core.cards import looks_like_card
from loyalty_core.catalog import Product
from loyalty_core.errors import DomainError
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from pos_client.services.messages import (
    CheckoutRequest,
    CompletedSale,
    CustomerSnapshot,
    GiftCardOffer,
    Redeem,
    StaffBadge,
)
from pos_client.tasks import Changes, Lane, Op, TaskManager
from pos_client.ui.checkout.cart import MAX_PIECES, Cart
from pos_client.ui.error_text import describe
from pos_client.ui.formatting import Formats
from pos_client.ui.message_bar import Kind
from pos_client.ui.ports import TillPort

T = TypeVar("T")

# Refusals about the phone or card the cashier gave: shown at the customer field.
CUSTOMER_REFUSAL_PREFIXES = ("phone.", "card.")
CUSTOMER_REFUSAL_CODES = frozenset({"customer.not_found"})


def is_customer_refusal(exc: Exception) -> bool:
    return isinstance(exc, DomainError) and (
        exc.code.startswith(CUSTOMER_REFUSAL_PREFIXES) or exc.code in CUSTOMER_REFUSAL_CODES
    )


class SaleSession(QObject):
    changed = Signal()  # redraw: cart, customer, choices or receipt changed
    notice = Signal(str, str)  # text and a ``Kind`` value; empty text clears the message
    customer_refused = Signal(str)  # why a phone or card found nobody; empty text clears it
    line_selected = Signal(object)  # int | None: the cart line to highlight
    identified = Signal(object)  # CustomerSnapshot found by card or phone
    quote_shown = Signal(object)  # PricedReceipt for the current revision
    sale_completed = Signal(object)  # CompletedSale
    card_issued = Signal(str, str)  # customer id, the new card's number (registered, reissued)
    gift_card_taken = Signal(object)  # GiftCardOffer: its PIN was right, the sale takes it
    gift_card_refused = Signal(str)  # why the card (or its PIN) was refused

    def __init__(self, port: TillPort, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._port = port
        self._tasks = tasks
        self.cart = Cart()
        self.formats = Formats()
        self.rules: LoyaltyRules | None = None  # the loyalty program's, read at login
        self.staff: StaffBadge | None = None
        self.customer: CustomerSnapshot | None = None
        self.redeem: Redeem = 0
        # What the server confirmed this customer may spend (online-only stores), or None.
        self.confirmed_balance: int | None = None
        self.promo_codes: tuple[str, ...] = ()
        self.gift_cards: tuple[GiftCardOffer, ...] = ()  # checked, in the order offered
        self.receipt: PricedReceipt | None = None  # the quote of the current revision
        self.last_sale: CompletedSale | None = None
        self.revision = 0
        self.paying = False
        self._quote_in_flight = False
        self._quote_wanted = False
        self._sale = 0  # bumped by reset(): which sale a lookup's result belongs to

    @property
    def payable(self) -> bool:
        return self.receipt is not None and not self.paying

    # -- session -------------------------------------------------------------------
    def start(self, staff: StaffBadge) -> None:
        self.staff = staff
        self.last_sale = None
        self.reset()
        Op(self._tasks, self._port.rules).success(self._set_rules).failure(self._error).run()

    def _set_rules(self, rules: LoyaltyRules) -> None:
        self.rules = rules
        self.formats = Formats(rules.currency.as_currency(), rules.zone)
        self.changed.emit()

    def reset(self) -> None:
        """Forget the sale in progress: empty cart, no customer, no bonus, no codes."""
        self._sale += 1
        self.customer_refused.emit("")
        self.cart.clear()
        self.customer = None
        self.redeem = 0
        self.confirmed_balance = None
        self.promo_codes = ()
        self.gift_cards = ()
        self._price_changed()

    # -- cart -------------------------------------------------------------------------
    def scan(self, text: str, pieces: int = 1) -> None:
        """A scanner payload or typed text: a card, a product barcode (``pieces`` of it),
        or a phone number."""
        if self._refuse_while_paying():
            return
        if looks_like_card(text) or not (text.isascii() and text.isdigit()):
            self.identify(text)
            return
        Op(self._tasks, lambda: self._port.product(text)).success(
            self._this_sale(lambda product: self._add_product(product, pieces))
        ).failure(self._this_sale(self._error)).run()

    def _add_product(self, product: Product, pieces: int = 1) -> None:
        if self._refuse_while_paying():
            return
        self.notice.emit("", "")
        row = self.cart.add_product(product)
        if pieces > 1:
            self.cart.set_pieces(row, self.cart.entries[row].pieces - 1 + pieces)
        self._cart_changed(row)

    def set_pieces(self, row: int, pieces: int) -> None:
        """Typed ``3*`` with no code: the line gets that many pieces."""
        if self._refuse_while_paying():
            return
        if self.cart.set_pieces(row, pieces):
            self._cart_changed(row)
        else:
            self.notice.emit(
                self.tr("A line holds 1 to {most} pieces.").format(most=MAX_PIECES),
                Kind.ERROR.value,
            )

    def add_free_price(self, text: str) -> bool:
        if self._refuse_while_paying():
            return False
        try:
            amount = self.formats.currency.parse(text)
        except DomainError as exc:
            self._error(exc)
            return False
        if amount <= 0:
            self.notice.emit(self.tr("Type an amount above zero."), Kind.ERROR.value)
            return False
        self.notice.emit("", "")
        self._cart_changed(self.cart.add_free_price(self.tr("Free-price item"), amount))
        return True

    def change_quantity(self, row: int, delta: int) -> None:
        if self._refuse_while_paying():
            return
        if self.cart.change_pieces(row, delta):
            self._cart_changed(row)
        elif delta < 0:
            self.notice.emit(self.tr("One piece left: Delete removes the line."), Kind.INFO.value)

    def set_line_discount(self, line_id: str, amount: int, manager_id: str, reason: str) -> None:
        """A manager allowed ``amount`` off the line (checked again when the sale commits)."""
        if self._refuse_while_paying():
            return
        if self.cart.set_discount(line_id, amount, manager_id, reason):
            self.notice.emit("", "")
            rows = [i for i, e in enumerate(self.cart.entries) if e.line_id == line_id]
            self._cart_changed(rows[0] if rows else None)
        else:
            self.notice.emit(
                self.tr("A discount must be above zero and at most the line's price."),
                Kind.ERROR.value,
            )

    def delete_line(self, row: int) -> None:
        if self._refuse_while_paying():
            return
        self.cart.remove(row)
        self._cart_changed(min(row, len(self.cart) - 1) if self.cart.entries else None)

    def _cart_changed(self, select: int | None) -> None:
        self._price_changed()
        self.line_selected.emit(select)

    # -- customer, bonus, promo ---------------------------------------------------------
    def identify(self, text: str) -> None:
        if self._refuse_while_paying():
            return
        self.customer_refused.emit("")
        Op(self._tasks, lambda: self._port.identify(text)).success(
            self._this_sale(self._identified)
        ).failure(self._this_sale(self._lookup_failed)).run()

    def _identified(self, customer: CustomerSnapshot) -> None:
        if self._refuse_while_paying():
            return
        self.notice.emit("", "")
        self.set_customer(customer)
        self.identified.emit(customer)

    def _lookup_failed(self, exc: Exception) -> None:
        """A refused phone or card is told at the customer field; anything else on the
        message line."""
        text = describe(exc, self.formats)
        if not is_customer_refusal(exc):
            self.notice.emit(text, Kind.ERROR.value)
            return
        if isinstance(exc, DomainError) and exc.code == "customer.not_found":
            text += " " + self.tr("F3 registers a new customer.")
        self.notice.emit("", "")
        self.customer_refused.emit(text)

    def set_customer(self, customer: CustomerSnapshot | None) -> None:
        if customer is not None:
            self.customer_refused.emit("")
        self.customer = customer
        self.confirmed_balance = None
        if customer is None:
            self.redeem = 0
        self._price_changed()

    def set_redeem(self, redeem: Redeem) -> None:
        if self.customer is None and redeem != 0:
            self.notice.emit(
                self.tr("Identify the customer first: scan the card or press F2."),
                Kind.ERROR.value,
            )
            redeem = 0
        self.redeem = redeem
        self._price_changed()
        if redeem != 0 and self.customer is not None:
            self._confirm_balance(self.customer.customer.id)

    def _confirm_balance(self, customer_id: str) -> None:
        """Ask the server (IO lane) what the customer may spend; price again with its answer."""

        def confirmed(balance: int | None) -> None:
            customer = self.customer
            if balance is not None and customer is not None and customer.customer.id == customer_id:
                self.confirmed_balance = balance
                self._price_changed()

        Op(self._tasks, lambda: self._port.confirm_balance(customer_id), Lane.IO).success(
            self._this_sale(confirmed)
        ).failure(lambda _exc: None).run()

    def set_redeem_text(self, text: str) -> None:
        try:
            points = self.formats.currency.parse(text)
        except DomainError as exc:
            self._error(exc)
            return
        self.set_redeem(points)

    def add_promo(self, code: str) -> None:
        code = code.strip().upper()
        if code and code not in self.promo_codes:
            self.promo_codes = (*self.promo_codes, code)
            self._price_changed()

    def clear_promos(self) -> None:
        self.promo_codes = ()
        self._price_changed()

    def present_gift_card(self, number: str, pin: str) -> None:
        """The customer hands over a gift card and types its PIN: checked on the database
        lane (the PIN's hash and a wrong PIN's count); taken, it pays what it can."""
        if self._refuse_while_paying():
            return
        Op(self._tasks, lambda: self._port.present_gift_card(number, pin)).success(
            self._this_sale(self._gift_card_checked)
        ).failure(
            self._this_sale(lambda exc: self.gift_card_refused.emit(describe(exc, self.formats)))
        ).run()

    def _gift_card_checked(self, offer: GiftCardOffer) -> None:
        if all(taken.id != offer.id for taken in self.gift_cards):
            self.gift_cards = (*self.gift_cards, offer)
            self._price_changed()
        self.gift_card_taken.emit(offer)

    # -- pricing ---------------------------------------------------------------------------
    def draft(self) -> CheckoutRequest:
        assert self.staff is not None, "no sale without a logged-in cashier"
        customer = self.customer
        return CheckoutRequest(
            items=self.cart.items(),
            staff_id=self.staff.id,
            customer_id=customer.customer.id if customer else None,
            card_number=customer.card_number if customer else None,
            redeem=self.redeem if customer else 0,
            promo_codes=self.promo_codes,
            confirmed_balance=self.confirmed_balance if customer else None,
            gift_card_ids=tuple(card.id for card in self.gift_cards),
        )

    def _price_changed(self) -> None:
        """The totals on screen are stale until the quote for this revision arrives."""
        self.revision += 1
        self.receipt = None
        self.changed.emit()
        self._request_quote()

    def _request_quote(self) -> None:
        if self.cart.is_empty or self.staff is None:
            return
        if self._quote_in_flight:
            self._quote_wanted = True
            return
        self._quote_in_flight = True
        revision, draft = self.revision, self.draft()
        Op(self._tasks, lambda: self._port.quote(draft)).success(
            lambda receipt: self._quoted(revision, receipt)
        ).failure(lambda exc: self._quote_failed(revision, exc)).run()

    def _quoted(self, revision: int, receipt: PricedReceipt) -> None:
        self._quote_in_flight = False
        if revision == self.revision:
            self.receipt = receipt
            self.changed.emit()
            self.quote_shown.emit(receipt)
        self._next_quote()

    def _quote_failed(self, revision: int, exc: Exception) -> None:
        self._quote_in_flight = False
        if revision == self.revision:
            self._error(exc)
        self._next_quote()

    def _next_quote(self) -> None:
        if self._quote_wanted:
            self._quote_wanted = False
            self._request_quote()

    # -- paying ------------------------------------------------------------------------------
    def ready_to_pay(self) -> int | None:
        """What is due now, if the sale can be paid; else None and the notice says why."""
        if self.paying:
            return None
        if self.cart.is_empty:
            self.notice.emit(self.tr("The cart is empty: scan a product first."), Kind.ERROR.value)
            return None
        if self.receipt is None:
            self.notice.emit(
                self.tr("The total is being updated; press F12 again."), Kind.INFO.value
            )
            return None
        return self.receipt.to_pay

    def pay(
        self, card_amount: int = 0, cash_tendered: int | None = None, *, shown: int | None = None
    ) -> None:
        """Commit the sale: ``card_amount`` by bank card, the rest in cash, ``cash_tendered``
        handed over (None: the exact sum). ``shown`` is the total the payment screen showed;
        if the total has changed since, the checkout refuses and says the new one."""
        due = self.ready_to_pay()
        if due is None:
            return
        due = due if shown is None else shown
        self.paying = True
        self.changed.emit()
        self.notice.emit(self.tr("Paying…"), Kind.INFO.value)
        draft = replace(
            self.draft(), expected_to_pay=due, card_amount=card_amount, cash_tendered=cash_tendered
        )
        changes = Changes(sales=True, outbox=True, customers=draft.customer_id is not None)
        Op(self._tasks, lambda: self._port.checkout(draft)).success(self._paid).failure(
            self._pay_failed
        ).changes(changes).run()

    def _paid(self, sale: CompletedSale) -> None:
        self.paying = False
        self.last_sale = sale
        self.notice.emit("", "")
        self.reset()
        self.sale_completed.emit(sale)

    def _pay_failed(self, exc: Exception) -> None:
        self.paying = False
        self._error(exc)
        self._price_changed()  # price again: the refusal may have been a changed total

    def _refuse_while_paying(self) -> bool:
        if self.paying:
            self.notice.emit(self.tr("Payment in progress: wait a moment."), Kind.WARNING.value)
        return self.paying

    def _this_sale(self, handler: Callable[[T], None]) -> Callable[[T], None]:
        """``handler``, run only if the sale in progress now is still the one when it is called."""
        sale = self._sale

        def deliver(result: T) -> None:
            if sale == self._sale:
                handler(result)

        return deliver

    def _error(self, exc: Exception) -> None:
        self.notice.emit(describe(exc, self.formats), Kind.ERROR.value)
