"""A queued print job's paper in the till's language: a sale's, a return's, a card, a report.

The till's services hand over what the paper says (``ReceiptToPrint``: the stored priced
receipt, the cashier, the balance right after); here every label is translated and every
amount formatted, and ``hardware`` lays the document out for the printer or the screen.
Pure apart from Qt's translations: it runs on the GUI thread in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QCoreApplication

from hardware.receipt import (
    BonusBreakdown,
    ItemLine,
    QrCode,
    ReceiptDocument,
    StoreHeader,
    ValueRow,
)
from loyalty_core.cards import mask_card
from loyalty_core.money import Rounding, div_round
from loyalty_core.payment import Payment, TenderKind
from loyalty_core.receipt import PricedReceipt
from loyalty_core.wallet import Balance
from pos_client.records import ReturnRecord, SaleRecord
from pos_client.services.messages import CardToPrint, ReceiptToPrint
from pos_client.ui.formatting import Formats
from pos_client.ui.note_text import note_text
from pos_client.ui.report_paper import report_document

translate = QCoreApplication.translate
MILLI = 1000
# The engine's notes that say why less bonus could be spent than the customer has.
CAP_NOTES = (
    "redeem.cap_reached",
    "redeem.min_check",
    "redeem.offline_limit",
    "redeem.server_balance",
    "redeem.online_only",
    "redeem.debt",
    "redeem.nothing_eligible",
)


@dataclass(frozen=True)
class ReceiptComposer:
    # A survey of the store's own: its QR is this plus the receipt's id ("": the server's
    # survey page, signed by the till once it has its store's secret; no QR before).
    survey_base_url: str = ""
    formats: Formats = field(default_factory=Formats)  # set from each item in compose()
    columns: int = 42  # the printer's paper width: the on-screen preview shows it so

    def compose(self, item: ReceiptToPrint) -> ReceiptDocument:
        """The paper, with amounts in the program's currency and dates in the store's zone."""
        paper = replace(self, formats=Formats(item.currency, item.zone))
        if item.card is not None:
            return paper._card(item, item.card)
        if item.report is not None:
            return report_document(item.report, paper.formats, item.store_name, item.cashier)
        if item.returned is not None:
            return paper._return(item, item.returned)
        assert item.sale is not None
        return paper._sale(item, item.sale)

    # -- a sale ------------------------------------------------------------------------
    def _sale(self, item: ReceiptToPrint, sale: SaleRecord) -> ReceiptDocument:
        receipt = sale.receipt
        title = translate("Receipt", "Sales receipt")
        return ReceiptDocument(
            header=StoreHeader(name=item.store_name) if item.store_name else None,
            title=title + (" - " + translate("Receipt", "COPY") if item.copy else ""),
            details=self._details(sale.number, sale, item.cashier, sale.card_number),
            items=tuple(self._item(sale, line_no) for line_no in range(len(receipt.lines))),
            totals=self._totals(receipt) + self._payment(sale.payment),
            bonus=self._bonus(receipt, item.balance) if receipt.customer_id else None,
            footer=(translate("Receipt", "Thank you for your purchase!"),),
            qr=self._survey(sale.id, item.survey_url),
            open_drawer=item.open_drawer,
        )

    def _details(
        self, number: int, when: SaleRecord | ReturnRecord, cashier: str, card: str | None
    ) -> tuple[ValueRow, ...]:
        at = self.formats.local(when.created_at)
        rows = [
            ValueRow(translate("Receipt", "Receipt"), f"№ {number}"),
            ValueRow(translate("Receipt", "Date"), at.strftime("%d.%m.%Y %H:%M")),
        ]
        if cashier:
            rows.append(ValueRow(translate("Receipt", "Cashier"), cashier))
        if card:
            rows.append(ValueRow(translate("Receipt", "Card"), mask_card(card)))
        return tuple(rows)

    def _item(self, sale: SaleRecord, index: int) -> ItemLine:
        fmt, line = self.formats, sale.receipt.lines[index]
        unit = sale.unit_prices.get(line.line_id)
        # The line as rung up, at its price; a manager's discount made its amount smaller.
        gross = line.amount
        if unit is not None:
            gross = max(gross, div_round(unit * line.quantity_milli, MILLI, Rounding.HALF_UP))
        adjustments = []
        if gross > line.amount:
            adjustments.append(
                ValueRow(translate("Receipt", "Manager's discount"), fmt.money(line.amount - gross))
            )
        if line.tier_discount:
            adjustments.append(
                ValueRow(translate("Receipt", "Discount"), fmt.money(-line.tier_discount))
            )
        if line.promo_discount:
            adjustments.append(
                ValueRow(translate("Receipt", "Promo"), fmt.money(-line.promo_discount))
            )
        if line.redeemed:
            adjustments.append(
                ValueRow(translate("Receipt", "Paid with bonus"), fmt.money(-line.redeemed))
            )
        return ItemLine(
            name=line.name,
            quantity=self._quantity(line.quantity_milli, unit),
            amount=fmt.money(gross),
            adjustments=tuple(adjustments),
        )

    def _quantity(self, quantity_milli: int, unit: int | None) -> str:
        whole, milli = divmod(quantity_milli, MILLI)
        count = str(whole) if not milli else f"{whole},{milli:03d}"
        return f"{count} x {self.formats.money(unit)}" if unit is not None else count

    def _totals(self, receipt: PricedReceipt) -> tuple[ValueRow, ...]:
        fmt = self.formats
        rows = [ValueRow(translate("Receipt", "Subtotal"), fmt.money(receipt.subtotal))]
        if receipt.discount_total:
            rows.append(
                ValueRow(translate("Receipt", "Discounts"), fmt.money(-receipt.discount_total))
            )
        if receipt.redeemed:
            rows.append(
                ValueRow(translate("Receipt", "Paid with bonus"), fmt.money(-receipt.redeemed))
            )
        for charge in receipt.gift_cards:
            rows.append(
                ValueRow(
                    translate("Receipt", "Gift card {card}").format(card=mask_card(charge.number)),
                    fmt.money(-charge.amount),
                    note=translate("Receipt", "left on the card: {left}").format(
                        left=fmt.money(charge.balance_after)
                    ),
                )
            )
        rows.append(
            ValueRow(translate("Receipt", "TOTAL"), fmt.money(receipt.to_pay), emphasis=True)
        )
        return tuple(rows)

    def _payment(self, payment: Payment | None) -> tuple[ValueRow, ...]:
        """What was handed over, card and cash, and the change (as the cashier gave it)."""
        if payment is None:
            return ()
        fmt, rows = self.formats, []
        for tender in payment.tenders:
            label = (
                translate("Receipt", "Cash")
                if tender.kind is TenderKind.CASH
                else translate("Receipt", "Bank card")
            )
            rows.append(ValueRow(label, fmt.money(tender.tendered)))
        if payment.change:
            rows.append(ValueRow(translate("Receipt", "Change"), fmt.money(payment.change)))
        return tuple(rows)

    def _bonus(self, receipt: PricedReceipt, balance: Balance | None) -> BonusBreakdown:
        fmt = self.formats
        earned = pending = None
        if receipt.earned:
            earned = ValueRow(translate("Receipt", "Earned"), "+" + fmt.points(receipt.earned))
        # The accrual (and a first-purchase boost) waits until its activation day; one-off
        # bonuses such as a birthday's are usable at once and already in the new balance.
        waiting = receipt.accrual + receipt.boost
        starts = receipt.accrual_activates_at
        if waiting and starts is not None and starts > receipt.priced_at:
            pending = ValueRow(
                translate("Receipt", "Pending"),
                fmt.points(waiting),
                note=translate("Receipt", "active from {date}").format(date=fmt.day(starts)),
            )
        redeemed = (
            ValueRow(translate("Receipt", "Spent"), "-" + fmt.points(receipt.redeemed))
            if receipt.redeemed
            else None
        )
        expiring = None
        if receipt.expiring_soon:
            soonest = receipt.expiring_soon[0]
            expiring = ValueRow(
                translate("Receipt", "Expiring soon"),
                fmt.points(soonest.points),
                note=translate("Receipt", "on {date}").format(date=fmt.day(soonest.expires_at)),
            )
        new_balance = (
            ValueRow(
                translate("Receipt", "New balance"), fmt.points(balance.available), emphasis=True
            )
            if balance is not None
            else None
        )
        caps = [note_text(n, fmt) for n in receipt.notes if n.code in CAP_NOTES]
        return BonusBreakdown(
            title=translate("Receipt", "Bonus"),
            earned=earned,
            pending=pending,
            redeemed=redeemed,
            expiring_soon=expiring,
            new_balance=new_balance,
            cap_note="; ".join(caps),
        )

    def _survey(self, receipt_id: str, signed_url: str | None) -> QrCode | None:
        """A survey of the store's own (``survey_base_url``): that address and the receipt's
        id; else the link the till signed for the server's survey page, if it can sign."""
        if self.survey_base_url:
            payload = self.survey_base_url + receipt_id
        elif signed_url:
            payload = signed_url
        else:
            return None
        return QrCode(
            payload=payload,
            caption=translate("Receipt", "Rate your cashier: scan the code"),
        )

    # -- a return ----------------------------------------------------------------------
    def _return(self, item: ReceiptToPrint, ret: ReturnRecord) -> ReceiptDocument:
        fmt, returned, sold = self.formats, ret.returned, ret.original.receipt
        details = (
            *self._details(ret.number, ret, item.cashier, ret.original.card_number),
            ValueRow(translate("Receipt", "Returned from receipt"), f"№ {ret.original.number}"),
        )
        items = []
        for line in returned.lines:
            original = sold.line(line.line_id)
            adjustments = []
            if line.bonus_restored:
                adjustments.append(
                    ValueRow(
                        translate("Receipt", "Bonus given back"),
                        "+" + fmt.points(line.bonus_restored),
                    )
                )
            taken = line.accrual_reversed + line.boost_reversed
            if taken:
                adjustments.append(
                    ValueRow(translate("Receipt", "Bonus taken back"), "-" + fmt.points(taken))
                )
            items.append(
                ItemLine(
                    name=original.name,
                    quantity=self._quantity(line.quantity_milli, None),
                    amount=fmt.money(-line.refund),
                    adjustments=tuple(adjustments),
                )
            )
        numbers = {c.gift_card_id: c.number for c in sold.gift_cards}
        totals = [
            ValueRow(
                translate("Receipt", "Back to gift card {card}").format(
                    card=mask_card(numbers.get(g.gift_card_id, ""))
                ),
                fmt.money(g.amount),
            )
            for g in returned.gift_cards
        ]
        totals.append(
            ValueRow(translate("Receipt", "REFUND"), fmt.money(returned.cash_refund), emphasis=True)
        )
        totals.extend(self._payment(ret.refund))  # how it went back: the card, cash
        bonus = None
        if ret.original.customer_id is not None:
            bonus = BonusBreakdown(
                title=translate("Receipt", "Bonus"),
                new_balance=(
                    ValueRow(
                        translate("Receipt", "New balance"),
                        fmt.points(item.balance.available),
                        emphasis=True,
                    )
                    if item.balance is not None
                    else None
                ),
                cap_note=(
                    translate("Receipt", "Owed from bonus already spent: {points}").format(
                        points=fmt.points(returned.debt_added)
                    )
                    if returned.debt_added
                    else ""
                ),
            )
        return ReceiptDocument(
            header=StoreHeader(name=item.store_name) if item.store_name else None,
            title=translate("Receipt", "Return receipt")
            + (" - " + translate("Receipt", "COPY") if item.copy else ""),
            details=details,
            items=tuple(items),
            totals=tuple(totals),
            bonus=bonus,
            footer=(),
            open_drawer=item.open_drawer,
        )

    # -- a loyalty card ----------------------------------------------------------------
    def _card(self, item: ReceiptToPrint, card: CardToPrint) -> ReceiptDocument:
        rows = (
            [ValueRow(translate("Receipt", "Phone"), card.masked_phone)]
            if card.masked_phone
            else []
        )
        if card.customer_name:
            rows.insert(0, ValueRow(translate("Receipt", "Name"), card.customer_name))
        return ReceiptDocument(
            header=StoreHeader(name=item.store_name) if item.store_name else None,
            title=translate("Receipt", "Loyalty card"),
            details=tuple(rows),
            footer=(
                translate("Receipt", "Show this code at the till to collect and spend bonus."),
            ),
            qr=QrCode(payload=card.number, caption=card.number),
        )
