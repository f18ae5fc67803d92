"""How a check is paid: cash (with change), a bank card, or both.

What the loyalty engine leaves due (``PricedReceipt.to_pay``: after discounts, bonus and
gift cards) is settled by tenders. A card pays exactly what it is charged; cash may be
more than its share, and the difference is the change. The till settles a payment with
``settle``; the server checks the tenders it receives with ``Payment.check``.

A return gives money back the way it came (``refund_by_tender``): to the bank card first, up
to what the card paid less what earlier returns of the sale put back on it, and the rest in
cash. A card purchase is never turned into cash while the card can take the refund.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from loyalty_core.errors import DomainError


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"  # a bank card through the terminal; it never gives change


class NegativeTenderError(DomainError):
    code = "payment.negative"
    template = "An amount paid cannot be below zero."


class CardAboveTotalError(DomainError):
    code = "payment.card_above_total"
    template = "The card cannot pay {card}: only {to_pay} is due."


class CashShortError(DomainError):
    code = "payment.cash_short"
    template = "{short} more is needed: {due} is due in cash, {tendered} was given."


class CashNotNeededError(DomainError):
    code = "payment.cash_not_needed"
    template = "Nothing is left to pay in cash; clear the cash amount."


class PaymentMismatchError(DomainError):
    code = "payment.mismatch"
    template = "The payment does not settle the check: {problem}."


@dataclass(frozen=True, slots=True)
class Tender:
    kind: TenderKind
    amount: int  # what this tender pays of the check, in minor units
    tendered: int  # what the customer handed over: cash may be more; a card is exactly it

    @property
    def change(self) -> int:
        return self.tendered - self.amount


@dataclass(frozen=True, slots=True)
class Payment:
    tenders: tuple[Tender, ...]

    @property
    def change(self) -> int:
        """What the cashier hands back (only cash gives change)."""
        return sum(t.change for t in self.tenders)

    def paid_by(self, kind: TenderKind) -> int:
        return sum(t.amount for t in self.tenders if t.kind is kind)

    @property
    def takes_cash(self) -> bool:
        """Cash changes hands: the drawer opens."""
        return any(t.kind is TenderKind.CASH and t.tendered > 0 for t in self.tenders)

    def check(self, to_pay: int) -> None:
        """Refuse tenders that do not pay exactly ``to_pay`` the way ``settle`` would."""
        kinds = [t.kind for t in self.tenders]
        problem = None
        if len(set(kinds)) != len(kinds):
            problem = "a kind of tender appears twice"
        elif any(t.amount <= 0 or t.tendered < t.amount for t in self.tenders):
            problem = "a tender pays nothing, or less was handed over than it pays"
        elif any(t.kind is TenderKind.CARD and t.change for t in self.tenders):
            problem = "a card gave change"
        elif sum(t.amount for t in self.tenders) != to_pay:
            paid = sum(t.amount for t in self.tenders)
            problem = f"the tenders pay {paid}, {to_pay} is due"
        if problem is not None:
            raise PaymentMismatchError(problem=problem)


def settle(to_pay: int, *, card: int = 0, cash_tendered: int | None = None) -> Payment:
    """The tenders for ``to_pay``: ``card`` on the bank card, the rest in cash.

    ``cash_tendered`` is what the customer handed over; None means the exact amount.
    """
    if card < 0 or (cash_tendered is not None and cash_tendered < 0):
        raise NegativeTenderError()
    if card > to_pay:
        raise CardAboveTotalError(card=card, to_pay=to_pay)
    cash_due = to_pay - card
    tendered = cash_due if cash_tendered is None else cash_tendered
    if tendered < cash_due:
        raise CashShortError(short=cash_due - tendered, due=cash_due, tendered=tendered)
    if cash_due == 0 and tendered > 0:
        raise CashNotNeededError()
    tenders = []
    if card:
        tenders.append(Tender(TenderKind.CARD, card, card))
    if cash_due:
        tenders.append(Tender(TenderKind.CASH, cash_due, tendered))
    return Payment(tuple(tenders))


class RefundMismatchError(DomainError):
    code = "payment.refund_mismatch"
    template = "The refund does not go back the way the sale was paid: {problem}."


def refund_by_tender(paid: Payment | None, refunded: Iterable[Payment], amount: int) -> Payment:
    """How ``amount`` of money goes back for a return of a sale paid with ``paid``.

    ``refunded`` are the earlier returns' refunds of the same sale. A sale whose tenders were
    not recorded (``paid`` None) is refunded in cash. Each refund tender hands over exactly
    what it pays back; nothing to give back is no tender at all.
    """
    if amount < 0:
        raise NegativeTenderError()
    card_left = 0
    if paid is not None:
        card_back = sum(r.paid_by(TenderKind.CARD) for r in refunded)
        card_left = max(0, paid.paid_by(TenderKind.CARD) - card_back)
    card = min(card_left, amount)
    cash = amount - card
    tenders = []
    if card:
        tenders.append(Tender(TenderKind.CARD, card, card))
    if cash:
        tenders.append(Tender(TenderKind.CASH, cash, cash))
    return Payment(tuple(tenders))


def check_refund(
    refund: Payment, paid: Payment | None, refunded: Iterable[Payment], amount: int
) -> None:
    """Refuse a return's refund that is not the one ``refund_by_tender`` gives."""
    expected = refund_by_tender(paid, refunded, amount)
    if refund != expected:

        def said(p: Payment) -> str:
            return ", ".join(f"{t.kind} {t.amount}" for t in p.tenders) or "nothing"

        raise RefundMismatchError(problem=f"{said(refund)} given, {said(expected)} due")
