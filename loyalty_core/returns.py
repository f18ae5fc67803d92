"""Returns by receipt and line: refund money, restore bonus, take back accrual.

Every share is computed on the *cumulative* quantity returned, so several
partial returns of a line add up exactly to a full one: money, restored bonus
and reversed accrual of a fully returned receipt equal what the sale made,
never more. Buy -> return -> buy therefore cannot create points.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.money import Rounding, allocate, allocate_cumulative, div_round
from loyalty_core.notes import Note, note
from loyalty_core.pricing import GIFT_CARD_FLAG
from loyalty_core.receipt import PricedLine, PricedReceipt
from loyalty_core.rules import LoyaltyRules
from loyalty_core.sale import accrual_lot_id, bonus_lot_id, boost_lot_id
from loyalty_core.wallet import Wallet


class ReturnRefusedError(DomainError):
    code = "return.refused"
    template = "Return refused."


class UnknownReturnLineError(ReturnRefusedError):
    code = "return.unknown_line"
    template = "Line {line_id} is not on receipt {sale_id}."


class ReturnTooLargeError(ReturnRefusedError):
    code = "return.too_many"
    template = "Line {line_id}: {asked} asked back, only {left} left to return (thousandths)."


class ReturnWindowClosedError(ReturnRefusedError):
    code = "return.window_closed"
    template = "Receipt {sale_id} is older than {days} days: a manager must approve this return."


class ReturnWalletMissingError(ReturnRefusedError):
    code = "return.wallet_missing"
    template = "The customer's bonus wallet is needed to return receipt {sale_id}."


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    line_id: str
    quantity_milli: int
    refund: int  # money back for this line (cash, card or gift card)
    bonus_restored: int  # redeemed bonus given back
    accrual_reversed: int  # accrual (tier rate) taken back
    boost_reversed: int  # first-purchase boost taken back


@dataclass(frozen=True, slots=True)
class GiftCardRefund:
    gift_card_id: str
    amount: int


@dataclass(frozen=True, slots=True)
class PricedReturn:
    customer_id: str | None
    sale_id: str
    return_id: str
    lines: tuple[ReturnedLine, ...]
    gift_cards: tuple[GiftCardRefund, ...]
    complete: bool  # after this return nothing of the receipt is left
    debt_added: int  # points the customer now owes (had already spent them)
    entries: tuple[LedgerEntry, ...]
    notes: tuple[Note, ...]

    @property
    def refund(self) -> int:
        return sum(line.refund for line in self.lines)

    @property
    def gift_card_total(self) -> int:
        return sum(g.amount for g in self.gift_cards)

    @property
    def cash_refund(self) -> int:
        return self.refund - self.gift_card_total

    @property
    def bonus_restored(self) -> int:
        return sum(line.bonus_restored for line in self.lines)

    @property
    def points_taken_back(self) -> int:
        """Balance effect of the reversals (accrual, boost, referral) on this customer."""
        return -sum(
            e.points
            for e in self.entries
            if e.kind is EntryKind.REVERSAL and e.customer_id == self.customer_id
        )


def _share(value: int, part: int, whole: int) -> int:
    return div_round(value * part, whole, Rounding.HALF_UP)


def _delta(value: int, line: PricedLine, before: int, after: int) -> int:
    """This return's slice of ``value``: the cumulative share after minus before."""
    q = line.quantity_milli
    return _share(value, after, q) - _share(value, before, q)


def past_window(rules: LoyaltyRules, receipt: PricedReceipt, now: datetime) -> bool:
    """The receipt is older than ``returns.window_days``: only a manager approves its return."""
    days = rules.returns.window_days
    return now >= rules.day_start_after(receipt.priced_at, days + 1)


def price_return(
    rules: LoyaltyRules,
    receipt: PricedReceipt,
    quantities: Mapping[str, int],
    *,
    sale_id: str,
    return_id: str,
    till_id: str,
    now: datetime,
    already_returned: Mapping[str, int] | None = None,
    wallet: Wallet | None = None,
    referrer_wallet: Wallet | None = None,
    late_approved: bool = False,
) -> PricedReturn:
    """Price a return of ``quantities`` (line id -> thousandths) of a sold receipt.

    ``already_returned`` is what earlier returns of this receipt took back;
    ``wallet`` is the customer's current wallet (required for a loyalty sale);
    ``referrer_wallet`` lets the referrer's bonus reversal be priced exactly;
    ``late_approved`` records a manager's approval past ``returns.window_days``.
    Bonus restored and accrual taken back never exceed what the wallet says is
    left of the sale: a return ``already_returned`` does not count (the receipt
    returned at another till offline) restores and reverses only the rest, and
    says so (note ``return.already_returned``); the money refund is priced as asked.
    Raises ``ReturnRefusedError`` subclasses for a line that is not on the
    receipt, more than is left of it, or a receipt past the return window.
    """
    if not late_approved and past_window(rules, receipt, now):
        raise ReturnWindowClosedError(sale_id=sale_id, days=rules.returns.window_days)
    before = dict(already_returned or {})
    customer = receipt.customer_id
    if customer is not None and (wallet is None or wallet.customer_id != customer):
        raise ReturnWalletMissingError(sale_id=sale_id)
    lines: list[ReturnedLine] = []
    spend_back = 0
    for line_id, qty in quantities.items():
        line = next((ln for ln in receipt.lines if ln.line_id == line_id), None)
        if line is None:
            raise UnknownReturnLineError(line_id=line_id, sale_id=sale_id)
        done = before.get(line_id, 0)
        if qty < 0 or done + qty > line.quantity_milli:
            raise ReturnTooLargeError(line_id=line_id, asked=qty, left=line.quantity_milli - done)
        if qty == 0:
            continue
        after = done + qty
        due_back = _delta(line.due, line, done, after)
        restored = _delta(line.redeemed, line, done, after)
        if not rules.returns.restore_redeemed:
            restored = 0
        lines.append(
            ReturnedLine(
                line_id=line_id,
                quantity_milli=qty,
                refund=due_back,
                bonus_restored=restored,
                accrual_reversed=_delta(line.accrual, line, done, after),
                boost_reversed=_delta(line.boost, line, done, after),
            )
        )
        if GIFT_CARD_FLAG not in line.flags:
            spend_back += due_back
    asked, lines = lines, _capped(lines, wallet, sale_id)
    after_all = {ln.line_id: before.get(ln.line_id, 0) for ln in receipt.lines}
    for line_id, qty in quantities.items():
        after_all[line_id] += qty
    complete = all(after_all[ln.line_id] == ln.quantity_milli for ln in receipt.lines)
    gift = _gift_card_refunds(receipt, before, after_all)
    builder = _ReturnEntries(
        rules=rules,
        receipt=receipt,
        sale_id=sale_id,
        return_id=return_id,
        till_id=till_id,
        now=now,
        wallet=wallet,
    )
    notes: list[Note] = []
    if customer is not None:
        builder.customer_entries(lines, spend_back, complete)
        if complete:
            builder.referrer_reversal(referrer_wallet)
        if builder.debt_added:
            notes.append(note("return.debt", debt=builder.debt_added))
        notes += _already_returned(receipt, asked, lines, builder.entries, complete)
    builder.gift_card_entries(gift)
    return PricedReturn(
        customer_id=customer,
        sale_id=sale_id,
        return_id=return_id,
        lines=tuple(lines),
        gift_cards=tuple(gift),
        complete=complete,
        debt_added=builder.debt_added,
        entries=tuple(sorted(builder.entries, key=lambda e: e.sort_key)),
        notes=tuple(notes),
    )


def _unreversed(wallet: Wallet, lot_id: str, asked: int) -> int:
    """What taking ``asked`` back from the lot can still take: its points not reversed yet.

    A lot the wallet does not hold is left to ``Wallet.reversal_effect`` to refuse.
    """
    lot = wallet.lots.get(lot_id)
    return asked if lot is None else min(asked, lot.amount - lot.reversed)


def _capped(lines: list[ReturnedLine], wallet: Wallet | None, sale_id: str) -> list[ReturnedLine]:
    """The lines with bonus restored and accrual taken back cut to what is left of the sale
    in the wallet (an earlier return of the receipt took the rest), split by largest
    remainder; unchanged when nothing was returned before (or there is no wallet)."""
    if wallet is None:
        return lines

    def cut(asked: list[int], left: int) -> list[int]:
        return allocate(min(sum(asked), left), asked)

    restored = [ln.bonus_restored for ln in lines]
    accrual = [ln.accrual_reversed for ln in lines]
    boost = [ln.boost_reversed for ln in lines]
    accrual_lot, boost_lot = accrual_lot_id(sale_id), boost_lot_id(sale_id)
    parts = zip(
        cut(restored, wallet.restorable(sale_id)),
        cut(accrual, _unreversed(wallet, accrual_lot, sum(accrual))),
        cut(boost, _unreversed(wallet, boost_lot, sum(boost))),
        strict=True,
    )
    return [
        replace(ln, bonus_restored=r, accrual_reversed=a, boost_reversed=b)
        for ln, (r, a, b) in zip(lines, parts, strict=True)
    ]


def _already_returned(
    receipt: PricedReceipt,
    asked: list[ReturnedLine],
    lines: list[ReturnedLine],
    entries: list[LedgerEntry],
    complete: bool,
) -> list[Note]:
    """``return.already_returned`` when the wallet restored or took back less than asked."""
    restore_asked = sum(ln.bonus_restored for ln in asked)
    restored = sum(ln.bonus_restored for ln in lines)
    reversal_asked = sum(ln.accrual_reversed + ln.boost_reversed for ln in asked)
    if complete:
        referred = BonusKind.REFERRAL_REFERRED.value
        reversal_asked += sum(b.points for b in receipt.bonuses if b.kind == referred)
    reversed_ = sum(
        e.amount
        for e in entries
        if e.kind is EntryKind.REVERSAL and e.customer_id == receipt.customer_id
    )
    if restored == restore_asked and reversed_ == reversal_asked:
        return []
    return [
        note(
            "return.already_returned",
            restored=restored,
            restore_asked=restore_asked,
            reversed=reversed_,
            reversal_asked=reversal_asked,
        )
    ]


def _gift_card_refunds(
    receipt: PricedReceipt, before: Mapping[str, int], after: Mapping[str, int]
) -> list[GiftCardRefund]:
    """Gift cards get back their share of the money refunded, cumulatively exact.

    A gift card cannot pay for a line that sells one, so only the other lines
    share the cards' money: returning a sold gift card refunds what paid for it.
    """
    payable = [ln for ln in receipt.lines if GIFT_CARD_FLAG not in ln.flags]
    due = sum(ln.due for ln in payable)
    if not receipt.gift_cards or not due:
        return []

    def refunded(returned: Mapping[str, int]) -> int:
        return sum(_share(ln.due, returned.get(ln.line_id, 0), ln.quantity_milli) for ln in payable)

    charges = [charge.amount for charge in receipt.gift_cards]

    def cards_back(returned: Mapping[str, int]) -> list[int]:
        # What the cards together have had back, then each card's part of it: a
        # check paid by cards alone refunds them the money exactly, never cash.
        together = div_round(sum(charges) * refunded(returned), due, Rounding.DOWN)
        return allocate_cumulative(together, charges)

    out: list[GiftCardRefund] = []
    for charge, was, now in zip(
        receipt.gift_cards, cards_back(before), cards_back(after), strict=True
    ):
        if now != was:
            out.append(GiftCardRefund(charge.gift_card_id, now - was))
    return out


class _ReturnEntries:
    """Builds the return's entries on a scratch copy of the wallet, so each
    reversal's balance effect is exactly what the projection will compute."""

    def __init__(
        self,
        *,
        rules: LoyaltyRules,
        receipt: PricedReceipt,
        sale_id: str,
        return_id: str,
        till_id: str,
        now: datetime,
        wallet: Wallet | None,
    ) -> None:
        self.rules, self.receipt = rules, receipt
        self.sale_id, self.return_id = sale_id, return_id
        self.scratch = copy.deepcopy(wallet) if wallet is not None else None
        self.debt_added = 0
        self.entries: list[LedgerEntry] = []
        self.base = LedgerEntry(
            id=return_id,
            kind=EntryKind.PURCHASE_RETURN,
            occurred_at=now,
            till_id=till_id,
            rules_version=rules.version,
            customer_id=receipt.customer_id or "-",
            sale_id=sale_id,
        )

    def _apply(self, entries: list[LedgerEntry], wallet: Wallet | None) -> None:
        for entry in sorted(entries, key=lambda e: e.sort_key):
            self.entries.append(entry)
            if wallet is not None:
                debt = wallet.debt
                wallet.apply(entry)
                if wallet is self.scratch:
                    self.debt_added += max(0, wallet.debt - debt)

    def customer_entries(self, lines: list[ReturnedLine], spend_back: int, complete: bool) -> None:
        scratch = self.scratch
        assert scratch is not None
        now = self.base.occurred_at
        restored = sum(line.bonus_restored for line in lines)
        # Credits first, as the projection applies them at one instant; then debits,
        # each priced on the wallet the credits left.
        credits = [replace(self.base, id=self._id("purchase_return"), amount=-spend_back)]
        if restored:
            expires = self.rules.day_start_after(now, self.rules.accrual.expiry_days)
            credits.append(
                replace(
                    self.base,
                    id=self._id("restore"),
                    kind=EntryKind.RESTORE,
                    points=restored,
                    activates_at=now,
                    expires_at=expires,
                )
            )
        self._apply(credits, scratch)
        reversals = [
            ("accrual", accrual_lot_id(self.sale_id), sum(ln.accrual_reversed for ln in lines)),
            ("boost", boost_lot_id(self.sale_id), sum(ln.boost_reversed for ln in lines)),
        ]
        if complete:
            kind = BonusKind.REFERRAL_REFERRED.value
            lot_id = bonus_lot_id(self.sale_id, kind)
            reversals += [
                (kind, lot_id, _unreversed(scratch, lot_id, b.points))
                for b in self.receipt.bonuses
                if b.kind == kind
            ]
        debits = [
            self._reversal(label, lot_id, amount, scratch)
            for label, lot_id, amount in reversals
            if amount
        ]
        self._apply(debits, scratch)

    def _id(self, label: str) -> str:
        return derived_id(self.return_id, label)

    def _reversal(self, label: str, lot_id: str, amount: int, wallet: Wallet | None) -> LedgerEntry:
        effect = wallet.reversal_effect(lot_id, amount) if wallet is not None else amount
        return replace(
            self.base,
            id=self._id(f"reversal:{label}"),
            kind=EntryKind.REVERSAL,
            customer_id=wallet.customer_id if wallet is not None else self.base.customer_id,
            points=-effect,
            amount=amount,
            lot_id=lot_id,
        )

    def referrer_reversal(self, referrer_wallet: Wallet | None) -> None:
        """A fully returned first purchase also takes back the referrer's bonus.

        Without the referrer's wallet the entry claims the whole bonus; the
        referrer's projection still computes the true effect from the lot.
        """
        kind = BonusKind.REFERRAL_REFERRER.value
        for bonus in self.receipt.bonuses:
            if bonus.kind != kind:
                continue
            wallet = copy.deepcopy(referrer_wallet) if referrer_wallet is not None else None
            lot_id = bonus_lot_id(self.sale_id, kind)
            points = bonus.points if wallet is None else _unreversed(wallet, lot_id, bonus.points)
            if points:
                entry = self._reversal(kind, lot_id, points, wallet)
                self._apply([replace(entry, customer_id=bonus.customer_id)], wallet)

    def gift_card_entries(self, refunds: list[GiftCardRefund]) -> None:
        self.entries.extend(
            replace(
                self.base,
                id=self._id(f"gift_card:{refund.gift_card_id}"),
                kind=EntryKind.GIFT_CARD_REFUND,
                customer_id=self.receipt.customer_id,
                gift_card_id=refund.gift_card_id,
                amount=refund.amount,
            )
            for refund in refunds
        )
