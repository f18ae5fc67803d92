"""The checkout screen: the sale session's view, driven from the keyboard and the scanner.

The scan field holds the focus; every other field gives it back after Enter or
Esc. Buttons never take the focus, and messages show inline (no popups that
would swallow a scan).

Scanners (keyboard wedge and serial alike) reach ``take_scan`` from the window's
``ScanHub``, whatever field has the focus: a card identifies the customer, a product
barcode adds to the cart, a receipt's QR opens the receipt lookup on it. Scans are ignored while
this screen is not shown (the login screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from loyalty_core.cards import looks_like_card, mask_card
from loyalty_core.catalog import Product
from loyalty_core.customers import Card
from loyalty_core.receipt import PricedReceipt
from pos_client.records import SyncState
from pos_client.services.messages import CompletedSale, CustomerSnapshot, Redeem, StaffBadge
from pos_client.tasks import Changes, Op, TaskManager
from pos_client.ui.checkout.cart_table import CartTable, CartTableModel
from pos_client.ui.checkout.customer_panel import CustomerPanel
from pos_client.ui.checkout.gift_card_dialog import GiftCardDialog
from pos_client.ui.checkout.line_discount_dialog import LineDiscountDialog
from pos_client.ui.checkout.payment_dialog import PaymentDialog
from pos_client.ui.checkout.payment_options import PaymentOptions
from pos_client.ui.checkout.quick_items import QuickItems
from pos_client.ui.checkout.register_dialog import RegisterDialog
from pos_client.ui.checkout.sale_session import SaleSession
from pos_client.ui.checkout.sale_summary import SaleSummary
from pos_client.ui.checkout.scan_bar import (
    FreePriceBar,
    ScanBar,
    is_barcode,
    scanned_receipt_id,
    typed_quantity,
)
from pos_client.ui.checkout.side_column import SideColumn
from pos_client.ui.checkout.totals_panel import TotalsPanel
from pos_client.ui.error_text import describe
from pos_client.ui.manager_pin import ManagerPinDialog
from pos_client.ui.message_bar import Kind, MessageBar
from pos_client.ui.ports import TillPort

MAX_CODE_SHOWN = 40  # characters of an unknown scanned code shown in the message


class CheckoutScreen(QWidget):
    receipt_scanned = Signal(str)  # a receipt's QR was scanned: its sale's id

    def __init__(self, port: TillPort, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutScreen")
        self._port = port
        self._tasks = tasks
        self._stopped = False
        tasks.changed.connect(self._on_changed)
        self.session = SaleSession(port, tasks, self)
        self.register_dialog: RegisterDialog | None = None
        self.payment_dialog: PaymentDialog | None = None
        self._cancel_armed = False
        self._reissue_for: str | None = None  # asked once: the next press issues the card

        self.scan_bar = ScanBar(self)
        self.free_price = FreePriceBar(self)
        self.quick_items = QuickItems(self)
        self.message = MessageBar(self)
        self.table_model = CartTableModel(self.session.cart, self)
        self.table = CartTable(self.table_model, self)
        self.customer_panel = CustomerPanel(self)
        self.options = PaymentOptions(self)
        self.summary = SaleSummary(self)
        self.totals = TotalsPanel(self)
        self._layout()
        self._connect()
        self._shortcuts()
        self.redraw()

    # -- construction ------------------------------------------------------------------
    def _layout(self) -> None:
        line_buttons = QHBoxLayout()
        for text, handler in (
            (self.tr("+1  (+)"), lambda: self.change_quantity(+1)),
            (self.tr("−1  (−)"), lambda: self.change_quantity(-1)),
            (self.tr("Delete line (Del)"), self.delete_line),
            (self.tr("Discount (Ctrl+D)"), self.discount_line),
        ):
            button = QPushButton(text, self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(handler)
            line_buttons.addWidget(button)
        line_buttons.addStretch(1)
        free_price_row = QHBoxLayout()
        free_price_row.addWidget(self.free_price)
        free_price_row.addStretch(1)
        keys = QLabel(
            self.tr(
                "F2 customer · F3 new customer · F4 max bonus · F5 bonus amount · "
                "F6 promo · Ctrl+D discount · F12 pay · Esc cancel"
            ),
            self,
        )
        keys.setObjectName("hint")
        keys.setWordWrap(True)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.scan_bar)
        left.addWidget(self.message)
        left.addWidget(self.table, 1)
        left.addWidget(self.quick_items)
        left.addLayout(line_buttons)
        left.addLayout(free_price_row)
        left.addWidget(keys)
        right_side = SideColumn(self.customer_panel, self.options, self.summary, self.totals, self)
        self.side = right_side
        columns = QHBoxLayout(self)
        columns.setContentsMargins(12, 12, 12, 8)
        columns.setSpacing(12)
        columns.addLayout(left, 3)
        columns.addWidget(right_side, 2)

    def _connect(self) -> None:
        session = self.session
        session.changed.connect(self.redraw)
        session.notice.connect(self._notice)
        session.customer_refused.connect(self._customer_refused)
        session.line_selected.connect(self._line_selected)
        session.identified.connect(self._identified)
        session.sale_completed.connect(self._sale_completed)
        session.quote_shown.connect(self._quote_for_payment)
        self.scan_bar.scanned.connect(self._scanned)
        self.scan_bar.search_requested.connect(self._search_products)
        self.scan_bar.line_step.connect(self._step_line)
        self.scan_bar.quantity_step.connect(self.change_quantity)
        self.scan_bar.delete_line.connect(self.delete_line)
        self.free_price.entered.connect(self._free_price)
        self.quick_items.chosen.connect(self._quick_item)
        self.customer_panel.lookup.connect(session.identify)
        self.customer_panel.search_requested.connect(self._search_customers)
        self.customer_panel.register_requested.connect(self.open_registration)
        self.customer_panel.clear_requested.connect(lambda: session.set_customer(None))
        self.customer_panel.reissue_requested.connect(self.reissue_card)
        self.options.none_chosen.connect(lambda: self._redeem_chosen(0))
        self.options.max_chosen.connect(lambda: self._redeem_chosen("max"))
        self.options.bonus_amount_entered.connect(self._bonus_amount)
        self.options.promo_entered.connect(self._promo)
        self.options.promos_cleared.connect(session.clear_promos)
        self.totals.pay_requested.connect(self.pay)

    def _shortcuts(self) -> None:
        bindings = [
            ("F2", self.customer_panel.focus_field),
            ("F3", self.open_registration),
            ("F4", self._toggle_max),
            ("F5", self.options.focus_amount),
            ("F6", self.options.focus_promo),
            ("F12", self.pay),
            ("Ctrl+M", self.free_price.focus_field),
            ("Ctrl+D", self.discount_line),
            ("Esc", self.escape),
        ]
        for keys, handler in bindings:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    # -- session -----------------------------------------------------------------------
    def start(self, staff: StaffBadge) -> None:
        self.summary.dismiss()
        self.message.clear_message()
        self.customer_panel.field.clear()
        self.session.start(staff)
        self.scan_bar.focus_scan()
        self._load_quick_items()

    def _load_quick_items(self) -> None:
        def show(products: Sequence[Product]) -> None:
            if not self._stopped:
                self.quick_items.show_products(products, self.session.formats)

        Op(self._tasks, self._port.popular_products).success(show).failure(lambda _e: None).run()

    def _quick_item(self, barcode: str) -> None:
        self._cancel_armed = False
        self.session.scan(barcode)
        self.scan_bar.focus_scan()

    def can_leave(self) -> bool:
        if self.session.paying or not self.session.cart.is_empty:
            self.message.error(self.tr("Finish or cancel the sale (Esc) before logging out."))
            return False
        return True

    def redraw(self) -> None:
        session, fmt = self.session, self.session.formats
        self.table_model.formats = fmt
        self.table_model.refresh(session.receipt)
        if session.cart.is_empty or session.receipt is not None:
            # stale totals stay until the quote
            self.totals.show_receipt(session.receipt, fmt, session.rules)
        self.totals.set_payable(session.payable)
        self.customer_panel.show_customer(session.customer, fmt)
        redeemed = session.receipt.redeemed if session.receipt is not None else None
        self.options.show_redeem(session.redeem, fmt, redeemed)
        applied = session.receipt.promos if session.receipt is not None else None
        self.options.show_promos(session.promo_codes, applied)
        self.options.show_limits(session.receipt, session.customer is not None, fmt)
        if not session.cart.is_empty:
            self.summary.dismiss()

    # -- keyboard and scanner -------------------------------------------------------------
    def take_scan(self, code: str) -> None:
        """A code from a scanner, wherever the focus is: a card, a product or a receipt."""
        if self._stopped or self.session.staff is None or not self.isVisible():
            return  # the login screen: nobody to sell for
        modal = QApplication.activeModalWidget()
        if isinstance(modal, GiftCardDialog):
            modal.take_scan(code)  # the gift card handed over at payment
            return
        if modal is not None and modal is not self.register_dialog:
            return  # another screen is in front (device settings tests its own scanner)
        if scanned_receipt_id(code) is None and not is_barcode(code):
            self._cancel_armed = False
            self.message.error(
                self.tr("The scanned code {code} is not a card, a product or a receipt.").format(
                    code=code if len(code) <= MAX_CODE_SHOWN else code[:MAX_CODE_SHOWN] + "…"
                )
            )
            return
        self._scanned(code)

    def _scanned(self, text: str) -> None:
        self._cancel_armed = False
        receipt = scanned_receipt_id(text)
        if receipt is not None:
            self._return_asked(receipt)
            return
        quantity = typed_quantity(text)
        if quantity is None:
            self.session.scan(text)
            return
        pieces, code = quantity
        if code:
            self.session.scan(code, pieces)
        elif (row := self._target_row()) is not None:
            self.session.set_pieces(row, pieces)

    def _return_asked(self, sale_id: str) -> None:
        """A receipt's QR: the receipt lookup opens on that receipt."""
        self.message.clear_message()
        self.receipt_scanned.emit(sale_id)

    def _free_price(self, text: str) -> None:
        if self.session.add_free_price(text):
            self.free_price.field.clear()
            self.scan_bar.focus_scan()

    def change_quantity(self, delta: int) -> None:
        row = self._target_row()
        if row is not None:
            self.session.change_quantity(row, delta)

    def delete_line(self) -> None:
        row = self._target_row()
        if row is not None:
            self.session.delete_line(row)

    def discount_line(self) -> None:
        """Ctrl+D: a manual discount on the selected line, which a manager allows by PIN."""
        row = self._target_row()
        if row is None:
            self.message.error(self.tr("Scan a product first: a discount is on a line."))
            return
        if self.session.paying:
            return
        entry = self.session.cart.entries[row]
        dialog = LineDiscountDialog(entry, self.session.formats, self)
        dialog.chosen.connect(self._ask_manager_for_discount)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _ask_manager_for_discount(self, line_id: str, amount: int) -> None:
        fmt = self.session.formats
        entry = next((e for e in self.session.cart.entries if e.line_id == line_id), None)
        if entry is None:
            return
        why = self.tr("A discount of {off} on {name}.").format(
            off=fmt.money(amount), name=entry.name
        )
        dialog = ManagerPinDialog(self._port, self._tasks, fmt, why, self)
        dialog.approved.connect(
            lambda manager, reason: self.session.set_line_discount(
                line_id, amount, manager.id, reason
            )
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(self._refocus)
        dialog.open()

    def _target_row(self) -> int | None:
        """The selected line, or the last one scanned."""
        cart = self.session.cart
        if cart.is_empty:
            return None
        selected = self.table.selected_row()
        return selected if selected is not None else len(cart) - 1

    def _step_line(self, step: int) -> None:
        row = self._target_row()
        if row is not None:
            self.table.select_row(row + step)

    def _line_selected(self, row: int | None) -> None:
        self._cancel_armed = False
        self.table.select_row(row)

    def _redeem_chosen(self, redeem: Redeem) -> None:
        self.session.set_redeem(redeem)
        self.scan_bar.focus_scan()

    def _toggle_max(self) -> None:
        if self.session.redeem == "max":
            self._redeem_chosen(0)
        else:
            self._redeem_chosen("max")

    def _bonus_amount(self, text: str) -> None:
        self.session.set_redeem_text(text)
        self.scan_bar.focus_scan()

    def _promo(self, code: str) -> None:
        self.session.add_promo(code)
        self.scan_bar.focus_scan()

    def pay(self) -> None:
        """F12: take the money for what is due (the payment screen), then commit the sale."""
        self._cancel_armed = False
        if self.payment_dialog is not None:
            return
        due = self.session.ready_to_pay()
        if due is None:
            return
        receipt = self.session.receipt
        gift_cards = receipt.gift_cards if receipt is not None else ()
        dialog = PaymentDialog(due, self.session.formats, self, gift_cards)
        dialog.chosen.connect(lambda card, cash: self.session.pay(card, cash, shown=dialog.due))
        dialog.gift_card_wanted.connect(self._ask_gift_card)
        dialog.finished.connect(self._payment_closed)
        self.payment_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def _ask_gift_card(self) -> None:
        """F7 on the payment screen: the card's number and PIN, checked; taken, the sale is
        priced again and the payment screen shows what is left to pay."""
        payment = self.payment_dialog
        if payment is None:
            return
        dialog = GiftCardDialog(self.session, payment)
        dialog.accepted.connect(payment.wait_for_total)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _quote_for_payment(self, receipt: PricedReceipt) -> None:
        if self.payment_dialog is not None:
            self.payment_dialog.set_due(receipt.to_pay, receipt.gift_cards)

    def _payment_closed(self) -> None:
        if self.payment_dialog is not None:
            self.payment_dialog.deleteLater()
        self.payment_dialog = None
        self.window().activateWindow()
        self.scan_bar.focus_scan()

    # -- results ---------------------------------------------------------------------------
    def _notice(self, text: str, kind: str) -> None:
        if not text:
            self.message.clear_message()
            return
        self.message.show_message(text, Kind(kind))
        if kind == Kind.ERROR.value:
            self._refocus()

    def _customer_refused(self, text: str) -> None:
        self.customer_panel.show_problem(text)
        if text:
            self._refocus()

    def reissue_card(self) -> None:
        """A lost card: the first press asks, the second issues a new card (it prints, and
        the old one stops working at every till once synced)."""
        customer, staff = self.session.customer, self.session.staff
        if customer is None or staff is None:
            return
        if self._reissue_for != customer.customer.id:
            self._reissue_for = customer.customer.id
            self.message.show_message(
                self.tr("Press again to issue a new card: the old one will stop working."),
                Kind.WARNING,
            )
            return
        self._reissue_for = None
        who = customer.customer.id

        def issued(card: Card) -> None:
            if self._stopped:
                return
            self.message.show_message(
                self.tr("New card {card} issued; the old one no longer works.").format(
                    card=mask_card(card.number)[-8:]
                ),
                Kind.SUCCESS,
            )
            current = self.session.customer
            if current is not None and current.customer.id == who:
                self.session.set_customer(replace(current, card_number=card.number))
                self.session.card_issued.emit(current.customer.id, card.number)

        Op(self._tasks, lambda: self._port.reissue_card(who, staff.id)).success(issued).failure(
            lambda exc: (
                None if self._stopped else self.message.error(describe(exc, self.session.formats))
            )
        ).changes(Changes(customers=True, outbox=True, prints=True)).run()

    def _search_products(self, text: str) -> None:
        """Products by name as the cashier types (the newest answer wins)."""

        def found(products: Sequence[Product]) -> None:
            if not self._stopped:
                money = self.session.formats.money
                labels = [f"{p.name} · {money(p.price)}" for p in products]
                self.scan_bar.show_products(text, products, labels)

        Op(self._tasks, lambda: self._port.search_products(text)).success(found).failure(
            lambda _exc: None
        ).run()

    def _search_customers(self, text: str) -> None:
        """Matches by name or phone digits as the cashier types (the newest answer wins)."""
        Op(self._tasks, lambda: self._port.search_customers(text)).success(
            lambda found: None if self._stopped else self.customer_panel.show_matches(text, found)
        ).failure(lambda _exc: None).run()

    def _identified(self, _customer: CustomerSnapshot) -> None:
        self.customer_panel.field.clear()
        self._refocus()

    def _sale_completed(self, sale: CompletedSale) -> None:
        self.customer_panel.field.clear()
        self.summary.show_sale(sale, self.session.formats)
        self.scan_bar.focus_scan()
        self._refresh_sync_state()
        self._load_quick_items()

    def _on_changed(self, changes: Changes) -> None:
        if changes.sales:  # the sync worker recorded the server's answers
            self._refresh_sync_state()

    def _refresh_sync_state(self) -> None:
        sale_id = self.summary.sale_id
        if sale_id is None or self._stopped:
            return

        def show(state: SyncState | None) -> None:
            if not self._stopped and self.summary.sale_id == sale_id:
                self.summary.show_sync(state)

        Op(self._tasks, lambda: self._port.sync_state(sale_id)).success(show).run()

    def stop(self) -> None:
        """The window is closing: no more broadcasts reach this screen."""
        if not self._stopped:
            self._stopped = True
            self._tasks.changed.disconnect(self._on_changed)

    # -- registration ------------------------------------------------------------------------
    def open_registration(self) -> None:
        staff = self.session.staff
        if staff is None or self.register_dialog is not None:
            return
        typed = self.customer_panel.field.text().strip()
        phone = "" if looks_like_card(typed) else typed
        dialog = RegisterDialog(self._port, self._tasks, staff.id, phone, self)
        dialog.registered.connect(self._registered)
        dialog.finished.connect(self._registration_closed)
        self.register_dialog = dialog
        dialog.open()
        dialog.activateWindow()

    def _registered(self, customer: CustomerSnapshot) -> None:
        self.customer_panel.field.clear()
        card = customer.card_number
        self.session.set_customer(customer)
        if card:
            self.session.card_issued.emit(customer.customer.id, card)
        self.message.show_message(
            self.tr("Customer registered, card ends in {digits}.").format(digits=card[-4:])
            if card
            else self.tr("Customer registered."),
            Kind.SUCCESS,
        )

    def _registration_closed(self) -> None:
        if self.register_dialog is not None:
            self.register_dialog.deleteLater()
        self.register_dialog = None
        self.window().activateWindow()
        self.scan_bar.focus_scan()

    # -- Esc and focus --------------------------------------------------------------------------
    def escape(self) -> None:
        """Leave a field; clear the scan field; cancel the sale (twice if the cart has lines)."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit) and focus in self._side_fields():
            focus.clear()
            self.scan_bar.focus_scan()
            return
        if self.scan_bar.field.text():
            self.scan_bar.field.clear()
            return
        session = self.session
        if session.paying:
            return
        if not session.cart.is_empty and not self._cancel_armed:
            self._cancel_armed = True
            self.message.show_message(
                self.tr("Press Esc again to cancel this sale ({count} lines).").format(
                    count=len(session.cart)
                ),
                Kind.WARNING,
            )
            return
        cancelled = not session.cart.is_empty
        self._cancel_armed = False
        self.customer_panel.field.clear()
        self.summary.dismiss()
        session.reset()
        if cancelled:
            self.message.show_message(self.tr("Sale cancelled."))
        else:
            self.message.clear_message()

    def _side_fields(self) -> tuple[QLineEdit, ...]:
        return (
            self.customer_panel.field,
            self.options.amount_field,
            self.options.promo_field,
            self.free_price.field,
        )

    def _refocus(self) -> None:
        """Back to the scan field, unless the cashier is typing an amount or a code."""
        focus = QApplication.focusWidget()
        typing = focus in (
            self.options.amount_field,
            self.options.promo_field,
            self.free_price.field,
        )
        if not typing and self.isVisible():
            self.scan_bar.focus_scan()
