"""A cashier's shift: opened with a float of cash, closed with the cash counted in the drawer.

Between the two, the till's sales and returns add up to the shift's totals (``ShiftTotals``).
The cash that should be in the drawer is the float plus the cash the sales kept less the
cash the returns handed back (``expected_cash``); the difference is what was counted less
that. The X report is the totals at any moment of an open shift; the Z report the totals at
its close, with the count. The server checks a closed shift's arithmetic with ``check_close``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from loyalty_core.errors import DomainError


class ShiftAlreadyOpenError(DomainError):
    code = "shift.already_open"
    template = "Shift No. {number} is already open at this till."


class NoOpenShiftError(DomainError):
    code = "shift.not_open"
    template = "No shift is open at this till: open one first."


class CloseNotAllowedError(DomainError):
    code = "shift.close_not_allowed"
    template = "Only a senior cashier or a manager closes the shift."


class NegativeCashError(DomainError):
    code = "shift.negative_cash"
    template = "An amount of cash cannot be below zero."


class ShiftMismatchError(DomainError):
    code = "shift.mismatch"
    template = "The shift's report does not add up: {problem}."


@dataclass(frozen=True, slots=True)
class ShiftTotals:
    """What a shift's sales and returns add up to; money in minor units, bonus in points."""

    sales: int = 0  # receipts sold
    sales_total: int = 0  # taken in money: cash kept and bank card
    returns: int = 0  # return receipts
    returns_total: int = 0  # money given back: cash and bank card
    cash_in: int = 0  # what sales kept in cash (the change already given back)
    card_in: int = 0  # paid by bank card
    cash_out: int = 0  # returns' cash handed back
    card_out: int = 0  # returns put back on the bank card
    bonus_accrued: int = 0  # points earned by the shift's sales (pending or active)
    bonus_redeemed: int = 0  # points spent in the shift's sales
    cards_registered: int = 0  # customers who joined at this till in the shift
    questionnaires: int = 0  # questionnaires completed at this till in the shift

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ShiftMismatchError(problem=f"{f.name} is below zero")

    @property
    def net_total(self) -> int:
        return self.sales_total - self.returns_total


def expected_cash(float_cash: int, totals: ShiftTotals) -> int:
    """The cash that should be in the drawer: the float, plus sales' cash, less refunds."""
    return float_cash + totals.cash_in - totals.cash_out


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """An X report (``counted`` None: the shift is open) or a Z report (closed, counted)."""

    shift_id: str
    number: int
    opened_at: datetime
    opened_by: str
    float_cash: int
    totals: ShiftTotals
    at: datetime  # when the report was taken (the close, for a Z report)
    counted: int | None = None

    @property
    def expected(self) -> int:
        return expected_cash(self.float_cash, self.totals)

    @property
    def difference(self) -> int | None:
        """Counted less expected: below zero the drawer is short, above it is over."""
        return None if self.counted is None else self.counted - self.expected

    @property
    def closing(self) -> bool:
        return self.counted is not None


def check_cash(amount: int) -> None:
    if amount < 0:
        raise NegativeCashError()


def check_close(float_cash: int, totals: ShiftTotals, expected: int, counted: int) -> None:
    """Refuse a closed shift whose expected cash is not the float plus cash in less cash out."""
    check_cash(float_cash)
    check_cash(counted)
    if totals.sales_total != totals.cash_in + totals.card_in:
        raise ShiftMismatchError(problem="the sales' total is not their cash and card")
    if totals.returns_total != totals.cash_out + totals.card_out:
        raise ShiftMismatchError(problem="the returns' total is not their cash and card")
    if expected != expected_cash(float_cash, totals):
        raise ShiftMismatchError(
            problem=f"{expected} expected in the drawer, "
            f"{expected_cash(float_cash, totals)} by the totals"
        )
