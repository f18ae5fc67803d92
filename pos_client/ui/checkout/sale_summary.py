"""After payment: "sale N done" with the bonus breakdown, until the next scan."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from loyalty_core.payment import Payment, TenderKind
from pos_client.records import EventStatus, SyncState
from pos_client.services.messages import CompletedSale
from pos_client.ui.formatting import Formats
from pos_client.ui.message_bar import repolish


class SaleSummary(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saleSummary")
        self.title = QLabel(self)
        self.title.setObjectName("saleTitle")
        self.change = QLabel(self)
        self.change.setObjectName("saleChange")
        self.details = QLabel(self)
        self.details.setObjectName("saleDetails")
        self.details.setWordWrap(True)
        self.sync_label = QLabel(self)
        self.sync_label.setObjectName("saleSync")
        self.sync_label.setWordWrap(True)
        self.sale_id: str | None = None  # the sale shown
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 10, 14, 10)
        column.addWidget(self.title)
        column.addWidget(self.change)
        column.addWidget(self.details)
        column.addWidget(self.sync_label)
        self.setVisible(False)

    def show_sale(self, sale: CompletedSale, fmt: Formats) -> None:
        self.sale_id = sale.sale_id
        self.show_sync(None)
        receipt = sale.receipt
        self.title.setText(
            self.tr("Sale {number} done: {paid}").format(
                number=sale.number, paid=fmt.money(receipt.to_pay)
            )
        )
        payment = sale.payment
        self.change.setText(
            self.tr("Change: {amount}").format(amount=fmt.money(payment.change))
            if payment.change
            else ""
        )
        self.change.setVisible(bool(payment.change))
        lines: list[str] = [self._tenders(payment, fmt)] if payment.tenders else []
        if receipt.customer_id is not None:
            earned = self.tr("Earned: +{points}").format(points=fmt.points(receipt.earned))
            if receipt.earned and receipt.accrual_activates_at is not None:
                earned += " " + self.tr("(pending until {date})").format(
                    date=fmt.day(receipt.accrual_activates_at)
                )
            lines.append(earned)
            if receipt.boost:  # the first purchase's extra: it explains a large "Earned"
                lines.append(
                    self.tr("including the first purchase bonus: +{points}").format(
                        points=fmt.points(receipt.boost)
                    )
                )
            lines.append(self.tr("Spent: {points}").format(points=fmt.points(receipt.redeemed)))
        balance = sale.balance_after
        if balance is not None:
            text = self.tr("New balance: {points}").format(points=fmt.points(balance.available))
            if balance.pending_total:
                text += ", " + self.tr("pending {points}").format(
                    points=fmt.points(balance.pending_total)
                )
            lines.append(text)
        if receipt.customer_id is None:
            lines.append(self.tr("No loyalty card on this sale."))
        self.details.setText("\n".join(lines))
        self.setVisible(True)

    def _tenders(self, payment: Payment, fmt: Formats) -> str:
        parts = []
        for tender in payment.tenders:
            if tender.kind is TenderKind.CASH:
                parts.append(self.tr("cash {amount}").format(amount=fmt.money(tender.tendered)))
            else:
                parts.append(self.tr("card {amount}").format(amount=fmt.money(tender.amount)))
        return self.tr("Paid: {tenders}").format(tenders=", ".join(parts))

    def show_sync(self, state: SyncState | None) -> None:
        """The sale on its way to the server: waiting, sending, received, or refused and why."""
        status = state.status if state is not None else EventStatus.QUEUED
        texts = {
            EventStatus.QUEUED: self.tr("Server: waiting to be sent"),
            EventStatus.SENDING: self.tr("Server: sending…"),
            EventStatus.APPLIED: self.tr("Server: received"),
            EventStatus.DUPLICATE: self.tr("Server: received"),
            EventStatus.REJECTED: self.tr("Server: refused ({code}): {reason}"),
        }
        text = texts[status]
        if status is EventStatus.REJECTED and state is not None:
            text = text.format(code=state.error_code or "?", reason=state.error_message or "")
        self.sync_label.setText(text)
        self.sync_label.setProperty("state", status.value)
        repolish(self.sync_label)

    def dismiss(self) -> None:
        self.sale_id = None
        self.setVisible(False)
