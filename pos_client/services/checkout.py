"""Checkout: price a cart with the loyalty engine and commit the sale durably.

The sale, its lines, its ledger entries and its outbox event are written in one
IMMEDIATE transaction: all of them or none. The wallet cache learns the new
entries only after the commit.
"""

from __future__ import annotations

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from loyalty_core.ledger import LedgerEntry
from loyalty_core.payment import Payment, settle
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.receipt_wire import receipt_to_wire
from loyalty_core.sale import sale_entries
from loyalty_core.wire.events import SaleCompletedV2, SaleRequestV1, dump, tenders_of
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.receipt import PricedReceiptV1
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.records import SaleRecord
from pos_client.services.context import TillContext
from pos_client.services.gift_cards import gift_card_payments
from pos_client.services.line_discounts import check_line_discounts, record_line_discounts
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale
from pos_client.services.printing import queue_receipt
from pos_client.services.redemption_policy import NO_LIMIT, redeem_limit
from pos_client.services.rules import active_rules
from pos_client.services.shifts import open_shift_of
from pos_client.services.wallets import WalletCache


class EmptyCartError(DomainError):
    code = "cart.empty"
    template = "The cart is empty."


class UnknownProductError(DomainError):
    code = "product.unknown"
    template = "No product with barcode {barcode}."


class PriceChangedError(DomainError):
    code = "checkout.price_changed"
    template = "The total changed to {total} while paying; check the receipt again."


class CustomerGoneError(DomainError):
    code = "checkout.customer_unknown"
    template = "The customer of this sale is not known at this till."


def _cart(items: tuple[CartItem, ...]) -> list[CartLine]:
    if not items:
        raise EmptyCartError()
    return [
        CartLine(
            line_id=item.line_id,
            sku=item.sku,
            name=item.name,
            quantity_milli=item.quantity_milli,
            amount=item.amount,
            category=item.category,
            flags=item.flags,
        )
        for item in items
    ]


def _price(
    req: CheckoutRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> PricedReceipt:
    rules = active_rules(uow, ctx.clock())
    customer_state = None
    if req.customer_id is not None:
        customer = uow.customers.get(req.customer_id)
        if customer is None:
            raise CustomerGoneError()
        customer_state = CustomerState(
            customer_id=customer.id,
            wallet=wallets.get(customer.id, uow),
            birthday=customer.birthday,
            referred_by=customer.referrer_id,
        )
    codes = tuple(req.promo_codes)
    limit = NO_LIMIT
    if customer_state is not None and req.redeem != 0:
        limit = redeem_limit(uow, customer_state.customer_id, req.confirmed_balance)
    return price_checkout(
        rules,
        _cart(req.items),
        now=ctx.clock(),
        customer=customer_state,
        redeem=req.redeem if customer_state else 0,
        promo_codes=codes,
        gift_cards=gift_card_payments(uow, req.gift_card_ids),
        promo_uses=uow.ledger.promo_uses(codes) if codes else {},
        redeem_limit=limit.points,
        redeem_limit_reason=limit.reason,
    )


def quote(
    req: CheckoutRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> PricedReceipt:
    """Price the cart for the screen; writes nothing."""
    with uow:
        return _price(req, uow, ctx, wallets)


def checkout(
    req: CheckoutRequest, uow: SqliteUnitOfWork, ctx: TillContext, wallets: WalletCache
) -> CompletedSale:
    """Price and commit a sale; durable (fsync'd) when this returns."""
    with uow:
        shift = open_shift_of(uow)
        check_line_discounts(req.items, uow)
        receipt = _price(req, uow, ctx, wallets)
        if req.expected_to_pay is not None and receipt.to_pay != req.expected_to_pay:
            raise PriceChangedError(total=receipt.to_pay)
        payment = settle(receipt.to_pay, card=req.card_amount, cash_tendered=req.cash_tendered)
        sale_id = new_id()
        number = uow.sales.next_number()
        entries = sale_entries(receipt, sale_id=sale_id, till_id=ctx.till_id)
        record = SaleRecord(
            id=sale_id,
            number=number,
            kind="sale",
            created_at=receipt.priced_at,
            till_id=ctx.till_id,
            staff_id=req.staff_id,
            customer_id=req.customer_id,
            card_number=req.card_number,
            receipt=receipt,
            unit_prices={it.line_id: it.unit_price for it in req.items},
            payment=payment,
        )
        receipt_doc = receipt_to_wire(receipt)
        uow.sales.add(record, receipt_doc, shift.id)
        uow.ledger.add(entries)
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind="sale.completed",
                aggregate_id=sale_id,
                payload=_sale_payload(record, receipt_doc, entries, req, payment),
                created_at=receipt.priced_at,
            )
        )
        record_line_discounts(req.items, sale_id, req.staff_id, uow, ctx, receipt.priced_at)
        queue_receipt(uow, ctx, sale_id, receipt.priced_at, cash=payment.takes_cash)
        uow.commit()
    balance = wallets.balance_after(entries, req.customer_id, uow, receipt.priced_at)
    return CompletedSale(sale_id, number, receipt.priced_at, receipt, balance, payment=payment)


def _sale_payload(
    record: SaleRecord,
    receipt_doc: dict[str, object],
    entries: list[LedgerEntry],
    req: CheckoutRequest,
    payment: Payment,
) -> dict[str, object]:
    return dump(
        SaleCompletedV2(
            sale_id=record.id,
            number=record.number,
            till_id=record.till_id,
            staff_id=record.staff_id,
            customer_id=record.customer_id,
            card_number=record.card_number,
            created_at=record.created_at,
            request=SaleRequestV1(redeem=req.redeem, promo_codes=list(req.promo_codes)),
            receipt=PricedReceiptV1.model_validate(receipt_doc),
            entries=entries_of(entries),
            tenders=tenders_of(payment),
        )
    )
