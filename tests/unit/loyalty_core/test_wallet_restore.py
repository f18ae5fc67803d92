"""Returns meet expiry in the wallet: restored points go back into the lots they came from,
with their original expiry, and taking accrual back costs only what is still in its lot or
was spent, never what a recorded expiry already removed."""

from datetime import timedelta

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.wallet import ExpiringPoints, Wallet, project, wallet_to_snapshot

from .builders import CUSTOMER, at, entry, lot, uid


def _spend(wallet: Wallet, ledger: list[LedgerEntry], points: int, day: float) -> str:
    sale = uid()
    _write(wallet, ledger, entry(EntryKind.REDEMPTION, points=-points, sale_id=sale, when=at(day)))
    return sale


def _restore(wallet: Wallet, ledger: list[LedgerEntry], sale: str, points: int, day: float) -> None:
    _write(wallet, ledger, entry(EntryKind.RESTORE, points=points, sale_id=sale, when=at(day)))


def _sweep(wallet: Wallet, ledger: list[LedgerEntry], day: float) -> list[LedgerEntry]:
    """Record what has lapsed by ``day``, as the till's sweep does."""
    due = expiry_entries_due(wallet, now=at(day), till_id="t", rules_version=1)
    _write(wallet, ledger, *due)
    return due


def _write(wallet: Wallet, ledger: list[LedgerEntry], *entries: LedgerEntry) -> None:
    for e in entries:
        wallet.apply(e)
        ledger.append(e)


def _reversal(
    lot_id: str, accrual: int, effect: int, *, day: float, sale: str | None = None
) -> LedgerEntry:
    """A return (of ``sale``) taking ``accrual`` back from the lot, costing ``effect``."""
    return entry(
        EntryKind.REVERSAL,
        points=-effect,
        amount=accrual,
        lot_id=lot_id,
        sale_id=sale,
        when=at(day),
    )


def _accrual(points: int, *, sale: str, day: float, expires: float) -> LedgerEntry:
    return entry(
        EntryKind.ACCRUAL,
        points=points,
        sale_id=sale,
        activates_at=at(day),
        expires_at=at(expires),
        when=at(day),
    )


def test_points_restored_into_a_lapsed_lot_lapse_once_and_are_recorded_again() -> None:
    # A lot of 1,000 lapsing on day 10; 600 spent on day 5; the 400 left is recorded
    # lapsed on day 11. The sale is returned on day 12: the 600 go back into the lot,
    # which has lapsed, so they are lapsed too (600, not 1,200), and recorded again.
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    _write(wallet, ledger, lot(1_000, when=at(-1), expires=at(10)))
    sale = _spend(wallet, ledger, 600, 5)
    first = _sweep(wallet, ledger, 11)
    assert [e.points for e in first] == [-400]
    _restore(wallet, ledger, sale, 600, 12)
    balance = wallet.balance(at(12))
    assert (balance.available, balance.lapsed, balance.debt) == (0, 600, 0)
    second = _sweep(wallet, ledger, 12)
    assert [e.points for e in second] == [-600]
    assert second[0].id != first[0].id
    assert wallet.balance(at(12)).lapsed == 0
    assert sum(e.points for e in ledger) == wallet.balance(at(12)).ledger_total == 0


def test_each_time_a_lot_lapses_again_it_gets_its_own_expiry_record() -> None:
    # A lot of 1,200 lapsing on day 10; three sales spend 300 each; 300 lapse. Each sale
    # returned later puts 300 back into the lapsed lot, and each sweep records those 300:
    # four records, four ids, and the ledger replays to the same wallet.
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    _write(wallet, ledger, lot(1_200, when=at(-1), expires=at(10)))
    sales = [_spend(wallet, ledger, 300, day) for day in (1, 2, 3)]
    records = _sweep(wallet, ledger, 11)
    for day, sale in zip((12, 13, 14), sales, strict=True):
        _restore(wallet, ledger, sale, 300, day)
        records += _sweep(wallet, ledger, day)
    assert [e.points for e in records] == [-300] * 4
    assert len({e.id for e in records}) == 4
    assert wallet_to_snapshot(project(CUSTOMER, ledger)) == wallet_to_snapshot(wallet)


def test_taking_back_accrual_that_already_lapsed_costs_nothing() -> None:
    # A sale earned a lot of 1,000 (lapsing on day 10); the customer spent 400 of it; the
    # other 600 lapsed and were recorded. Returning half of that sale takes back 500 of
    # accrual: it comes out of the 600 that lapsed, so the balance loses nothing. The
    # whole 1,000 would cost the 400 the customer spent.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=10)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    _spend(wallet, ledger, 400, 5)  # from the lot lapsing first: the 1,000
    _sweep(wallet, ledger, 11)
    assert wallet.available(at(12)) == 2_000
    assert wallet.reversal_effect(earned.id, 500) == 0
    assert wallet.reversal_effect(earned.id, 1_000) == 400
    # The return takes back the 1,000 of accrual: its balance effect is the 400 spent.
    _write(wallet, ledger, _reversal(earned.id, 1_000, 400, day=12))
    assert wallet.available(at(12)) == 1_600
    assert sum(e.points for e in ledger) == wallet.balance(at(12)).ledger_total == 1_600


def test_returning_a_sale_in_halves_takes_the_lapsed_part_first_then_what_was_spent() -> None:
    # As above: 1,000 earned, 400 spent, 600 lapsed and recorded. The first half of the
    # sale takes back 500 of accrual, all of it from the lapsed 600: it costs nothing. The
    # second half takes back 500 more: the 100 lapsed left, then 400 spent, which cost 400.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=10)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    _spend(wallet, ledger, 400, 5)
    _sweep(wallet, ledger, 11)
    assert wallet.reversal_effect(earned.id, 500) == 0
    _write(wallet, ledger, _reversal(earned.id, 500, 0, day=12))
    assert wallet.reversal_effect(earned.id, 500) == 400
    _write(wallet, ledger, _reversal(earned.id, 500, 400, day=13))
    assert wallet.available(at(13)) == 1_600
    assert wallet.reversal_effect(earned.id, 500) == 0  # nothing left to take back


def test_accrual_taken_back_in_two_returns_charges_exactly_what_was_spent() -> None:
    # A sale earned 1,000 and the customer spent all of it. A first return takes back 300
    # (spent: charged 300), a second the other 700 (spent: charged 700).
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=100)
    _write(wallet, ledger, earned, lot(5_000, when=at(-1), expires=at(300)))
    _spend(wallet, ledger, 1_000, 1)  # the 1,000 lapses first: all of it spent
    assert wallet.reversal_effect(earned.id, 300) == 300
    _write(wallet, ledger, _reversal(earned.id, 300, 300, day=2))
    assert wallet.reversal_effect(earned.id, 700) == 700
    _write(wallet, ledger, _reversal(earned.id, 700, 700, day=3))
    assert wallet.available(at(3)) == 5_000 - 1_000


def test_points_restored_after_a_lapse_do_not_count_as_lapsed_twice_when_taken_back() -> None:
    # A sale earned a lot of 1,000 (lapsing on day 10): 600 spent on day 5 and 200 on
    # day 6; 200 lapse and are recorded. The 600 come back on day 12, into the lapsed
    # lot, and are recorded lapsed as well: 800 lapsed, 200 spent. Taking back 700 of
    # the accrual costs nothing (it all lapsed); all 1,000 cost the 200 still spent.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=10)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    first = _spend(wallet, ledger, 600, 5)
    _spend(wallet, ledger, 200, 6)
    assert [e.points for e in _sweep(wallet, ledger, 11)] == [-200]
    _restore(wallet, ledger, first, 600, 12)
    assert [e.points for e in _sweep(wallet, ledger, 12)] == [-600]
    assert wallet.reversal_effect(earned.id, 700) == 0
    assert wallet.reversal_effect(earned.id, 1_000) == 200


def test_after_part_of_a_spend_is_restored_taking_back_the_accrual_charges_what_is_spent() -> None:
    # A sale earned a lot of 1,000. The customer spent 600 of it (sale A) and returned part
    # of sale A: 200 came back into the lot, so 400 are spent, 600 are in the lot. Then
    # sale B spent those 600: 1,000 spent. Returning the first sale takes back all 1,000
    # of accrual, and all 1,000 were spent: the balance pays 1,000 (from a lot of 2,000).
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=100)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    sale_a = _spend(wallet, ledger, 600, 1)  # from the lot lapsing first: the 1,000
    _restore(wallet, ledger, sale_a, 200, 2)
    assert wallet.reversal_effect(earned.id, 1_000) == 1_000  # 600 in the lot, 400 spent
    _spend(wallet, ledger, 600, 3)
    assert wallet.available(at(3)) == 2_000 + 1_000 - 600 + 200 - 600
    assert wallet.reversal_effect(earned.id, 1_000) == 1_000  # all of it spent now
    reversal = entry(EntryKind.REVERSAL, points=-1_000, amount=1_000, lot_id=earned.id, when=at(4))
    _write(wallet, ledger, reversal)
    balance = wallet.balance(at(4))
    assert (balance.available, balance.debt) == (1_000, 0)
    assert balance.ledger_total == sum(e.points for e in ledger) == 1_000


def test_a_reversal_recorded_with_points_only_takes_those_points_back() -> None:
    # An older till wrote reversals without the accrual amount: 300 points off the lot.
    earned = _accrual(1_000, sale=uid(), day=-1, expires=100)
    old_style = entry(EntryKind.REVERSAL, points=-300, lot_id=earned.id, when=at(1))
    wallet = project(CUSTOMER, [earned, old_style])
    assert (wallet.available(at(1)), wallet.lots[earned.id].remaining) == (700, 700)


def test_a_restore_of_an_overdraft_cancels_what_is_still_owed_and_gives_back_the_rest() -> None:
    # A lot of 1,000; sale S spends 1,500 (500 overdraft). A lot of 300 arrives and pays
    # 300 of the debt: 200 still owed. S is returned: the 500 of overdraft cancel the 200
    # owed and come back as a fresh lot of 300, usable at once, lapsing when the return
    # says (day 100); the 1,000 go back into the first lot.
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    first = lot(1_000, when=at(-1), expires=at(200))
    _write(wallet, ledger, first)
    sale = _spend(wallet, ledger, 1_500, 0)
    _write(wallet, ledger, lot(300, when=at(1), expires=at(200)))
    assert wallet.balance(at(1)).debt == 200
    restore = entry(EntryKind.RESTORE, points=1_500, sale_id=sale, expires_at=at(100), when=at(2))
    _write(wallet, ledger, restore)
    balance = wallet.balance(at(2), expiring_within=timedelta(days=100))
    assert (balance.available, balance.debt) == (1_300, 0)
    assert balance.expiring == (ExpiringPoints(300, at(100)),)
    fresh = wallet.lots[restore.id]
    assert (fresh.amount, fresh.source, fresh.sale_id) == (300, "adjustment", sale)
    assert wallet.lots[first.id].remaining == 1_000
    assert sum(e.points for e in ledger) == balance.ledger_total == 1_300


def test_a_fresh_lot_from_a_restore_without_an_expiry_lasts_a_year() -> None:
    # As above, but the debt was repaid in full and the restore names no expiry.
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    _write(wallet, ledger, lot(1_000, when=at(-1), expires=at(200)))
    sale = _spend(wallet, ledger, 1_500, 0)
    _write(wallet, ledger, lot(500, when=at(1), expires=at(200)))
    _restore(wallet, ledger, sale, 500, 2)  # part of the return: the overdraft part
    lots = [lot for lot in wallet.lots.values() if lot.source == "adjustment"]
    assert [(lot.amount, lot.activates_at, lot.expires_at) for lot in lots] == [
        (500, at(2), at(2) + timedelta(days=365))
    ]
    assert wallet.available(at(2)) == 500


def test_points_charged_back_before_their_restore_come_back_with_the_lot() -> None:
    # A sale S0 earned a lot of 1,000 (lapsing on day 100); a lot of 2,000 lapses later.
    # Sale S spends 600, from the 1,000. Half of S0 is returned: 500 of accrual are taken
    # back, the 400 still in the lot and 100 spent (charged to the 2,000). Then S is
    # returned: its 600 go back into S0's lot. The other half of S0 takes back the last
    # 500 from what is in the lot: 500 off the balance, 100 stays (they were paid for
    # from the 2,000). The customer is back where they started: 2,000.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=100)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    sale = _spend(wallet, ledger, 600, 1)
    assert wallet.reversal_effect(earned.id, 500) == 500
    _write(wallet, ledger, _reversal(earned.id, 500, 500, day=2))
    assert wallet.available(at(2)) == 1_900
    _restore(wallet, ledger, sale, 600, 3)
    assert wallet.available(at(3)) == 2_500
    assert wallet.reversal_effect(earned.id, 500) == 500
    _write(wallet, ledger, _reversal(earned.id, 500, 500, day=4))
    assert (wallet.available(at(4)), wallet.lots[earned.id].remaining) == (2_000, 100)
    assert sum(e.points for e in ledger) == wallet.balance(at(4)).ledger_total == 2_000


def test_a_restore_refills_the_lots_the_redemption_took_not_those_a_reversal_charged() -> None:
    # Lot A of 1,000 lapses on day 2, lot B of 2,000 on day 300. Sale S spends 500 (from
    # A) and earns a lot L of 300. Sale T spends 800: the 500 left in A, then all of L.
    # Day 2.5, half of S comes back: 250 go back into A (lapsed by then), and 150 of L's
    # accrual are taken back; the customer had spent them, so B pays 150. Day 3, the other
    # half: the last 250 go back into A, lapsed, not into B; B pays L's last 150.
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    a, b = lot(1_000, when=at(-1), expires=at(2)), lot(2_000, when=at(-1), expires=at(300))
    _write(wallet, ledger, a, b)
    sale = _spend(wallet, ledger, 500, 0)
    earned = _accrual(300, sale=sale, day=0.5, expires=20)
    _write(wallet, ledger, earned)
    _spend(wallet, ledger, 800, 1)
    for day in (2.5, 3):
        _restore(wallet, ledger, sale, 250, day)
        _write(wallet, ledger, _reversal(earned.id, 150, 150, day=day, sale=sale))
    balance = wallet.balance(at(3))
    assert (balance.available, balance.lapsed, balance.debt) == (1_700, 500, 0)
    assert sum(e.points for e in ledger) == balance.ledger_total == 2_200


def test_half_a_sale_taken_back_from_a_lapsed_lot_refilled_by_a_restore_takes_the_refill() -> None:
    # A sale S0 earned a lot of 1,000, lapsing on day 10; a lot of 2,000 lapses on day 300.
    # Sale S spends 600 on day 5, from the 1,000 (it lapses first). Day 11 the 400 left
    # are recorded lapsed. Day 12 S is returned: its 600 go back into S0's lot, lapsed
    # with it. Day 13 half of S0 is returned: 500 of accrual come out of those 600 still
    # in the lot (500 off the balance, all of it lapsed points), none from the 400 the
    # expiry record already took; 100 stay lapsed, the 2,000 are untouched.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=10)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    sale = _spend(wallet, ledger, 600, 5)
    assert [e.points for e in _sweep(wallet, ledger, 11)] == [-400]
    _restore(wallet, ledger, sale, 600, 12)
    assert wallet.lots[earned.id].reversal_split(500) == (500, 0, 0)
    assert wallet.reversal_effect(earned.id, 500) == 500
    _write(wallet, ledger, _reversal(earned.id, 500, 500, day=13, sale=earned_in))
    balance = wallet.balance(at(13))
    assert (balance.available, balance.lapsed, balance.debt) == (2_000, 100, 0)
    assert sum(e.points for e in ledger) == balance.ledger_total == 2_100


def test_a_sale_returned_twice_after_a_restore_refilled_its_lapsed_lot_takes_nothing_more() -> None:
    # S0 earned 1,000 (lapsing on day 10); sale S spent 400 of it on day 5; the other 600
    # lapsed and were recorded on day 11. Day 12 S0 is returned: 1,000 of accrual taken
    # back, 600 from the expiry record (free) and 400 spent (charged to the 2,000: 1,600).
    # Day 13 S is returned: its 400 go back into S0's lot, lapsed. Day 14 the same return
    # of S0 arrives again from another till: all 1,000 were taken back, so it takes
    # nothing, not the 400 the restore put back.
    earned_in = uid()
    ledger: list[LedgerEntry] = []
    wallet = Wallet(CUSTOMER)
    earned = _accrual(1_000, sale=earned_in, day=-1, expires=10)
    _write(wallet, ledger, earned, lot(2_000, when=at(-1), expires=at(300)))
    sale = _spend(wallet, ledger, 400, 5)
    _sweep(wallet, ledger, 11)
    assert wallet.lots[earned.id].reversal_split(1_000) == (0, 600, 400)
    _write(wallet, ledger, _reversal(earned.id, 1_000, 400, day=12, sale=earned_in))
    assert wallet.available(at(12)) == 1_600
    _restore(wallet, ledger, sale, 400, 13)
    assert wallet.lots[earned.id].remaining == 400  # back in the lot, lapsed
    assert wallet.lots[earned.id].reversal_split(1_000) == (0, 0, 0)
    assert wallet.reversal_effect(earned.id, 1_000) == 0
    balance = wallet.balance(at(14))
    assert (balance.available, balance.lapsed) == (1_600, 400)
