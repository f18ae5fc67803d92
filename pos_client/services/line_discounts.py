"""Manual line discounts: a manager's PIN for each, checked again when the sale commits.

The discount lowers the line's amount before the loyalty engine prices it (tier discount,
promos, bonus and accrual then work on what is left, on the till and on the server alike),
and each one is an ``override.recorded`` event in the sale's own transaction: who allowed
how much off which sale, and why.
"""

from __future__ import annotations

from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.staff import Capability, may
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext
from pos_client.services.messages import CartItem
from pos_client.services.overrides import record_override


class LineDiscountInvalidError(DomainError):
    code = "discount.invalid"
    template = "A discount on {name} must be above zero and at most {gross}."


class LineDiscountNeedsManagerError(DomainError):
    code = "discount.needs_manager"
    template = "A manual discount needs a manager's PIN."


class LineDiscountNotManagerError(DomainError):
    code = "discount.not_manager"
    template = "Only a manager can allow a manual discount."


class LineDiscountReasonMissingError(DomainError):
    code = "discount.reason_missing"
    template = "Say why the manager allows this discount: the audit log keeps the reason."


def check_line_discounts(items: tuple[CartItem, ...], uow: SqliteUnitOfWork) -> None:
    """Refuse a discounted line unless its discount is in range and a manager allowed it."""
    for item in items:
        if not item.discount and item.discount_by is None:
            continue
        if not 0 < item.discount <= item.gross:
            raise LineDiscountInvalidError(name=item.name, gross=item.gross)
        if item.discount_by is None:
            raise LineDiscountNeedsManagerError()
        manager = uow.staff.get(item.discount_by)
        if manager is None or not manager.active or not may(manager.role, Capability.APPROVE):
            raise LineDiscountNotManagerError()
        if not item.discount_reason.strip():
            raise LineDiscountReasonMissingError()


def record_line_discounts(
    items: tuple[CartItem, ...],
    sale_id: str,
    staff_id: str,
    uow: SqliteUnitOfWork,
    ctx: TillContext,
    at: datetime,
) -> None:
    """One audit-log entry per discounted line, in the sale's transaction."""
    for item in items:
        if item.discount and item.discount_by is not None:
            record_override(
                uow,
                ctx,
                manager_id=item.discount_by,
                staff_id=staff_id,
                action="manual_discount",
                subject_id=sale_id,
                amount=item.discount,
                reason=f"{item.name}: {item.discount_reason}",
                at=at,
            )
