"""A customer's bonus wallet: the ledger folded into open lots, kept incrementally.

Projecting thousands of entries at every checkout would be slow, so the till
keeps a ``Wallet`` per customer and ``apply``-s each new entry. ``project``
builds one from scratch; both give the same state because entries are applied
in one order (business time, then id). Pricing reads the wallet, never the raw
ledger.

Rules of the fold:
* a lot (accrual, bonus, positive adjustment) is pending until ``activates_at``
  and lapses at ``expires_at`` (a lot expiring at the moment of a sale is gone);
* spending takes the soonest-expiring active lots first; what cannot be covered
  becomes ``debt`` (only possible offline or on a return), paid back the moment
  points become usable: a lot that arrives active, points a return restores, or a
  pending lot at its ``activates_at`` (whether or not any entry falls then), so a
  balance never depends on an unrelated entry. While there is debt, no usable lot
  holds points;
* a return restores redeemed points into the lots they came from (with their
  original expiry) and takes back accrual from its lot; what the customer had
  already spent of that lot is charged to the balance, and becomes debt if the
  balance cannot cover it.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from loyalty_core.errors import DomainError
from loyalty_core.ledger import GIFT_CARD_KINDS, EntryKind, LedgerEntry, ordered


class OutOfOrderEntryError(DomainError):
    code = "ledger.out_of_order"
    template = "Entry {entry_id} is older than the wallet; project the ledger again."


class UnknownLotError(DomainError):
    code = "ledger.unknown_lot"
    template = "Entry {entry_id} refers to lot {lot_id}, which this customer does not have."


@dataclass(slots=True)
class Lot:
    id: str
    source: str  # entry kind, or the bonus kind for bonuses
    amount: int
    activates_at: datetime
    expires_at: datetime
    sale_id: str | None
    remaining: int
    spent: int = 0  # spent and not taken back by a reversal
    expired: int = 0  # removed by a recorded expiry entry
    reversed: int = 0  # accrual taken back by returns

    def usable_at(self, moment: datetime) -> bool:
        return self.activates_at <= moment < self.expires_at

    def reversal_split(self, accrual: int) -> tuple[int, int, int]:
        """Where taking back ``accrual`` comes from: (still in the lot, expired, spent).

        Never more than the lot's points not reversed yet: a receipt returned twice
        (two tills offline, a replayed return) takes its accrual back once, even when
        a later restore has put points back into this lot.
        """
        accrual = min(accrual, self.amount - self.reversed)
        from_remaining = min(accrual, self.remaining)
        from_expired = min(accrual - from_remaining, self.expired)
        from_spent = min(accrual - from_remaining - from_expired, self.spent)
        return from_remaining, from_expired, from_spent


@dataclass(frozen=True, slots=True)
class PendingPoints:
    points: int
    activates_at: datetime


@dataclass(frozen=True, slots=True)
class ExpiringPoints:
    points: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Balance:
    """What a customer has at one moment."""

    available: int  # spendable now, net of debt
    pending: tuple[PendingPoints, ...]  # not yet active, soonest first
    expiring: tuple[ExpiringPoints, ...]  # usable now or later, lapsing within the horizon
    debt: int  # owed and not covered by active points
    lapsed: int  # expired points no expiry entry has recorded yet

    @property
    def pending_total(self) -> int:
        return sum(p.points for p in self.pending)

    @property
    def ledger_total(self) -> int:
        """What the entries' points sum to: every point is in exactly one of these."""
        return self.available + self.pending_total + self.lapsed - self.debt


_MAX_ID = "\U0010ffff"  # sorts after every id at the same expiry instant


@dataclass(slots=True)
class Wallet:
    customer_id: str
    lots: dict[str, Lot] = field(default_factory=dict)
    debt: int = 0
    purchase_count: int = 0
    lifetime_spend: int = 0
    first_purchase_at: datetime | None = None
    spend_by_day: dict[date, int] = field(default_factory=dict)
    promo_uses: dict[str, int] = field(default_factory=dict)
    bonus_last: dict[str, datetime] = field(default_factory=dict)  # bonus kind -> last granted
    last_key: tuple[datetime, int, str] | None = None
    entry_count: int = 0
    # Lots that still hold points, soonest expiry first.
    _open: list[tuple[datetime, str]] = field(default_factory=list)
    _spent_by_sale: dict[str, list[tuple[str | None, int]]] = field(default_factory=dict)
    _sales: dict[str, tuple[date, int]] = field(default_factory=dict)  # sale -> (day, net spend)
    _spend_memo: tuple[date, int, int] | None = None  # (start, entry_count, spend) of the last ask

    # -- reading -----------------------------------------------------------
    def available(self, now: datetime, extra: int = 0) -> int:
        """Points spendable at ``now``, net of debt.

        ``extra`` counts a bonus granted in the same sale (usable at once).
        """
        debt, drained = self._settled(now)
        gross = extra
        lots = self.lots
        for _, lot_id in self._open[self._first_live(now) :]:
            lot = lots[lot_id]
            if lot.activates_at <= now:
                gross += lot.remaining - drained.get(lot_id, 0)
        return max(0, gross - debt)

    def balance(self, now: datetime, expiring_within: timedelta = timedelta(days=30)) -> Balance:
        debt, drained = self._settled(now)
        gross = lapsed = 0
        pending: list[PendingPoints] = []
        expiring: list[ExpiringPoints] = []
        horizon = now + expiring_within
        for _, lot_id in self._open:
            lot = self.lots[lot_id]
            remaining = lot.remaining - drained.get(lot_id, 0)
            if not remaining:
                continue
            if lot.expires_at <= now:
                lapsed += remaining
                continue
            if lot.activates_at > now:
                pending.append(PendingPoints(remaining, lot.activates_at))
            else:
                gross += remaining
            if lot.expires_at <= horizon:
                expiring.append(ExpiringPoints(remaining, lot.expires_at))
        pending.sort(key=lambda p: p.activates_at)
        return Balance(
            available=max(0, gross - debt),
            pending=tuple(pending),
            expiring=tuple(expiring),
            debt=max(0, debt - gross),
            lapsed=lapsed,
        )

    def expiring_after(self, now: datetime, within: timedelta, spend: int) -> list[ExpiringPoints]:
        """Points lapsing within ``within`` of ``now`` once ``spend`` and the debt are taken.

        Both come out of the usable lots, soonest expiry first, as ``_take`` spends
        them; a pending lot keeps all its points.
        """
        debt, drained = self._settled(now)
        horizon = now + within
        taken = spend + debt
        out: list[ExpiringPoints] = []
        for expires_at, lot_id in self._open[self._first_live(now) :]:
            if expires_at > horizon:
                break
            lot = self.lots[lot_id]
            left = lot.remaining - drained.get(lot_id, 0)
            if lot.activates_at <= now:
                part = min(taken, left)
                taken -= part
                left -= part
            if left:
                out.append(ExpiringPoints(left, expires_at))
        return out

    def spend_since(self, start: date | None) -> int:
        """Net purchases (after returns) on or after ``start``; all of them for ``None``."""
        if start is None:
            return self.lifetime_spend
        cached = self._spend_memo
        if cached is not None and cached[0] == start and cached[1] == self.entry_count:
            return cached[2]
        total = sum(v for day, v in self.spend_by_day.items() if day >= start)
        self._spend_memo = (start, self.entry_count, total)
        return total

    def restorable(self, sale_id: str) -> int:
        """Points of ``sale_id``'s redemption that no restore has given back yet."""
        return sum(part for _, part in self._spent_by_sale.get(sale_id, []))

    def reversal_effect(self, lot_id: str, accrual: int) -> int:
        """Points a reversal of ``accrual`` from this lot removes from the balance.

        The part still in the lot (usable or not) and the part already spent are
        taken back; the part a recorded expiry already removed costs nothing.
        """
        lot = self.lots.get(lot_id)
        if lot is None:
            raise UnknownLotError(entry_id="-", lot_id=lot_id)
        from_remaining, _, from_spent = lot.reversal_split(accrual)
        return from_remaining + from_spent

    def lapsed_lots(self, now: datetime) -> list[tuple[Lot, int]]:
        """Lots past expiry that still hold points (no expiry entry yet), with those points."""
        _, drained = self._settled(now)
        out: list[tuple[Lot, int]] = []
        for expires_at, lot_id in self._open:
            if expires_at > now:
                break
            remaining = self.lots[lot_id].remaining - drained.get(lot_id, 0)
            if remaining:
                out.append((self.lots[lot_id], remaining))
        return out

    def _activating(self, since: datetime | None, until: datetime) -> list[Lot]:
        """Lots holding points that become usable after ``since`` and by ``until``, in the
        order they repay debt: by activation time, then soonest expiry first (as ``_take``)."""
        found = [
            lot
            for _, lot_id in self._open
            if (lot := self.lots[lot_id]).remaining
            and lot.activates_at <= until
            and (since is None or lot.activates_at > since)
        ]
        return sorted(found, key=lambda lot: (lot.activates_at, lot.expires_at, lot.id))

    def _settled(self, now: datetime) -> tuple[int, dict[str, int]]:
        """Debt at ``now`` and what each lot paid of it, as if the lots that activated since
        the last entry had repaid it at their activation; the wallet itself is not changed."""
        if not self.debt:
            return 0, {}
        debt = self.debt
        drained: dict[str, int] = {}
        since = self.last_key[0] if self.last_key is not None else None
        for lot in self._activating(since, now):
            if not debt:
                break
            part = min(debt, lot.remaining)
            drained[lot.id] = part
            debt -= part
        return debt, drained

    def _repay_activated(self, until: datetime) -> None:
        """Repay debt from the lots that activated since the last entry, at their activation."""
        since = self.last_key[0] if self.last_key is not None else None
        for lot in self._activating(since, until):
            if not self.debt:
                return
            self.debt -= self._take(self.debt, lot.activates_at, None)

    def _first_live(self, now: datetime) -> int:
        """Index of the first open lot not yet expired at ``now``."""
        return bisect.bisect_right(self._open, (now, _MAX_ID))

    # -- folding -------------------------------------------------------------
    def apply(self, entry: LedgerEntry) -> None:
        """Fold one entry in; entries must come in ``sort_key`` order."""
        if entry.kind in GIFT_CARD_KINDS or entry.customer_id != self.customer_id:
            return
        key = entry.sort_key
        if self.last_key is not None and key <= self.last_key:
            if key == self.last_key:
                return  # the same entry again
            raise OutOfOrderEntryError(entry_id=entry.id)
        now = entry.occurred_at
        if self.debt:
            self._repay_activated(now)
        self.last_key = key
        self.entry_count += 1
        handler = _HANDLERS[entry.kind]
        handler(self, entry)
        if self.debt:  # points this entry made usable (an active lot, a restore) repay it now
            self.debt -= self._take(self.debt, now, None)

    def _add_lot(self, entry: LedgerEntry) -> None:
        assert entry.activates_at is not None and entry.expires_at is not None
        if entry.id in self.lots:
            return
        source = entry.ref if entry.kind is EntryKind.BONUS and entry.ref else entry.kind.value
        lot = Lot(
            id=entry.id,
            source=source,
            amount=entry.points,
            activates_at=entry.activates_at,
            expires_at=entry.expires_at,
            sale_id=entry.sale_id,
            remaining=entry.points,
        )
        self.lots[lot.id] = lot
        bisect.insort(self._open, (lot.expires_at, lot.id))
        if entry.kind is EntryKind.BONUS and entry.ref:
            self.bonus_last[entry.ref] = entry.occurred_at

    def _take(self, points: int, now: datetime, slices: list[tuple[str | None, int]] | None) -> int:
        """Spend up to ``points`` from usable lots, soonest expiry first; return what was taken."""
        taken = 0
        emptied: list[tuple[datetime, str]] = []
        for key in self._open[self._first_live(now) :]:
            if taken == points:
                break
            lot = self.lots[key[1]]
            if lot.activates_at > now or not lot.remaining:
                continue
            part = min(points - taken, lot.remaining)
            lot.remaining -= part
            lot.spent += part
            taken += part
            if slices is not None:
                slices.append((lot.id, part))
            if not lot.remaining:
                emptied.append(key)
        for key in emptied:
            self._open.remove(key)
        return taken

    def _charge(self, entry: LedgerEntry, points: int) -> None:
        slices: list[tuple[str | None, int]] = []
        taken = self._take(points, entry.occurred_at, slices)
        if taken < points:
            self.debt += points - taken
            slices.append((None, points - taken))
        if entry.sale_id is not None and entry.kind is EntryKind.REDEMPTION:
            self._spent_by_sale.setdefault(entry.sale_id, []).extend(slices)

    def _redeem(self, entry: LedgerEntry) -> None:
        self._charge(entry, -entry.points)

    def _adjust(self, entry: LedgerEntry) -> None:
        if entry.points > 0:
            self._add_lot(entry)
        elif entry.points < 0:
            self._charge(entry, -entry.points)

    def _restore(self, entry: LedgerEntry) -> None:
        """Give back redeemed points, latest-consumed first, into their original lots.

        Points go back with their lot's original expiry, so a lot that lapsed since
        the sale stays lapsed. Points that covered an overdraft cancel the debt.
        Never more than the sale redeemed and no restore has given back yet: the
        rest of a restore (the receipt returned twice, by two tills offline or a
        replayed return) gives nothing, so a return cannot mint bonus.
        """
        assert entry.sale_id is not None
        slices = self._spent_by_sale.get(entry.sale_id, [])
        left = entry.points
        fresh = 0
        while left and slices:
            lot_id, part = slices[-1]
            give = min(left, part)
            if give == part:
                slices.pop()
            else:
                slices[-1] = (lot_id, part - give)
            left -= give
            if lot_id is None:
                cancelled = min(give, self.debt)
                self.debt -= cancelled
                fresh += give - cancelled  # that overdraft was already paid from other lots
                continue
            lot = self.lots[lot_id]
            # Points a reversal already charged back (lot.spent went down) were paid for
            # from other lots: they come back here too, with this lot's expiry.
            lot.spent -= min(give, lot.spent)
            if not lot.remaining:
                bisect.insort(self._open, (lot.expires_at, lot.id))
            lot.remaining += give
        if fresh:  # an overdraft repaid since from other lots: a fresh lot, usable at once
            expires = entry.expires_at or entry.occurred_at + timedelta(days=365)
            self._add_lot(
                LedgerEntry(
                    id=entry.id,
                    kind=EntryKind.ADJUSTMENT,
                    occurred_at=entry.occurred_at,
                    till_id=entry.till_id,
                    rules_version=entry.rules_version,
                    customer_id=entry.customer_id,
                    points=fresh,
                    sale_id=entry.sale_id,
                    activates_at=entry.occurred_at,
                    expires_at=expires,
                    reason="restore",
                    author="system",
                )
            )

    def _reverse(self, entry: LedgerEntry) -> None:
        lot = self._lot(entry)
        from_remaining, from_expired, from_spent = lot.reversal_split(entry.amount or -entry.points)
        if from_remaining:
            lot.remaining -= from_remaining
            if not lot.remaining:
                self._open.remove((lot.expires_at, lot.id))
        lot.expired -= from_expired
        lot.spent -= from_spent
        lot.reversed += from_remaining + from_expired + from_spent
        if from_spent:  # the customer already used these points: charge the balance
            self._charge(entry, from_spent)

    def _expire(self, entry: LedgerEntry) -> None:
        lot = self._lot(entry)
        part = min(-entry.points, lot.remaining)
        if part:
            lot.remaining -= part
            lot.expired += part
            if not lot.remaining:
                self._open.remove((lot.expires_at, lot.id))

    def _lot(self, entry: LedgerEntry) -> Lot:
        lot = self.lots.get(entry.lot_id or "")
        if lot is None:
            raise UnknownLotError(entry_id=entry.id, lot_id=entry.lot_id)
        return lot

    def _purchase(self, entry: LedgerEntry) -> None:
        day = entry.occurred_at.date()  # entries hold UTC times
        self.lifetime_spend += entry.amount
        self.spend_by_day[day] = self.spend_by_day.get(day, 0) + entry.amount
        self.purchase_count += 1
        if self.first_purchase_at is None:
            self.first_purchase_at = entry.occurred_at
        if entry.sale_id is not None:
            self._sales[entry.sale_id] = (day, entry.amount)

    def _purchase_return(self, entry: LedgerEntry) -> None:
        day, net = self._sales.get(entry.sale_id or "", (entry.occurred_at.date(), 0))
        self.lifetime_spend += entry.amount
        self.spend_by_day[day] = self.spend_by_day.get(day, 0) + entry.amount
        if entry.sale_id is not None and entry.sale_id in self._sales:
            self._sales[entry.sale_id] = (day, net + entry.amount)
            if net > 0 >= net + entry.amount:
                self.purchase_count -= 1  # fully returned: as if never bought

    def _promo_use(self, entry: LedgerEntry) -> None:
        if entry.ref:
            self.promo_uses[entry.ref] = self.promo_uses.get(entry.ref, 0) + 1

    def _nothing(self, entry: LedgerEntry) -> None:
        return


_HANDLERS = {
    EntryKind.ACCRUAL: Wallet._add_lot,
    EntryKind.BONUS: Wallet._add_lot,
    EntryKind.ADJUSTMENT: Wallet._adjust,
    EntryKind.REDEMPTION: Wallet._redeem,
    EntryKind.RESTORE: Wallet._restore,
    EntryKind.REVERSAL: Wallet._reverse,
    EntryKind.EXPIRY: Wallet._expire,
    EntryKind.PURCHASE: Wallet._purchase,
    EntryKind.PURCHASE_RETURN: Wallet._purchase_return,
    EntryKind.PROMO_USE: Wallet._promo_use,
    EntryKind.GIFT_CARD_LOAD: Wallet._nothing,
    EntryKind.GIFT_CARD_SPEND: Wallet._nothing,
    EntryKind.GIFT_CARD_REFUND: Wallet._nothing,
}


def project(customer_id: str, entries: list[LedgerEntry]) -> Wallet:
    """The wallet the whole ledger folds into, whatever order the entries arrived in."""
    wallet = Wallet(customer_id)
    for entry in ordered(entries):
        wallet.apply(entry)
    return wallet


SNAPSHOT_VERSION = 2  # 2: debt is repaid when points become usable


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def wallet_to_snapshot(wallet: Wallet) -> str:
    """The wallet as JSON, for the till's cache; rebuildable from the ledger at any time."""
    data = {
        "v": SNAPSHOT_VERSION,
        "customer_id": wallet.customer_id,
        "lots": [
            [
                lot.id,
                lot.source,
                lot.amount,
                _dt(lot.activates_at),
                _dt(lot.expires_at),
                lot.sale_id,
                lot.remaining,
                lot.spent,
                lot.expired,
                lot.reversed,
            ]
            for lot in wallet.lots.values()
        ],
        "debt": wallet.debt,
        "purchase_count": wallet.purchase_count,
        "lifetime_spend": wallet.lifetime_spend,
        "first_purchase_at": _dt(wallet.first_purchase_at),
        "spend_by_day": {d.isoformat(): v for d, v in wallet.spend_by_day.items()},
        "promo_uses": wallet.promo_uses,
        "bonus_last": {k: _dt(v) for k, v in wallet.bonus_last.items()},
        "last_key": None
        if wallet.last_key is None
        else [_dt(wallet.last_key[0]), wallet.last_key[1], wallet.last_key[2]],
        "entry_count": wallet.entry_count,
        "spent_by_sale": wallet._spent_by_sale,
        "sales": {s: [d.isoformat(), v] for s, (d, v) in wallet._sales.items()},
    }
    return json.dumps(data, separators=(",", ":"))


def wallet_from_snapshot(text: str) -> Wallet:
    data = json.loads(text)
    if data.get("v") != SNAPSHOT_VERSION:
        raise ValueError("unknown wallet snapshot version; project the ledger again")
    wallet = Wallet(data["customer_id"])
    for lot_id, source, amount, act, exp, sale_id, remaining, spent, expired, rev in data["lots"]:
        activates, expires = _parse_dt(act), _parse_dt(exp)
        assert activates is not None and expires is not None
        wallet.lots[lot_id] = Lot(
            lot_id, source, amount, activates, expires, sale_id, remaining, spent, expired, rev
        )
        if remaining:
            wallet._open.append((expires, lot_id))
    wallet._open.sort()
    wallet.debt = data["debt"]
    wallet.purchase_count = data["purchase_count"]
    wallet.lifetime_spend = data["lifetime_spend"]
    wallet.first_purchase_at = _parse_dt(data["first_purchase_at"])
    wallet.spend_by_day = {date.fromisoformat(d): v for d, v in data["spend_by_day"].items()}
    wallet.promo_uses = dict(data["promo_uses"])
    wallet.bonus_last = {
        k: v for k, v in ((k, _parse_dt(v)) for k, v in data["bonus_last"].items()) if v
    }
    key = data["last_key"]
    if key is not None:
        moment = _parse_dt(key[0])
        assert moment is not None
        wallet.last_key = (moment, key[1], key[2])
    wallet.entry_count = data["entry_count"]
    wallet._spent_by_sale = {
        s: [(lot, pts) for lot, pts in slices] for s, slices in data["spent_by_sale"].items()
    }
    wallet._sales = {s: (date.fromisoformat(d), v) for s, (d, v) in data["sales"].items()}
    return wallet
