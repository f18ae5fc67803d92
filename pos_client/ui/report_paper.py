"""A shift's X or Z report as paper: the same document prints and shows on screen."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from hardware.receipt import ReceiptDocument, StoreHeader, ValueRow
from loyalty_core.shifts import ShiftReport
from pos_client.ui.formatting import Formats

translate = QCoreApplication.translate


def report_document(
    report: ShiftReport, fmt: Formats, store_name: str = "", opened_by: str = ""
) -> ReceiptDocument:
    t = report.totals

    def when(moment: datetime) -> str:
        return fmt.local(moment).strftime("%d.%m.%Y %H:%M")

    title = (
        translate("Report", "Z report: shift closed")
        if report.closing
        else translate("Report", "X report")
    )
    details = [
        ValueRow(
            translate("Report", "Shift"),
            translate("Report", "No. {number}").format(number=report.number),  # as the heading
        ),
        ValueRow(translate("Report", "Opened"), when(report.opened_at)),
    ]
    if opened_by:
        details.append(ValueRow(translate("Report", "Opened by"), opened_by))
    details.append(
        ValueRow(
            translate("Report", "Closed") if report.closing else translate("Report", "At"),
            when(report.at),
        )
    )
    rows = [
        ValueRow(translate("Report", "Sales"), str(t.sales)),
        ValueRow(translate("Report", "Taken in cash"), fmt.money(t.cash_in)),
        ValueRow(translate("Report", "Taken by bank card"), fmt.money(t.card_in)),
        ValueRow(translate("Report", "Returns"), str(t.returns)),
        ValueRow(translate("Report", "Cash given back"), fmt.money(t.cash_out)),
        ValueRow(translate("Report", "Given back to bank cards"), fmt.money(t.card_out)),
        ValueRow(translate("Report", "Revenue"), fmt.money(t.net_total), emphasis=True),
        ValueRow(translate("Report", "Bonus accrued"), fmt.points(t.bonus_accrued)),
        ValueRow(translate("Report", "Bonus redeemed"), fmt.points(t.bonus_redeemed)),
        ValueRow(translate("Report", "Cards registered"), str(t.cards_registered)),
        ValueRow(translate("Report", "Questionnaires completed"), str(t.questionnaires)),
        ValueRow(translate("Report", "Float"), fmt.money(report.float_cash)),
        ValueRow(translate("Report", "Cash expected"), fmt.money(report.expected), emphasis=True),
    ]
    if report.counted is not None and report.difference is not None:
        rows.append(ValueRow(translate("Report", "Cash counted"), fmt.money(report.counted)))
        sign = "+" if report.difference > 0 else ""
        rows.append(
            ValueRow(translate("Report", "Difference"), sign + fmt.money(report.difference))
        )
    return ReceiptDocument(
        header=StoreHeader(name=store_name) if store_name else None,
        title=title,
        details=tuple(details),
        totals=tuple(rows),
    )
