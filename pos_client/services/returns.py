"""Returns by receipt and line, priced by the loyalty engine and committed like a sale.

The return, its ledger entries (accrual taken back, redeemed bonus restored, debt
when the customer already spent what is taken back) and its outbox event are
written in one transaction. Returning more than was sold, or the same items
twice, is refused by the engine from what earlier returns already took back.
"""

from __future__ import annotations

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from loyalty_core.returns import price_return
from loyalty_core.staff import Role
from loyalty_core.wire.events import (
    GiftCardRefundV1,
    ReturnDocumentV1,
    ReturnedLineV1,
    SaleReturnedV1,
    dump,
)
from loyalty_core.wire.ledger import entries_of
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.records import ReturnRecord, SaleRecord
from pos_client.services.context import TillContext
from pos_client.services.messages import CompletedReturn, ReturnRequest
from pos_client.services.printing import queue_receipt
from pos_client.services.rules import active_rules
from pos_client.services.wallets import WalletCache


class SaleNotFoundError(DomainError):
    code = "return.sale_not_found"
    template = "No sale with receipt number {number} on this till."


class ApprovalNotManagerError(DomainError):
    code = "return.approval_not_manager"
    template = "Only a manager can approve a late return."


def find_sale(number: int, uow: SqliteUnitOfWork) -> SaleRecord:
    with uow:
        sale = uow.sales.by_number(number)
    if sale is None:
        raise SaleNotFoundError(number=number)
    return sale


def return_items(
    req: ReturnRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> CompletedReturn:
    now = ctx.clock()
    with uow:
        sale = uow.sales.by_number(req.receipt_number)
        if sale is None:
            raise SaleNotFoundError(number=req.receipt_number)
        if req.approved_by is not None:
            approver = uow.staff.get(req.approved_by)
            if approver is None or approver.role is not Role.MANAGER:
                raise ApprovalNotManagerError()
        rules = uow.rules.get(sale.receipt.rules_version) or active_rules(uow)
        wallet = referrer_wallet = None
        if sale.customer_id is not None:
            wallet = wallets.get(sale.customer_id, uow)
            customer = uow.customers.get(sale.customer_id)
            if customer is not None and customer.referrer_id is not None:
                referrer_wallet = wallets.get(customer.referrer_id, uow)
        return_id = new_id()
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
            late_approved=req.approved_by is not None,
        )
        record = ReturnRecord(
            id=return_id,
            number=uow.sales.next_number(),
            created_at=now,
            till_id=ctx.till_id,
            staff_id=req.staff_id,
            original=sale,
            returned=priced,
            approved_by=req.approved_by,
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
        uow.sales.add_return(record, dump(document))
        entries = list(priced.entries)
        uow.ledger.add(entries)
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind=SaleReturnedV1.KIND,
                aggregate_id=return_id,
                payload=dump(
                    SaleReturnedV1(
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
                    )
                ),
                created_at=now,
            )
        )
        queue_receipt(uow, ctx, return_id, now)
        uow.commit()
    balance = wallets.balance_after(entries, sale.customer_id, uow, now)
    return CompletedReturn(return_id, record.number, now, sale, priced, balance)
