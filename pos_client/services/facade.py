"""One object the UI and the admin CLI call: each method is one handler over its own unit of work.

Methods block (they touch SQLite); the Qt UI calls them through ``pos_client.tasks``,
never on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loyalty_core.catalog import Product
from loyalty_core.customers import Card, Customer
from loyalty_core.ids import new_id
from loyalty_core.payment import settle
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules
from loyalty_core.shifts import ShiftReport
from loyalty_core.wire.scorecards import ScorecardsV1
from pos_client.adapters.unit_of_work import UnitOfWorkFactory
from pos_client.records import ReceiptSummary, SaleRecord, SyncState
from pos_client.services import checkout as checkout_service
from pos_client.services import customers as customer_service
from pos_client.services import gift_cards as gift_card_service
from pos_client.services import printing as print_service
from pos_client.services import products as product_service
from pos_client.services import receipts as receipt_service
from pos_client.services import returns as returns_service
from pos_client.services import shifts as shift_service
from pos_client.services import staff as staff_service
from pos_client.services import votes as vote_service
from pos_client.services.card_terminal import CardTerminal, StandaloneTerminal
from pos_client.services.checkout import UnknownProductError
from pos_client.services.context import TillContext
from pos_client.services.messages import (
    CheckoutRequest,
    CompletedReturn,
    CompletedSale,
    CustomerSnapshot,
    GiftCardOffer,
    QueueState,
    ReceiptToPrint,
    RegisterCustomer,
    ReturnQuote,
    ReturnRequest,
    StaffBadge,
)
from pos_client.services.rules import active_rules
from pos_client.services.sync import NotEnrolledError
from pos_client.services.wallets import WalletCache


class TillServices:
    def __init__(self, uows: UnitOfWorkFactory, ctx: TillContext) -> None:
        self.uows = uows
        self.ctx = ctx
        self.wallets = WalletCache()
        # Set by the composition root once sync exists: asks the server for a balance.
        self.balance_confirmer: Callable[[str], int | None] = lambda _customer_id: None
        # Set by the composition root too: the server's scorecards as a staff member sees them.
        self.scorecard_reader: Callable[[str], ScorecardsV1] = _not_enrolled
        self.card_terminal: CardTerminal = StandaloneTerminal()

    # -- staff -----------------------------------------------------------------
    def staff_list(self) -> list[StaffBadge]:
        return staff_service.list_staff(self.uows.reading())

    def log_in(self, staff_id: str, pin: str) -> StaffBadge:
        return staff_service.log_in(staff_id, pin, self.uows.writing(), self.ctx)

    # -- customers ---------------------------------------------------------------
    def identify(self, text: str) -> CustomerSnapshot:
        return customer_service.identify(text, self.uows.reading(), self.ctx, self.wallets)

    def search_customers(self, text: str, limit: int = 20) -> list[Customer]:
        return customer_service.search(text, self.uows.reading(), limit)

    def register_customer(self, cmd: RegisterCustomer) -> CustomerSnapshot:
        return customer_service.register(cmd, self.uows.writing(), self.ctx, self.wallets)

    def reissue_card(self, customer_id: str, staff_id: str) -> Card:
        return customer_service.reissue_card(customer_id, staff_id, self.uows.writing(), self.ctx)

    # -- checkout ----------------------------------------------------------------
    def product(self, barcode: str) -> Product:
        with self.uows.reading() as uow:
            product = uow.products.by_barcode(barcode.strip())
        if product is None:
            raise UnknownProductError(barcode=barcode.strip())
        return product

    def search_products(self, text: str) -> list[Product]:
        """Products by the words of their name, as the cashier types them."""
        return product_service.search_products(text, self.uows.reading())

    def popular_products(self) -> list[Product]:
        """The checkout's quick buttons: what this till sells most."""
        return product_service.popular_products(self.uows.reading())

    def quote(self, req: CheckoutRequest) -> PricedReceipt:
        return checkout_service.quote(req, self.uows.reading(), self.ctx, self.wallets)

    def present_gift_card(self, number: str, pin: str) -> GiftCardOffer:
        """Check a gift card handed over for this sale: known, PIN right, usable, not empty."""
        return gift_card_service.present_gift_card(number, pin, self.uows.writing(), self.ctx)

    def confirm_balance(self, customer_id: str) -> int | None:
        """The server's word on what the customer may spend (online-only stores); network."""
        return self.balance_confirmer(customer_id)

    def scorecards(self, staff_id: str) -> ScorecardsV1:
        """The store's scorecards as ``staff_id`` may see them, from the server; network."""
        return self.scorecard_reader(staff_id)

    def checkout(self, req: CheckoutRequest) -> CompletedSale:
        """Charge the bank card's part (after the tenders are checked against a fresh quote),
        then commit the sale; a sale refused after the charge has it reversed."""
        if req.card_amount <= 0:
            return checkout_service.checkout(req, self.uows.writing(), self.ctx, self.wallets)
        due = self.quote(req).to_pay
        settle(due, card=req.card_amount, cash_tendered=req.cash_tendered)  # refuse before
        approval = self.card_terminal.charge(req.card_amount, reference=new_id())
        try:
            return checkout_service.checkout(req, self.uows.writing(), self.ctx, self.wallets)
        except BaseException:
            self.card_terminal.reverse(approval)
            raise

    # -- returns -----------------------------------------------------------------
    def find_sale(self, receipt_number: int) -> SaleRecord:
        return returns_service.find_sale(receipt_number, self.uows.reading())

    def sale(self, sale_id: str) -> SaleRecord | None:
        """A sale by its id (a scanned receipt's QR); None for a return or an unknown id."""
        with self.uows.reading() as uow:
            return uow.sales.get(sale_id)

    def returned_quantities(self, sale_id: str) -> dict[str, int]:
        return returns_service.returned_quantities(sale_id, self.uows.reading())

    def quote_return(self, req: ReturnRequest) -> ReturnQuote:
        """What a return would refund, how, and do to the bonus; nothing is written."""
        return returns_service.quote_return(req, self.uows.reading(), self.ctx, self.wallets)

    def return_items(self, req: ReturnRequest) -> CompletedReturn:
        return returns_service.return_items(req, self.uows.writing(), self.ctx, self.wallets)

    def find_receipts(self, text: str) -> list[ReceiptSummary]:
        """Past sales and returns by receipt number, day (dd.mm.yyyy), phone or card."""
        return receipt_service.find_receipts(text, self.uows.reading(), self.ctx)

    # -- the staff-rating survey ---------------------------------------------------
    def record_vote(self, sale_id: str, score: int, reasons: Sequence[str]) -> None:
        """The customer's rating of the cashier who served ``sale_id`` (once per receipt)."""
        vote_service.record_vote(sale_id, score, reasons, self.uows.writing(), self.ctx)

    # -- shifts --------------------------------------------------------------------
    def shift_report(self) -> ShiftReport | None:
        """The open shift's X report; None when no shift is open."""
        return shift_service.current_report(self.uows.reading(), self.ctx)

    def open_shift(self, staff_id: str, float_cash: int) -> ShiftReport:
        return shift_service.open_shift(staff_id, float_cash, self.uows.writing(), self.ctx)

    def close_shift(self, staff_id: str, counted_cash: int) -> ShiftReport:
        """Close the open shift with the cash counted in the drawer: its Z report."""
        return shift_service.close_shift(staff_id, counted_cash, self.uows.writing(), self.ctx)

    def print_shift_report(self) -> None:
        """Queue the open shift's X report for the printer."""
        if not self.ctx.prints_receipts:
            raise print_service.PrinterMissingError()
        shift_service.print_x_report(self.uows.writing(), self.ctx)

    # -- till state ----------------------------------------------------------------
    def rules(self) -> LoyaltyRules:
        with self.uows.reading() as uow:
            return active_rules(uow)

    def outbox_queued(self) -> int:
        """Events the server has not answered yet (the status bar asks after every sale)."""
        with self.uows.reading() as uow:
            return uow.outbox.pending()

    def sync_state(self, aggregate_id: str) -> SyncState | None:
        """Where a sale's, a return's or a customer's event is on its way to the server."""
        with self.uows.reading() as uow:
            return uow.outbox.state_of(aggregate_id)

    # -- printing ------------------------------------------------------------------
    def reprint(self, sale_id: str | None = None) -> int:
        """Queue a copy of a receipt (the newest one by default)."""
        return print_service.reprint(self.uows.writing(), self.ctx, sale_id)

    def print_card(self, card_number: str) -> int:
        return print_service.print_card(self.uows.writing(), self.ctx, card_number)

    def receipt_to_show(self, sale_id: str | None = None) -> ReceiptToPrint:
        """A receipt's paper for the screen (the newest by default); nothing is printed."""
        return print_service.receipt_to_show(self.uows.reading(), sale_id)

    def next_to_print(self) -> ReceiptToPrint | None:
        return print_service.next_to_print(self.uows.reading(), self.ctx)

    def printed(self, job_id: int) -> None:
        print_service.printed(self.uows.writing(), self.ctx, job_id)

    def print_unconfirmed(self, job_id: int, reason: str) -> None:
        print_service.unconfirmed(self.uows.writing(), self.ctx, job_id, reason)

    def print_set_aside(self, job_id: int, reason: str) -> None:
        print_service.set_aside(self.uows.writing(), self.ctx, job_id, reason)

    def print_failed(self, job_id: int, reason: str) -> None:
        print_service.failed(self.uows.writing(), job_id, reason)

    def print_queue(self) -> QueueState:
        return print_service.queue_state(self.uows.reading())


def _not_enrolled(_staff_id: str) -> ScorecardsV1:
    raise NotEnrolledError()
