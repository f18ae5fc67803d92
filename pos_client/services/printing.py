"""The print queue's handlers: what the print worker prints next, and what came of it.

A receipt's job is written in its sale's (or its return's) transaction (``queue_receipt``);
the worker (``pos_client.print_runner``) takes the oldest waiting job with what its receipt
says (``next_to_print``), has the UI compose the document, prints it on the IO lane, then
records ``printed`` or ``failed``. A failed job stays first in the queue and is tried again
until the printer takes it whole, across restarts: a job printed while the till crashed
before it could record that is the only one that can come out twice.
"""

from __future__ import annotations

from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ledger import LedgerEntry
from loyalty_core.phone import mask_phone
from loyalty_core.wallet import Balance, project
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.records import PrintJob, PrintKind, SaleRecord
from pos_client.services.context import TillContext
from pos_client.services.enrollment import STORE_NAME_KEY
from pos_client.services.messages import CardToPrint, QueueState, ReceiptToPrint
from pos_client.services.rules import active_rules
from pos_client.services.shift_reports import x_report, z_report
from pos_client.services.survey_links import survey_link


class NothingToReprintError(DomainError):
    code = "print.nothing_to_reprint"
    template = "No receipt has been printed at this till yet."


class UnknownReceiptError(DomainError):
    code = "print.unknown_receipt"
    template = "No sale or return {sale_id} at this till."


class PrinterMissingError(DomainError):
    code = "print.no_printer"
    template = "No receipt printer is set up at this till."


def queue_receipt(
    uow: SqliteUnitOfWork, ctx: TillContext, sale_id: str, at: datetime, *, cash: bool = False
) -> None:
    """In the sale's or the return's own transaction: queue its receipt, if this till prints."""
    if ctx.prints_receipts:
        uow.print_jobs.add(PrintKind.RECEIPT, created_at=at, sale_id=sale_id, open_drawer=cash)


def queue_report(uow: SqliteUnitOfWork, ctx: TillContext, shift_id: str, at: datetime) -> None:
    """A shift's report for the printer (the Z report in the close's own transaction)."""
    if ctx.prints_receipts:
        uow.print_jobs.add(PrintKind.REPORT, created_at=at, shift_id=shift_id)


def queue_card(uow: SqliteUnitOfWork, ctx: TillContext, card_number: str, at: datetime) -> None:
    """In the registration's or the reissue's own transaction: print the new card."""
    if ctx.prints_receipts:
        uow.print_jobs.add(PrintKind.CARD, created_at=at, card_number=card_number)


def reprint(uow: SqliteUnitOfWork, ctx: TillContext, sale_id: str | None = None) -> int:
    """Queue a copy of a sale's or a return's receipt (the newest one when ``sale_id`` is
    None); returns the job's id."""
    if not ctx.prints_receipts:
        raise PrinterMissingError()
    with uow:
        target = sale_id or uow.sales.last_id()
        if target is None:
            raise NothingToReprintError()
        if uow.sales.get(target) is None and uow.sales.return_record(target) is None:
            raise UnknownReceiptError(sale_id=target)
        job_id = uow.print_jobs.add(PrintKind.REPRINT, created_at=ctx.clock(), sale_id=target)
        uow.commit()
    return job_id


def print_card(uow: SqliteUnitOfWork, ctx: TillContext, card_number: str) -> int:
    """Queue a loyalty card's print (its QR and the owner's masked phone)."""
    if not ctx.prints_receipts:
        raise PrinterMissingError()
    with uow:
        job_id = uow.print_jobs.add(PrintKind.CARD, created_at=ctx.clock(), card_number=card_number)
        uow.commit()
    return job_id


def next_to_print(uow: SqliteUnitOfWork, ctx: TillContext) -> ReceiptToPrint | None:
    """The oldest waiting job and what it prints (None: the queue is empty)."""
    with uow:
        job = uow.print_jobs.next_waiting()
        if job is None:
            return None
        store = uow.state.get(STORE_NAME_KEY) or ""
        if job.kind is PrintKind.CARD:
            return _card(uow, job, store)
        if job.kind is PrintKind.REPORT:
            return _report(uow, job, store, ctx.till_id)
        return _receipt(uow, job, store)


def receipt_to_show(uow: SqliteUnitOfWork, sale_id: str | None = None) -> ReceiptToPrint:
    """A sale's or a return's paper for the screen (the newest when ``sale_id`` is None),
    printer or not; nothing is queued."""
    with uow:
        target = sale_id or uow.sales.last_id()
        if target is None:
            raise NothingToReprintError()
        sale = uow.sales.get(target)
        returned = None if sale is not None else uow.sales.return_record(target)
        if returned is not None:
            at = returned.created_at
        elif sale is not None:
            at = sale.created_at
        else:
            raise UnknownReceiptError(sale_id=target)
        preview = PrintJob(id=0, kind=PrintKind.RECEIPT, created_at=at, sale_id=target)
        return _receipt(uow, preview, uow.state.get(STORE_NAME_KEY) or "")


def _receipt(uow: SqliteUnitOfWork, job: PrintJob, store: str) -> ReceiptToPrint:
    assert job.sale_id is not None
    sale = uow.sales.get(job.sale_id)
    returned = None
    if sale is not None:
        record, staff_id, at = sale, sale.staff_id, sale.created_at
    else:
        returned = uow.sales.return_record(job.sale_id)
        if returned is None:  # cannot happen: the job was written with its sale
            raise UnknownReceiptError(sale_id=job.sale_id)
        record, staff_id, at = returned.original, returned.staff_id, returned.created_at
    staff = uow.staff.get(staff_id)
    balance = None
    if record.customer_id is not None:
        balance = _balance_at(uow.ledger.of_customer(record.customer_id), record, at)
    rules = uow.rules.get(record.receipt.rules_version) or active_rules(uow)
    link = survey_link(uow, sale.id, sale.staff_id, sale.created_at) if sale else None
    return ReceiptToPrint(
        job=job,
        store_name=store,
        cashier=staff.name if staff else "",
        sale=sale,
        returned=returned,
        balance=balance,
        currency=rules.currency.as_currency(),
        zone=rules.zone,
        survey_url=link.url if link else None,
    )


def _report(uow: SqliteUnitOfWork, job: PrintJob, store: str, till_id: str) -> ReceiptToPrint:
    """A shift's report: the Z report kept at the close, or the X report as it stood when
    the cashier asked for it."""
    assert job.shift_id is not None
    shift = uow.shifts.get(job.shift_id)
    if shift is None:  # cannot happen: the job was written with its shift
        raise UnknownReceiptError(sale_id=job.shift_id)
    if shift.report_json is not None:
        report = z_report(shift)
    else:
        report = x_report(uow, shift, till_id, job.created_at)
    staff = uow.staff.get(shift.opened_by)
    rules = active_rules(uow)
    return ReceiptToPrint(
        job=job,
        store_name=store,
        cashier=staff.name if staff else "",
        report=report,
        currency=rules.currency.as_currency(),
        zone=rules.zone,
    )


def _card(uow: SqliteUnitOfWork, job: PrintJob, store: str) -> ReceiptToPrint:
    assert job.card_number is not None
    card = uow.customers.card(job.card_number)
    customer = uow.customers.get(card.customer_id) if card else None
    return ReceiptToPrint(
        job=job,
        store_name=store,
        cashier="",
        card=CardToPrint(
            number=job.card_number,
            masked_phone=mask_phone(customer.phone) if customer else "",
            customer_name=customer.name if customer else None,
        ),
    )


def _balance_at(entries: list[LedgerEntry], record: SaleRecord, at: datetime) -> Balance:
    assert record.customer_id is not None
    then = [e for e in entries if e.occurred_at <= at]
    return project(record.customer_id, then).balance(at)


def printed(uow: SqliteUnitOfWork, ctx: TillContext, job_id: int) -> None:
    with uow:
        uow.print_jobs.printed(job_id, at=ctx.clock())
        uow.commit()


def unconfirmed(uow: SqliteUnitOfWork, ctx: TillContext, job_id: int, reason: str) -> None:
    """The printer took the whole job but did not confirm it: it counts as printed (sending
    it again could print it twice), with why; the cashier checks and reprints if need be."""
    with uow:
        uow.print_jobs.printed(job_id, at=ctx.clock(), note=reason)
        uow.commit()


def set_aside(uow: SqliteUnitOfWork, ctx: TillContext, job_id: int, reason: str) -> None:
    """A job that can never print (its paper cannot be laid out) leaves the queue, with why."""
    with uow:
        uow.print_jobs.set_aside(job_id, reason, at=ctx.clock())
        uow.commit()


def failed(uow: SqliteUnitOfWork, job_id: int, reason: str) -> None:
    with uow:
        uow.print_jobs.failed(job_id, reason)
        uow.commit()


def queue_state(uow: SqliteUnitOfWork) -> QueueState:
    with uow:
        oldest = uow.print_jobs.next_waiting()
        return QueueState(
            waiting=uow.print_jobs.waiting_count(),
            oldest_at=oldest.created_at if oldest else None,
            last_error=oldest.last_error if oldest else None,
        )
