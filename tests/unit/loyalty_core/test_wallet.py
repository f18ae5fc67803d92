from datetime import timedelta

import pytest

from loyalty_core.adjustments import (
    AdjustmentRefusedError,
    adjustment_entry,
    expiry_entries_due,
)
from loyalty_core.ledger import ConflictingEntryError, EntryKind, InvalidEntryError, LedgerEntry
from loyalty_core.wallet import (
    ExpiringPoints,
    Lot,
    OutOfOrderEntryError,
    UnknownLotError,
    Wallet,
    project,
    wallet_to_snapshot,
)

from .builders import CUSTOMER, T0, at, entry, lot, plain_rules, uid


def _sum(entries: list[LedgerEntry]) -> int:
    return sum(e.points for e in entries)


def test_pending_points_are_not_spendable_until_their_activation_date() -> None:
    wallet = project(CUSTOMER, [lot(12_000, activates=at(14))])
    assert wallet.available(at(13, 23)) == 0
    balance = wallet.balance(at(1))
    assert balance.pending_total == 12_000
    assert balance.pending[0].activates_at == at(14)
    assert wallet.available(at(14)) == 12_000


def test_points_expiring_at_the_moment_of_purchase_are_gone() -> None:
    # A lot expiring at 00:00 on the day of purchase: nothing is left at 09:00 that day.
    wallet = project(CUSTOMER, [lot(5_000, when=at(-30), expires=at(0, -9))])
    assert wallet.available(at(0, -9)) == 0
    assert wallet.available(at(0, -9) - timedelta(microseconds=1)) == 5_000
    assert wallet.balance(T0).lapsed == 5_000
    # At the very instant of expiry the balance already counts them lapsed, and the
    # sweep already records them.
    at_expiry = wallet.balance(at(0, -9))
    assert (at_expiry.available, at_expiry.lapsed, at_expiry.expiring) == (0, 5_000, ())
    due = expiry_entries_due(wallet, now=at(0, -9), till_id="t", rules_version=1)
    assert [e.points for e in due] == [-5_000]
    before = at(0, -9) - timedelta(microseconds=1)
    assert expiry_entries_due(wallet, now=before, till_id="t", rules_version=1) == []


def test_a_lot_is_usable_from_its_activation_until_just_before_its_expiry() -> None:
    one = Lot(
        "l", "accrual", 100, activates_at=at(1), expires_at=at(10), sale_id=None, remaining=100
    )
    tick = timedelta(microseconds=1)
    assert [one.usable_at(m) for m in (at(1) - tick, at(1), at(10) - tick, at(10))] == [
        False,
        True,
        True,
        False,
    ]


def test_spending_burns_the_soonest_expiring_lot_first() -> None:
    late = lot(10_000, when=at(-10), expires=at(300))
    soon = lot(3_000, when=at(-5), expires=at(20))
    spend = entry(EntryKind.REDEMPTION, points=-4_000, sale_id=uid())
    wallet = project(CUSTOMER, [late, soon, spend])
    # 3 000 from the lot expiring in 20 days, then 1 000 from the later one.
    assert wallet.lots[soon.id].remaining == 0
    assert wallet.lots[late.id].remaining == 9_000
    assert wallet.balance(at(1), expiring_within=timedelta(days=30)).expiring == ()


def test_points_lapsing_at_the_end_of_the_notice_period_are_shown_as_expiring() -> None:
    # Asked on day 0 with a 30-day horizon: a lot lapsing on day 30 sharp is expiring, one
    # lapsing a microsecond later is not yet.
    edge = lot(400, when=at(-1), expires=at(30))
    later = lot(900, when=at(-1), expires=at(30) + timedelta(microseconds=1))
    wallet = project(CUSTOMER, [edge, later])
    balance = wallet.balance(T0, expiring_within=timedelta(days=30))
    assert balance.expiring == (ExpiringPoints(400, at(30)),)
    assert balance.available == 1_300
    # What a receipt shows after a sale spending 100: 300 of the 400 still lapse on day 30.
    soon = wallet.expiring_after(T0, timedelta(days=30), spend=100)
    assert soon == [ExpiringPoints(300, at(30))]


def test_a_pending_lot_lapsing_sooner_does_not_stop_spending_from_an_active_one() -> None:
    # A lot of 700 pending until day 5 lapses on day 20; an active lot of 2,000 lapses on
    # day 300. Spending 1,500 today takes it all from the active lot: nothing is owed.
    pending = lot(700, when=at(-1), activates=at(5), expires=at(20))
    active = lot(2_000, when=at(-1), expires=at(300))
    spend = entry(EntryKind.REDEMPTION, points=-1_500, sale_id=uid())
    balance = project(CUSTOMER, [pending, active, spend]).balance(T0)
    assert (balance.available, balance.debt, balance.pending_total) == (500, 0, 700)


def test_a_lot_can_be_spent_from_the_instant_it_activates() -> None:
    wallet = project(CUSTOMER, [lot(1_000, when=at(-1), activates=at(3))])
    wallet.apply(entry(EntryKind.REDEMPTION, points=-400, sale_id=uid(), when=at(3)))
    assert (wallet.available(at(3)), wallet.balance(at(3)).debt) == (600, 0)


def test_each_lot_remembers_where_it_came_from() -> None:
    sale = uid()
    accrual = entry(
        EntryKind.ACCRUAL,
        points=500,
        sale_id=sale,
        activates_at=at(14),
        expires_at=at(365),
        ref="SPRING",  # a lot with a promo code noted is not a bonus
    )
    welcome = entry(EntryKind.BONUS, points=300, ref="welcome", activates_at=T0, expires_at=at(30))
    plus = adjustment_entry(
        plain_rules(),
        entry_id=uid(),
        customer_id=CUSTOMER,
        points=200,
        reason="complaint #12",
        author="manager-1",
        now=T0,
        till_id="t",
    )
    wallet = project(CUSTOMER, [accrual, welcome, plus])
    lots = wallet.lots
    assert [(lots[e.id].source, lots[e.id].sale_id) for e in (accrual, welcome, plus)] == [
        ("accrual", sale),
        ("welcome", None),
        ("adjustment", None),
    ]
    assert wallet.bonus_last == {"welcome": T0}


def test_taking_back_or_expiring_a_lot_the_customer_does_not_have_is_refused() -> None:
    wallet = project(CUSTOMER, [lot(1_000)])
    with pytest.raises(UnknownLotError) as asked:
        wallet.reversal_effect("no-such-lot", 100)
    assert asked.value.params == {"entry_id": "-", "lot_id": "no-such-lot"}
    for kind in (EntryKind.REVERSAL, EntryKind.EXPIRY):
        stray = entry(kind, points=-100, amount=100, lot_id="no-such-lot", when=at(1))
        with pytest.raises(UnknownLotError) as applied:
            wallet.apply(stray)
        assert applied.value.params == {"entry_id": stray.id, "lot_id": "no-such-lot"}
        assert applied.value.code == "ledger.unknown_lot"


def test_the_ledger_sums_to_the_balance_with_debt_and_lapsed_points() -> None:
    entries = [
        lot(1_000, when=at(-400), expires=at(-35)),  # lapsed, not recorded
        lot(2_000, when=at(-10)),
        lot(700, when=at(-1), activates=at(13)),  # pending
        entry(EntryKind.REDEMPTION, points=-2_500, sale_id=uid()),  # 500 short: debt
    ]
    balance = project(CUSTOMER, entries).balance(T0)
    assert (balance.available, balance.pending_total, balance.lapsed, balance.debt) == (
        0,
        700,
        1_000,
        500,
    )
    assert balance.ledger_total == _sum(entries) == 1_200


def test_replaying_the_ledger_in_any_order_gives_the_same_state() -> None:
    entries = [
        lot(1_000, when=at(-3)),
        lot(2_000, when=at(-2)),
        entry(EntryKind.REDEMPTION, points=-1_500, sale_id=uid(), when=at(-1)),
    ]
    first = project(CUSTOMER, entries)
    again = project(CUSTOMER, list(reversed(entries)) + entries)  # shuffled, each twice
    assert wallet_to_snapshot(first) == wallet_to_snapshot(again)


def test_an_older_entry_cannot_be_applied_incrementally() -> None:
    wallet = project(CUSTOMER, [lot(1_000, when=at(1))])
    with pytest.raises(OutOfOrderEntryError) as caught:
        wallet.apply(older := lot(500, when=at(0)))
    assert caught.value.code == "ledger.out_of_order"
    assert caught.value.params == {"entry_id": older.id}  # the message names the entry
    assert older.id in caught.value.message


def test_the_same_entry_applied_twice_counts_once() -> None:
    accrual = lot(1_000)
    wallet = Wallet(CUSTOMER)
    wallet.apply(accrual)
    wallet.apply(accrual)
    assert wallet.available(at(1)) == 1_000
    assert wallet.entry_count == 1
    wallet.apply(lot(500, when=at(1)))
    assert wallet.entry_count == 2


def test_another_customers_entries_and_gift_card_moves_leave_the_wallet_alone() -> None:
    # The till's ledger holds everyone's entries: a referrer's bonus, a gift card spent by
    # this customer on day 5. Only the customer's own bonus entries fold in, so an entry of
    # theirs from day 3 that arrives afterwards is not out of order.
    other = lot(9_000, when=at(1), customer="22222222-2222-7222-8222-222222222222")
    card = entry(EntryKind.GIFT_CARD_SPEND, amount=5_000, gift_card_id=uid(), when=at(5))
    wallet = project(CUSTOMER, [lot(1_000, when=at(-1)), other, card])
    assert (wallet.available(at(5)), wallet.entry_count) == (1_000, 1)
    wallet.apply(lot(200, when=at(3)))
    assert wallet.available(at(5)) == 1_200


def test_two_different_entries_with_one_id_are_refused() -> None:
    first = lot(1_000, entry_id="00000000-0000-7000-8000-00000000abcd")
    other = lot(9_000, entry_id="00000000-0000-7000-8000-00000000abcd")
    with pytest.raises(ConflictingEntryError):
        project(CUSTOMER, [first, other])


def test_a_staff_adjustment_of_one_point_counts() -> None:
    plus_one = entry(
        EntryKind.ADJUSTMENT,
        points=1,
        activates_at=T0,
        expires_at=at(30),
        reason="rounding",
        author="manager-1",
    )
    assert project(CUSTOMER, [plus_one]).available(at(1)) == 1


def test_an_adjustment_of_zero_points_in_the_ledger_changes_nothing() -> None:
    # adjustment_entry refuses 0, but the ledger may hold one (an older till, an import).
    zero = entry(EntryKind.ADJUSTMENT, points=0, reason="typo", author="manager-1")
    wallet = project(CUSTOMER, [lot(1_000, when=at(-1)), zero])
    assert (wallet.available(T0), wallet.balance(T0).debt, len(wallet.lots)) == (1_000, 0, 1)


def test_entries_are_validated_on_construction() -> None:
    with pytest.raises(InvalidEntryError, match="lot needs activates_at"):
        LedgerEntry(
            id=uid(),
            kind=EntryKind.ACCRUAL,
            occurred_at=T0,
            till_id="t",
            rules_version=1,
            customer_id=CUSTOMER,
            points=10,
        )
    with pytest.raises(InvalidEntryError, match="cannot add points"):
        entry(EntryKind.REDEMPTION, points=10)
    with pytest.raises(InvalidEntryError, match="aware"):
        entry(EntryKind.PURCHASE, when=T0.replace(tzinfo=None))
    # A lot's activation or expiry without a time zone would only fail later, in the wallet.
    with pytest.raises(InvalidEntryError, match="expires_at must be an aware"):
        lot(10, expires=(T0 + timedelta(days=30)).replace(tzinfo=None))
    with pytest.raises(InvalidEntryError, match="activates_at must be an aware"):
        LedgerEntry.from_wire({**lot(10).to_wire(), "activates_at": "2024-03-01T09:00:00"})


def test_entries_survive_the_wire() -> None:
    accrual = lot(1_000)
    assert LedgerEntry.from_wire(accrual.to_wire()) == accrual


def test_adjustments_need_a_reason_and_an_author_and_can_go_both_ways() -> None:
    rules = plain_rules()
    plus = adjustment_entry(
        rules,
        entry_id=uid(),
        customer_id=CUSTOMER,
        points=700,
        reason="complaint #12",
        author="manager-1",
        now=T0,
        till_id="t",
    )
    minus = adjustment_entry(
        rules,
        entry_id=uid(),
        customer_id=CUSTOMER,
        points=-200,
        reason="duplicate",
        author="manager-1",
        now=at(1),
        till_id="t",
    )
    wallet = project(CUSTOMER, [plus, minus])
    assert wallet.available(at(2)) == 500
    with pytest.raises(AdjustmentRefusedError, match="reason"):
        adjustment_entry(
            rules,
            entry_id=uid(),
            customer_id=CUSTOMER,
            points=5,
            reason=" ",
            author="m",
            now=T0,
            till_id="t",
        )


def test_recording_expiries_changes_no_balance_and_happens_once() -> None:
    entries = [lot(1_000, when=at(-400), expires=at(-35)), lot(300, when=at(-1))]
    wallet = project(CUSTOMER, entries)
    before = wallet.balance(T0)
    due = expiry_entries_due(wallet, now=T0, till_id="t", rules_version=1)
    assert [(e.points, e.lot_id) for e in due] == [(-1_000, entries[0].id)]
    for e in due:
        wallet.apply(e)
    after = wallet.balance(T0)
    assert (after.available, after.lapsed) == (before.available, 0)
    assert after.ledger_total == _sum(entries + due) == 300
    assert expiry_entries_due(wallet, now=T0, till_id="t", rules_version=1) == []
