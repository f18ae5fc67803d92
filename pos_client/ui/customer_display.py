"""The customer-facing display: a second window that follows the sale the cashier rings up.

It reads the same ``SaleSession`` the checkout screen drives (one sale, two windows): the
lines and what they cost, the total to pay in large type, the bonus — the customer's name
and balance, what they spend and what they will earn — or, with no card attached, an
invitation to join. After the sale it thanks the customer and shows the change. It opens on
the second screen when there is one (full screen), else as a window that can be moved there.
It takes no keys: the cashier's window keeps the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from pos_client.services.messages import CompletedSale
from pos_client.ui.checkout.sale_session import SaleSession

MILLI = 1000


class CustomerDisplay(QWidget):
    def __init__(self, session: SaleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("For the customer"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._session = session
        self.lines = QListWidget(self)
        self.lines.setObjectName("displayLines")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.total = QLabel(self)
        self.total.setObjectName("displayTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.bonus = QLabel(self)
        self.bonus.setObjectName("displayBonus")
        self.bonus.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.lines, 1)
        column.addWidget(self.total)
        column.addWidget(self.bonus)
        session.changed.connect(self.refresh)
        session.quote_shown.connect(lambda _receipt: self.refresh())
        session.sale_completed.connect(self.thank)
        self.refresh()

    def place(self) -> None:
        """Full screen on the second screen when there is one; otherwise a movable window."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].geometry())
            self.showFullScreen()
        else:
            self.resize(640, 480)
            self.show()

    def refresh(self) -> None:
        session, fmt = self._session, self._session.formats
        receipt = session.receipt
        self.lines.clear()
        for item in session.cart.items():
            whole, rest = divmod(item.quantity_milli, MILLI)
            count = str(whole) if not rest else f"{whole},{rest:03d}"
            self.lines.addItem(f"{item.name}   {count} × {fmt.money(item.unit_price)}")
        if session.cart.is_empty:
            self.total.setText(self.tr("Welcome!"))
        elif receipt is not None:
            self.total.setText(self.tr("To pay: {sum}").format(sum=fmt.money(receipt.to_pay)))
        customer = session.customer
        if customer is None:
            self.bonus.setText(
                self.tr("Join our loyalty program: bonus on every purchase. Ask the cashier.")
            )
            return
        name = customer.customer.name or self.tr("dear customer")
        parts = [
            self.tr("Hello, {name}! Your bonus: {points}").format(
                name=name, points=fmt.points(customer.balance.available)
            )
        ]
        if receipt is not None and receipt.redeemed:
            parts.append(self.tr("spent now: {points}").format(points=fmt.points(receipt.redeemed)))
        if receipt is not None and receipt.earned:
            parts.append(
                self.tr("you will earn: {points}").format(points=fmt.points(receipt.earned))
            )
        self.bonus.setText(" · ".join(parts))

    def thank(self, sale: CompletedSale) -> None:
        fmt = self._session.formats
        self.lines.clear()
        text = self.tr("Thank you for your purchase!")
        if sale.payment is not None and sale.payment.change:
            text += "\n" + self.tr("Your change: {sum}").format(sum=fmt.money(sale.payment.change))
        self.total.setText(text)
        if sale.balance_after is not None:
            self.bonus.setText(
                self.tr("Your bonus now: {points}").format(
                    points=fmt.points(sale.balance_after.available)
                )
            )
        else:
            self.bonus.clear()
