"""Returns by receipt and line, priced by the loyalty engine and committed like a sale.

The return, its ledger entries (accrual taken back, redeemed bonus restored, debt
when the customer already spent what is taken back), how the money goes back
(``refund_by_tender``: the card first, then cash) and its outbox event are written in one
transaction. A refund above the till's ``return_limit`` needs a manager's approval.
Returning more than was sold, or the same items twice, is refused by the engine from what
earlier returns already took back.
"""

from __future__ import annotations

from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from loyalty_core.payment import Payment, refund_by_tender
from loyalty_core.returns import PricedReturn, past_window, price_return
from loyalty_core.rules import LoyaltyRules
from loyalty_core.staff import Capability, may
from loyalty_core.wire.events import (
    GiftCardRefundV1,
    ReturnDocumentV1,
    ReturnedLineV1,
    SaleReturnedV2,
    dump,
    tenders_of,
)
from loyalty_core.wire.ledger import entries_of
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.records import ReturnRecord, SaleRecord
from pos_client.services.context import TillContext
from pos_client.services.messages import CompletedReturn, ReturnQuote, ReturnRequest
from pos_client.services.overrides import record_override
from pos_client.services.printing import queue_receipt
from pos_client.services.rules import active_rules
from pos_client.services.shifts import open_shift_of
from pos_client.services.wallets import WalletCache


class SaleNotFoundError(DomainError):
    code = "return.sale_not_found"
    template = "No sale with receipt number {number} on this till."


class ReturnNeedsManagerError(DomainError):
    code = "return.needs_manager"
    template = "A refund of {refund} is above this till's limit of {limit}: a manager's PIN."


class ApprovalReasonMissingError(DomainError):
    code = "return.approval_reason_missing"
    template = "Say why the manager allows this return: the audit log keeps the reason."


class ApprovalNotManagerError(DomainError):
    code = "return.approval_not_manager"
    template = "Only a manager can approve a late return."


def find_sale(number: int, uow: SqliteUnitOfWork) -> SaleRecord:
    with uow:
        sale = uow.sales.by_number(number)
    if sale is None:
        raise SaleNotFoundError(number=number)
    return sale


def returned_quantities(sale_id: str, uow: SqliteUnitOfWork) -> dict[str, int]:
    """Line id -> thousandths earlier returns took back (what is left to return)."""
    with uow:
        return uow.sales.returned_quantities(sale_id)


def _sale(req: ReturnRequest, uow: SqliteUnitOfWork) -> SaleRecord:
    sale = uow.sales.by_number(req.receipt_number)
    if sale is None:
        raise SaleNotFoundError(number=req.receipt_number)
    return sale


def _rules(sale: SaleRecord, uow: SqliteUnitOfWork) -> LoyaltyRules:
    """The rules the sale was priced by (a return undoes exactly what they did)."""
    return uow.rules.get(sale.receipt.rules_version) or active_rules(uow)


def _priced(
    req: ReturnRequest,
    sale: SaleRecord,
    rules: LoyaltyRules,
    uow: SqliteUnitOfWork,
    ctx: TillContext,
    wallets: WalletCache,
    return_id: str,
    now: datetime,
    *,
    late_approved: bool = False,
) -> tuple[PricedReturn, Payment]:
    """The return of ``sale`` priced by ``rules`` and its refund by tender, inside ``uow``."""
    if req.approved_by is not None:
        approver = uow.staff.get(req.approved_by)
        if approver is None or not may(approver.role, Capability.APPROVE):
            raise ApprovalNotManagerError()
    wallet = referrer_wallet = None
    if sale.customer_id is not None:
        wallet = wallets.get(sale.customer_id, uow)
        customer = uow.customers.get(sale.customer_id)
        if customer is not None and customer.referrer_id is not None:
            referrer_wallet = wallets.get(customer.referrer_id, uow)
    priced = price_return(
        rules,
        sale.receipt,
        req.quantities,
        sale_id=sale.id,
        return_id=return_id,
        till_id=ctx.till_id,
        now=now,
        already_returned=uow.sales.returned_quantities(sale.id),
        wallet=wallet,
        referrer_wallet=referrer_wallet,
        late_approved=late_approved or req.approved_by is not None,
    )
    refund = refund_by_tender(sale.payment, uow.sales.refunds_of(sale.id), priced.cash_refund)
    return priced, refund


def _above_limit(priced: PricedReturn, ctx: TillContext) -> bool:
    return ctx.return_limit is not None and priced.refund > ctx.return_limit


def quote_return(
    req: ReturnRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> ReturnQuote:
    """What the return would give back and do to the bonus; nothing is written. A return
    past the sale's window is priced as if approved, and says it needs a manager."""
    now = ctx.clock()
    with uow:
        sale = _sale(req, uow)
        rules = _rules(sale, uow)
        late = past_window(rules, sale.receipt, now)
        priced, refund = _priced(
            req, sale, rules, uow, ctx, wallets, new_id(), now, late_approved=late
        )
    needs_manager = req.approved_by is None and (late or _above_limit(priced, ctx))
    return ReturnQuote(sale, priced, refund, needs_manager)


def return_items(
    req: ReturnRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> CompletedReturn:
    now = ctx.clock()
    with uow:
        shift = open_shift_of(uow)
        return_id = new_id()
        sale = _sale(req, uow)
        rules = _rules(sale, uow)
        priced, refund = _priced(req, sale, rules, uow, ctx, wallets, return_id, now)
        if req.approved_by is None and _above_limit(priced, ctx):
            raise ReturnNeedsManagerError(refund=priced.refund, limit=ctx.return_limit)
        if req.approved_by is not None and not req.approval_reason.strip():
            raise ApprovalReasonMissingError()
        record = ReturnRecord(
            id=return_id,
            number=uow.sales.next_number(),
            created_at=now,
            till_id=ctx.till_id,
            staff_id=req.staff_id,
            original=sale,
            returned=priced,
            approved_by=req.approved_by,
            refund=refund,
        )
        document = ReturnDocumentV1(
            lines=[ReturnedLineV1.model_validate(ln, from_attributes=True) for ln in priced.lines],
            gift_cards=[
                GiftCardRefundV1.model_validate(g, from_attributes=True) for g in priced.gift_cards
            ],
            complete=priced.complete,
            debt_added=priced.debt_added,
            notes=[(n.code, dict(n.params)) for n in priced.notes],
            approved_by=req.approved_by,
        )
        uow.sales.add_return(record, dump(document), shift.id)
        entries = list(priced.entries)
        uow.ledger.add(entries)
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind=SaleReturnedV2.KIND,
                aggregate_id=return_id,
                payload=dump(
                    SaleReturnedV2(
                        return_id=return_id,
                        number=record.number,
                        sale_id=sale.id,
                        till_id=ctx.till_id,
                        staff_id=req.staff_id,
                        approved_by=req.approved_by,
                        created_at=now,
                        quantities=dict(req.quantities),
                        document=document,
                        entries=entries_of(entries),
                        refunds=tenders_of(refund),
                    )
                ),
                created_at=now,
            )
        )
        if req.approved_by is not None:
            late = past_window(rules, sale.receipt, now)
            record_override(
                uow,
                ctx,
                manager_id=req.approved_by,
                staff_id=req.staff_id,
                action="late_return" if late else "return_above_limit",
                subject_id=return_id,
                amount=priced.refund,
                reason=req.approval_reason,
                at=now,
            )
        queue_receipt(uow, ctx, return_id, now, cash=refund.takes_cash)
        uow.commit()
    balance = wallets.balance_after(entries, sale.customer_id, uow, now)
    return CompletedReturn(return_id, record.number, now, sale, priced, balance, refund)
