"""Debt: bonus spent beyond the balance (offline, or charged back on a return) is owed,
and repaid the moment points become usable: a lot that arrives active, points a return
restores, or a pending lot at its activation, whether or not any entry falls then. So a
balance never depends on an unrelated entry, and the order lots repay in is the order a
customer would see them spent: by activation, then soonest expiry first."""

from datetime import timedelta

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.wallet import Balance, ExpiringPoints, PendingPoints, project

from .builders import CUSTOMER, T0, at, entry, lot, uid

MONTH = timedelta(days=30)


def _sum(entries: list[LedgerEntry]) -> int:
    return sum(e.points for e in entries)


def _owing(owed: int = 500) -> list[LedgerEntry]:
    """A lot of 1,000 and a redemption of 1,000 + ``owed`` on day 0: ``owed`` is debt."""
    return [
        lot(1_000, when=at(-1)),
        entry(EntryKind.REDEMPTION, points=-(1_000 + owed), sale_id=uid()),
    ]


def _tick(day: float) -> LedgerEntry:
    """An entry of 0 points (a purchase of nothing) on ``day``: it must change no balance."""
    return entry(EntryKind.PURCHASE, amount=0, sale_id=uid(), when=at(day))


def _on(ledger: list[LedgerEntry], day: float) -> Balance:
    """The balance on ``day`` (30-day expiry horizon) of the entries made by then."""
    moment = at(day)
    wallet = project(CUSTOMER, [e for e in ledger if e.occurred_at <= moment])
    return wallet.balance(moment, expiring_within=MONTH)


def test_spending_more_than_available_records_a_debt_paid_by_the_next_points() -> None:
    wallet = project(
        CUSTOMER,
        [lot(1_000, when=at(-1)), entry(EntryKind.REDEMPTION, points=-1_500, sale_id=uid())],
    )
    balance = wallet.balance(T0)
    assert (balance.available, balance.debt) == (0, 500)
    wallet.apply(lot(2_000, when=at(1)))
    assert wallet.available(at(1)) == 1_500
    assert wallet.balance(at(1)).debt == 0


def _debt_then_lot(*between: LedgerEntry, activates: int = 1) -> list[LedgerEntry]:
    """A lot of 1,000, a redemption of 1,500 (500 owed), then a lot of 2,000 that
    activates on day ``activates`` and lapses on day 30."""
    return [
        lot(1_000, when=at(-1)),
        entry(EntryKind.REDEMPTION, points=-1_500, sale_id=uid()),
        lot(2_000, when=at(1), activates=at(activates), expires=at(30)),
        *between,
    ]


def _after_expiry(entries: list[LedgerEntry]) -> tuple[int, int, int]:
    """(points the recorded expiry takes, debt, ledger total) once the lot has lapsed."""
    wallet = project(CUSTOMER, entries)
    due = expiry_entries_due(wallet, now=at(31), till_id="t", rules_version=1)
    for e in due:
        wallet.apply(e)
    balance = wallet.balance(at(31))
    return -_sum(due), balance.debt, balance.ledger_total


def test_debt_is_repaid_by_the_next_lot_whether_or_not_another_entry_falls_between() -> None:
    # The 2,000 lot repays the 500 owed as it arrives: 1,500 is left to lapse, nothing owed.
    quiet = _debt_then_lot()
    busy = _debt_then_lot(entry(EntryKind.PURCHASE, amount=0, sale_id=uid(), when=at(2)))
    assert project(CUSTOMER, quiet).balance(at(5)).available == 1_500
    assert _after_expiry(quiet) == (1_500, 0, 0)
    assert _after_expiry(busy) == (1_500, 0, 0)


def test_a_pending_lot_repays_debt_at_its_activation_even_with_no_entry_then() -> None:
    # The lot activates on day 10 and lapses on day 30; no entry falls in between.
    entries = _debt_then_lot(activates=10)
    wallet = project(CUSTOMER, entries)
    assert wallet.balance(at(5)).debt == 500  # still owed while the lot is pending
    assert wallet.balance(at(5)).pending_total == 2_000
    assert (wallet.balance(at(10)).available, wallet.balance(at(10)).debt) == (1_500, 0)
    # After the lapse the wallet says what a busy ledger says: 1,500 lapsed, no debt.
    lapsed = wallet.balance(at(31))
    assert (lapsed.lapsed, lapsed.debt, lapsed.available) == (1_500, 0, 0)
    assert _after_expiry(entries) == (1_500, 0, 0)
    ticked = _debt_then_lot(entry(EntryKind.PROMO_USE, ref="SPRING", when=at(20)), activates=10)
    assert _after_expiry(ticked) == (1_500, 0, 0)


def test_restored_points_repay_an_open_debt_at_once() -> None:
    sale = uid()
    entries = [
        lot(1_000, when=at(-2)),
        entry(EntryKind.REDEMPTION, points=-1_000, sale_id=sale, when=at(-1)),
        entry(EntryKind.REDEMPTION, points=-600, sale_id=uid()),  # 600 owed
        entry(EntryKind.RESTORE, points=400, sale_id=sale, when=at(1)),
    ]
    balance = project(CUSTOMER, entries).balance(at(1))
    assert (balance.available, balance.debt) == (0, 200)
    assert balance.ledger_total == _sum(entries) == -200


def test_a_lot_activating_now_has_repaid_the_debt_at_this_very_moment() -> None:
    # 500 owed; a lot of 2,000 pending until day 10, lapsing on day 30.
    wallet = project(
        CUSTOMER, [*_owing(), lot(2_000, when=at(1), activates=at(10), expires=at(30))]
    )
    just_before = wallet.balance(at(10) - timedelta(microseconds=1), expiring_within=MONTH)
    assert (just_before.available, just_before.debt) == (0, 500)
    assert just_before.pending == (PendingPoints(2_000, at(10)),)
    # At 10 days sharp: 2,000 - 500 = 1,500 usable, and that is what lapses on day 30.
    at_activation = wallet.balance(at(10), expiring_within=MONTH)
    assert (at_activation.available, at_activation.debt, at_activation.pending) == (1_500, 0, ())
    assert at_activation.expiring == (ExpiringPoints(1_500, at(30)),)
    assert wallet.expiring_after(at(10), MONTH, spend=200) == [ExpiringPoints(1_300, at(30))]
    # A day before, with the 500 still owed and the lot pending, it would keep all 2,000.
    assert wallet.expiring_after(at(9), MONTH, spend=0) == [ExpiringPoints(2_000, at(30))]


def test_while_a_debt_remains_no_points_are_shown_as_lapsing() -> None:
    # 1,500 owed; a lot of 400 activating on day 5 and lapsing on day 20 pays 400 of it.
    # On day 6 the customer owes 1,100 and has nothing that could lapse.
    entries = [*_owing(1_500), lot(400, when=at(1), activates=at(5), expires=at(20))]
    wallet = project(CUSTOMER, entries)
    day6 = wallet.balance(at(6), expiring_within=MONTH)
    assert (day6.available, day6.debt, day6.expiring) == (0, 1_100, ())
    assert wallet.expiring_after(at(6), MONTH, spend=0) == []


def test_debt_is_repaid_by_lots_in_the_order_they_activate() -> None:
    # 500 owed. A lot of 300 activates on day 5 (lapses on day 60), a lot of 1,000 on
    # day 10 (lapses on day 20). Day 5: the 300 pays, 200 still owed. Day 10: the 1,000
    # pays the 200 and keeps 800, which lapse on day 20. Not: the 1,000 paying all 500
    # on day 10 because it lapses sooner (the 300 had repaid its part 5 days earlier).
    entries = [
        *_owing(),
        lot(300, when=at(1), activates=at(5), expires=at(60)),
        lot(1_000, when=at(1), activates=at(10), expires=at(20)),
    ]
    for ledger in (entries, [*entries, _tick(7), _tick(12)]):  # quiet or busy, the same
        day7, day12, day21 = _on(ledger, 7), _on(ledger, 12), _on(ledger, 21)
        assert (day7.available, day7.debt, day7.pending_total) == (0, 200, 1_000)
        assert (day12.available, day12.debt) == (800, 0)
        assert day12.expiring == (ExpiringPoints(800, at(20)),)
        assert (day21.available, day21.lapsed, day21.debt) == (0, 800, 0)


def test_lots_activating_together_repay_the_debt_soonest_expiry_first() -> None:
    # 500 owed. On day 10 a lot of 1,000 (lapsing on day 100) and one of 300 (lapsing on
    # day 15) activate together: the 300 pays first, as a purchase would spend it, then
    # 200 of the 1,000. On day 16 nothing has lapsed and 800 is left.
    entries = [
        *_owing(),
        lot(1_000, when=at(1), activates=at(10), expires=at(100)),
        lot(300, when=at(1), activates=at(10), expires=at(15)),
    ]
    for ledger in (entries, [*entries, _tick(11)]):
        day16 = _on(ledger, 16)
        assert (day16.available, day16.lapsed, day16.debt) == (800, 0, 0)


def test_a_debt_larger_than_the_lots_that_activate_stays_owed_for_the_rest() -> None:
    # 1,500 owed; lots of 400 (day 5) and 600 (day 8) activate and pay 1,000 of it: 500 is
    # still owed on day 9, while a lot of 2,000 waits for day 40 (lapsing later than both).
    # A lot of 2,000 arriving active on day 9 pays the 500 at once: 1,500 usable.
    entries = [
        *_owing(1_500),
        lot(400, when=at(1), activates=at(5), expires=at(90)),
        lot(600, when=at(1), activates=at(8), expires=at(90)),
        lot(2_000, when=at(1), activates=at(40), expires=at(200)),
    ]
    day9 = _on(entries, 9)
    assert (day9.available, day9.debt) == (0, 500)
    assert day9.pending == (PendingPoints(2_000, at(40)),)
    assert day9.ledger_total == _sum(entries) == 1_500
    arrived = [*entries, lot(2_000, when=at(9))]
    day9 = _on(arrived, 9)
    assert (day9.available, day9.debt, day9.pending_total) == (1_500, 0, 2_000)
    assert _on(arrived, 41).available == 3_500


def test_what_can_be_spent_after_a_pending_lot_repaid_the_debt_is_the_lot_less_the_debt() -> None:
    # Debt 500; the lot of 2,000 activates on day 10 with no entry since. The till asks
    # what may be spent (``available``): 2,000 - 500 = 1,500, as the balance says.
    wallet = project(CUSTOMER, _debt_then_lot(activates=10))
    assert wallet.available(at(5)) == 0
    assert wallet.available(at(10)) == wallet.balance(at(10)).available == 1_500
    assert wallet.available(at(10), extra=100) == 1_600  # a birthday bonus granted now
