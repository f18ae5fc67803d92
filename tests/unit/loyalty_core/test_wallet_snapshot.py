"""The till's cached wallet: a snapshot must give back the very wallet the ledger folds to."""

import json

import pytest

from loyalty_core.bonuses import one_off_bonus_entry
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry
from loyalty_core.wallet import (
    OutOfOrderEntryError,
    Wallet,
    project,
    wallet_from_snapshot,
    wallet_to_snapshot,
)

from .builders import CUSTOMER, T0, at, entry, lot, plain_rules, uid


def test_snapshot_round_trip_keeps_the_wallet() -> None:
    entries = [
        lot(1_000, when=at(-3)),
        lot(2_000, when=at(-2), activates=at(5)),
        entry(EntryKind.REDEMPTION, points=-400, sale_id=uid(), when=at(-1)),
        entry(EntryKind.PURCHASE, amount=12_345, sale_id=uid(), when=at(-1)),
    ]
    wallet = project(CUSTOMER, entries)
    copy = wallet_from_snapshot(wallet_to_snapshot(wallet))
    assert copy.balance(T0) == wallet.balance(T0)
    assert copy.lifetime_spend == 12_345
    follow_up = entry(EntryKind.REDEMPTION, points=-100, sale_id=uid(), when=at(1))
    wallet.apply(follow_up)
    copy.apply(follow_up)
    assert wallet_to_snapshot(copy) == wallet_to_snapshot(wallet)


def _busy_ledger() -> tuple[list[LedgerEntry], str]:
    """A welcome bonus of 300 and a lot of 1,000; a sale spending 400 (300 from the welcome
    bonus, which lapses first, and 100 from the lot); a lot of 500 that a return took 200
    back from; a lot of 700 that lapsed and was recorded; a promo used twice."""
    rules = plain_rules(welcome={"points": 300, "expiry_days": 30})
    welcome = one_off_bonus_entry(
        rules, BonusKind.WELCOME, wallet=Wallet(CUSTOMER), event_id=uid(), now=at(-9), till_id="t"
    )
    assert welcome is not None
    spent_in, earned_in = uid(), uid()
    earned = entry(
        EntryKind.ACCRUAL,
        points=500,
        sale_id=earned_in,
        activates_at=at(-4),
        expires_at=at(361),
        when=at(-4),
    )
    gone = lot(700, when=at(-40), expires=at(-6))  # lapses before either sale
    entries = [
        welcome,
        gone,
        lot(1_000, when=at(-8)),
        entry(EntryKind.PURCHASE, amount=12_345, sale_id=spent_in, when=at(-5)),
        entry(EntryKind.REDEMPTION, points=-400, sale_id=spent_in, when=at(-5)),
        entry(EntryKind.PROMO_USE, ref="SPRING", sale_id=spent_in, when=at(-5)),
        entry(EntryKind.PURCHASE, amount=5_000, sale_id=earned_in, when=at(-4)),
        earned,
        entry(EntryKind.PROMO_USE, ref="SPRING", sale_id=earned_in, when=at(-4)),
        entry(EntryKind.REVERSAL, points=-200, amount=200, lot_id=earned.id, when=at(-2)),
        entry(EntryKind.EXPIRY, points=-700, lot_id=gone.id, when=at(-1)),
    ]
    return entries, spent_in


def test_a_wallet_restored_from_its_snapshot_knows_all_the_original_knew() -> None:
    entries, spent_in = _busy_ledger()
    wallet = project(CUSTOMER, entries)
    snapshot = wallet_to_snapshot(wallet)
    copy = wallet_from_snapshot(snapshot)
    # Balance 0 + 900 + 300 = 1,200; two purchases for 173,45; SPRING used twice.
    assert copy.balance(T0) == wallet.balance(T0)
    assert copy.available(T0) == 1_200
    assert (copy.purchase_count, copy.lifetime_spend) == (2, 17_345)
    assert copy.first_purchase_at == wallet.first_purchase_at == at(-5)
    assert copy.promo_uses == wallet.promo_uses == {"SPRING": 2}
    assert copy.bonus_last == wallet.bonus_last == {"welcome": at(-9)}
    assert wallet_to_snapshot(copy) == snapshot  # nothing lost or shifted on the way
    # The welcome bonus is not granted twice after a restart of the till.
    again = one_off_bonus_entry(
        plain_rules(welcome={"points": 300, "expiry_days": 30}),
        BonusKind.WELCOME,
        wallet=copy,
        event_id=uid(),
        now=T0,
        till_id="t",
    )
    assert again is None
    # The restored wallet still knows which lots the sale spent: a return gives 100 back
    # into the lot of 1,000, which then holds all of it again, and 300 to the welcome bonus.
    lot_of_1000 = next(lot.id for lot in copy.lots.values() if lot.amount == 1_000)
    copy.apply(entry(EntryKind.RESTORE, points=400, sale_id=spent_in, when=T0))
    assert copy.lots[lot_of_1000].remaining == 1_000
    assert copy.available(T0) == 1_600


def test_a_restored_wallet_still_refuses_older_entries_and_ignores_repeats() -> None:
    entries, _ = _busy_ledger()
    copy = wallet_from_snapshot(wallet_to_snapshot(project(CUSTOMER, entries)))
    with pytest.raises(OutOfOrderEntryError):
        copy.apply(lot(50, when=at(-2)))
    copy.apply(entries[-1])  # the last entry again: already counted
    assert copy.available(T0) == 1_200
    # Another entry at the very instant of the last one is a new entry, not an older one.
    copy.apply(entry(EntryKind.REDEMPTION, points=-100, sale_id=uid(), when=at(-1)))
    assert copy.available(T0) == 1_100


def test_a_wallet_with_no_purchase_yet_survives_its_snapshot() -> None:
    wallet = project(CUSTOMER, [lot(1_000, when=at(-1))])
    copy = wallet_from_snapshot(wallet_to_snapshot(wallet))
    assert (copy.first_purchase_at, copy.purchase_count, copy.available(T0)) == (None, 0, 1_000)


def test_a_snapshot_is_compact_json() -> None:
    entries, _ = _busy_ledger()
    snapshot = wallet_to_snapshot(project(CUSTOMER, entries))
    assert snapshot == json.dumps(json.loads(snapshot), separators=(",", ":"))


def test_a_snapshot_of_another_version_is_refused_so_the_till_projects_again() -> None:
    old = json.loads(wallet_to_snapshot(project(CUSTOMER, [lot(1_000)])))
    old["v"] = 1  # written before debt was repaid at activation
    with pytest.raises(
        ValueError, match=r"^unknown wallet snapshot version; project the ledger again$"
    ):
        wallet_from_snapshot(json.dumps(old))


def test_a_restored_wallet_spends_the_soonest_lapsing_lot_first_like_the_original() -> None:
    # A lot of 1,000 lapsing on day 300, then a lot of 500 that came later but lapses on
    # day 20. After a restart, spending 600 takes the 500 first, then 100 of the 1,000.
    early, late = lot(1_000, when=at(-5), expires=at(300)), lot(500, when=at(-3), expires=at(20))
    wallet = project(CUSTOMER, [early, late])
    copy = wallet_from_snapshot(wallet_to_snapshot(wallet))
    spend = entry(EntryKind.REDEMPTION, points=-600, sale_id=uid())
    wallet.apply(spend)
    copy.apply(spend)
    assert (copy.lots[late.id].remaining, copy.lots[early.id].remaining) == (0, 900)
    assert wallet_to_snapshot(copy) == wallet_to_snapshot(wallet)
