"""The checkout's right-hand column: who the customer is and how they pay above, the sale
just done, the totals and the Pay button below.

The column is taller than a 768-pixel screen leaves when everything in it is shown (a
customer with bonus pending and expiring, a promo code, the totals' notes, the summary of
the sale just paid). The totals and the summary always get the room they need; the part
above gives way, the customer field first in view, and scrolls what no longer fits, so no
row is ever drawn over another. Focus moving into it (F2, F5, F6) scrolls to the field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from pos_client.ui.checkout.customer_panel import CustomerPanel
from pos_client.ui.checkout.payment_options import PaymentOptions
from pos_client.ui.checkout.sale_summary import SaleSummary
from pos_client.ui.checkout.totals_panel import TotalsPanel
from pos_client.ui.fit_scroll import FitScroll

MAX_WIDTH = 480  # px; the cart gets the rest of the width
UPPER_FLOOR = 120  # px the upper part keeps however short the window: the customer field
SPACING = 8


class SideColumn(QWidget):
    def __init__(
        self,
        customer: CustomerPanel,
        options: PaymentOptions,
        summary: SaleSummary,
        totals: TotalsPanel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sideColumn")
        self.setMaximumWidth(MAX_WIDTH)
        content = QWidget()
        content.setObjectName("sideScrollContent")
        upper = QVBoxLayout(content)
        upper.setContentsMargins(0, 0, 0, 0)
        upper.setSpacing(SPACING)
        upper.addWidget(customer)
        upper.addWidget(options)
        self.upper = FitScroll(content, self, floor=UPPER_FLOOR)
        self.upper.setObjectName("sideScroll")
        self.upper.viewport().setObjectName("sideScrollViewport")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(SPACING)
        column.addWidget(self.upper)  # as tall as its content, or less and it scrolls
        column.addWidget(summary)
        column.addWidget(totals, 1)  # room to spare goes here: Pay stays at the bottom
        for field in content.findChildren(QLineEdit):
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.upper.ensure_visible(watched)  # F2, F5, F6: the field comes into view
        return super().eventFilter(watched, event)
