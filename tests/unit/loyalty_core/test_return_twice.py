"""One receipt returned more than once: two tills offline, or a return the server replays.

Each till prices the return with what it knows: its own earlier returns of the receipt
(``already_returned``) and its copy of the customer's wallet. When neither says that the
receipt was already returned elsewhere, both tills refund the money (the engine prices it;
the till and the server record it), but the wallet, where every till and the server fold
the entries, restores the sale's redeemed bonus and takes back its accrual only once.
"""

from __future__ import annotations

import copy
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import MAX, price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.rules import LoyaltyRules
from loyalty_core.sale import accrual_lot_id, sale_entries
from loyalty_core.wallet import Wallet, project

from .builders import CUSTOMER, at, line, lot, plain_rules

REFERRER = "22222222-2222-7222-8222-222222222222"


@dataclass
class Store:
    """The server's ledger of one customer, and the tills' copies of the wallet."""

    rules: LoyaltyRules
    ledger: list[LedgerEntry] = field(default_factory=list)
    made: int = 0

    def uid(self) -> str:
        """Ids from a counter, so every example replays identically."""
        self.made += 1
        return str(uuid.UUID(int=self.made | (0x7 << 76) | (0b10 << 62)))

    def wallet(self) -> Wallet:
        """The customer's wallet as the server folds everything pushed so far."""
        return project(CUSTOMER, self.ledger)

    def sell(
        self,
        cart: list[CartLine],
        when: datetime,
        redeem: int | str = 0,
        till: Till | None = None,
        **customer: str,
    ) -> tuple[str, PricedReceipt]:
        wallet = till.wallet if till is not None else self.wallet()
        receipt = price_checkout(
            self.rules,
            cart,
            now=when,
            customer=CustomerState(CUSTOMER, wallet, **customer),  # type: ignore[arg-type]
            redeem=redeem,  # type: ignore[arg-type]
        )
        sale = self.uid()
        entries = sale_entries(receipt, sale_id=sale, till_id="t")
        self.push(entries)
        if till is not None:
            till.take(entries)
        return sale, receipt

    def push(self, entries: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> None:
        self.ledger += [e for e in entries if e.customer_id == CUSTOMER]

    def till(self, name: str) -> Till:
        """A till that has synced with the server just now."""
        return Till(name, self, self.wallet())


@dataclass
class Till:
    name: str
    store: Store
    wallet: Wallet
    done: dict[str, dict[str, int]] = field(default_factory=dict)  # its own returns

    def take(self, entries: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> None:
        for e in entries:
            self.wallet.apply(e)

    def give_back(
        self,
        sale: str,
        receipt: PricedReceipt,
        quantities: dict[str, int],
        when: datetime,
        referrer_wallet: Wallet | None = None,
    ) -> PricedReturn:
        done = self.done.setdefault(sale, {})
        result = price_return(
            self.store.rules,
            receipt,
            quantities,
            sale_id=sale,
            return_id=self.store.uid(),
            till_id=self.name,
            now=when,
            already_returned=dict(done),
            wallet=self.wallet,
            referrer_wallet=referrer_wallet,
            late_approved=True,
        )
        self.take(result.entries)
        self.store.push(result.entries)
        for line_id, qty in quantities.items():
            done[line_id] = done.get(line_id, 0) + qty
        return result


def _bought_with_300_of_bonus() -> tuple[Store, str, PricedReceipt]:
    # 1 000,00 of bonus on hand; a 1 000,00 item paid 30% with bonus (the cap): 300,00
    # (30 000 points) redeemed, 700,00 paid, earning 5% of it = 35,00 (active at once).
    store = Store(plain_rules())
    store.push([lot(100_000, when=at(-10), expires=at(300), entry_id=store.uid())])
    sale, receipt = store.sell([line(100_000, line_id="a", qty=2000)], at(0), redeem=MAX)
    assert (receipt.redeemed, receipt.due, receipt.accrual) == (30_000, 70_000, 3_500)
    assert store.wallet().available(at(0)) == 70_000 + 3_500
    return store, sale, receipt


def test_a_receipt_returned_at_two_tills_offline_restores_its_bonus_once() -> None:
    store, sale, receipt = _bought_with_300_of_bonus()
    till_a, till_b = store.till("A"), store.till("B")  # both offline from here on
    at_a = till_a.give_back(sale, receipt, {"a": 2000}, at(1))
    at_b = till_b.give_back(sale, receipt, {"a": 2000}, at(2))
    # Neither till knew of the other: each refunds 700,00 and believes it restores 300,00
    # and takes back 35,00.
    for result in (at_a, at_b):
        assert (result.refund, result.bonus_restored, result.points_taken_back) == (
            70_000,
            30_000,
            3_500,
        )
    # The server folds both: 1 000,00 - 300,00 + 35,00 + 300,00 - 35,00 = 1 000,00, as
    # before the sale; not 1 300,00 (30 000 points restored twice).
    wallet = store.wallet()
    balance = wallet.balance(at(3))
    assert (balance.available, balance.ledger_total, balance.debt) == (100_000, 100_000, 0)
    assert wallet.restorable(sale) == 0
    assert wallet.lots[accrual_lot_id(sale)].reversed == 3_500  # once, not 7 000
    # Till A, once B's entries reach it, agrees with the server.
    till_a.take([e for e in store.ledger if e.till_id == "B"])
    assert till_a.wallet.balance(at(3)) == balance


def test_a_till_that_knows_of_the_other_tills_return_gives_back_only_the_money() -> None:
    store, sale, receipt = _bought_with_300_of_bonus()
    store.till("A").give_back(sale, receipt, {"a": 2000}, at(1))
    # Till B has synced A's entries into its wallet, but not A's return of this receipt.
    result = store.till("B").give_back(sale, receipt, {"a": 2000}, at(2))
    assert (result.refund, result.bonus_restored, result.points_taken_back) == (70_000, 0, 0)
    assert [(ln.bonus_restored, ln.accrual_reversed) for ln in result.lines] == [(0, 0)]
    assert [e.kind for e in result.entries] == [EntryKind.PURCHASE_RETURN]
    assert [(n.code, n.params) for n in result.notes] == [
        (
            "return.already_returned",
            {"restored": 0, "restore_asked": 30_000, "reversed": 0, "reversal_asked": 3_500},
        )
    ]
    assert result.notes[0].message == (
        "This receipt was already returned: 0,00 of 300,00 bonus restored, 0,00 of 35,00 taken back"
    )
    assert store.wallet().balance(at(3)).available == 100_000


def test_a_till_that_knows_of_half_the_receipt_returned_elsewhere_restores_the_other_half() -> None:
    store, sale, receipt = _bought_with_300_of_bonus()
    half = store.till("A").give_back(sale, receipt, {"a": 1000}, at(1))
    assert (half.bonus_restored, half.points_taken_back) == (15_000, 1_750)
    # B knows A's entries, not A's return: it asks for both pieces and gets what is left.
    rest = store.till("B").give_back(sale, receipt, {"a": 2000}, at(2))
    assert (rest.refund, rest.bonus_restored, rest.points_taken_back) == (70_000, 15_000, 1_750)
    assert [n.params for n in rest.notes] == [
        {"restored": 15_000, "restore_asked": 30_000, "reversed": 1_750, "reversal_asked": 3_500}
    ]
    assert store.wallet().balance(at(3)).available == 100_000


def test_a_return_that_asks_for_no_more_than_is_left_has_no_note() -> None:
    store, sale, receipt = _bought_with_300_of_bonus()
    till = store.till("A")
    till.give_back(sale, receipt, {"a": 1000}, at(1))
    rest = till.give_back(sale, receipt, {"a": 1000}, at(2))
    assert (rest.bonus_restored, rest.points_taken_back, rest.notes) == (15_000, 1_750, ())


def test_bonus_that_covered_an_overdraft_since_repaid_comes_back_once_as_a_fresh_lot() -> None:
    rules = plain_rules(tiers={"tiers": [{"code": "b", "name": "B", "min_spend": 0}]})  # no accrual
    store = Store(rules)
    store.push([lot(10_000, when=at(-10), expires=at(300), entry_id=store.uid())])
    online, offline = store.till("A"), store.till("B")
    # The customer spends their 100,00 of bonus at till A, then again at till B, offline.
    store.sell([line(100_000)], at(0), redeem=10_000, till=online)
    sale, receipt = store.sell([line(100_000, line_id="a")], at(0, 1), redeem=10_000, till=offline)
    assert receipt.redeemed == 10_000
    assert store.wallet().balance(at(1)).debt == 10_000  # B's spend was an overdraft
    # Day 5: 100,00 of new bonus repays that debt.
    store.push([lot(10_000, when=at(5), expires=at(300), entry_id=store.uid())])
    assert (store.wallet().available(at(5)), store.wallet().balance(at(5)).debt) == (0, 0)
    # Day 6: B takes its receipt back. The 100,00 it redeemed had been paid for by the new
    # bonus, so it comes back as a fresh lot, usable at once.
    offline.give_back(sale, receipt, {"a": 1000}, at(6))
    assert store.wallet().available(at(6)) == 10_000
    # Day 7: till C, synced on day 5 and unaware of B's return, takes the receipt back too.
    synced_on_day_5 = project(CUSTOMER, [e for e in store.ledger if e.occurred_at < at(6)])
    again = Till("C", store, synced_on_day_5).give_back(sale, receipt, {"a": 1000}, at(7))
    assert again.bonus_restored == 10_000  # what C believes; the wallet gives nothing more
    balance = store.wallet().balance(at(7))
    assert (balance.available, balance.ledger_total, balance.debt) == (10_000, 10_000, 0)


def test_an_accrual_taken_back_once_is_not_taken_again_after_a_restore_refilled_its_lot() -> None:
    store = Store(plain_rules())
    store.push([lot(1_000, when=at(-5), expires=at(300), entry_id=store.uid())])
    sale_1 = store.sell([line(10_000, line_id="a")], at(0))  # earns 5,00, usable at once
    # Day 1: 15,00 paid with bonus, 10,00 from the older lot and the 5,00 just earned;
    # the 85,00 paid earn 4,25.
    sale_2 = store.sell([line(10_000, line_id="b")], at(1), redeem=1_500)
    stale = store.till("B")  # knows both sales, nothing after
    till = store.till("A")
    # Day 2: sale 1 back at A. Its 5,00 were spent: 4,25 come off the balance, 0,75 is debt.
    till.give_back(*sale_1, {"a": 1000}, at(2))
    # Day 3: sale 2 back at A: 15,00 restored (5,00 of it into sale 1's lot), the debt
    # repaid, sale 2's 4,25 taken back: the customer is back at 10,00.
    till.give_back(*sale_2, {"b": 1000}, at(3))
    assert store.wallet().balance(at(3)).available == 1_000
    assert store.wallet().lots[accrual_lot_id(sale_1[0])].remaining == 500  # refilled
    # Day 4: B, offline since day 1, takes sale 1 back too. Its lot holds 5,00 again, but
    # the 5,00 it earned were taken back on day 2: nothing more goes.
    again = stale.give_back(*sale_1, {"a": 1000}, at(4))
    assert again.points_taken_back == 500  # what B believes
    balance = store.wallet().balance(at(4))
    assert (balance.available, balance.debt, balance.ledger_total) == (1_000, 0, 1_000)


def test_a_first_purchase_returned_twice_takes_each_referral_bonus_back_once() -> None:
    # The first purchase earns the customer 5,00 + 200,00 and the referrer 300,00.
    store = Store(plain_rules(referral={"referrer_points": 30_000, "referred_points": 20_000}))
    sale, receipt = store.sell([line(10_000, line_id="a")], at(0), referred_by=REFERRER)
    referrer = Wallet(REFERRER)
    for e in sale_entries(receipt, sale_id=sale, till_id="t"):
        referrer.apply(e)
    till_a, till_b = store.till("A"), store.till("B")
    at_a = till_a.give_back(sale, receipt, {"a": 1000}, at(1), copy.deepcopy(referrer))
    at_b = till_b.give_back(sale, receipt, {"a": 1000}, at(2))  # B has no referrer wallet
    assert (at_a.points_taken_back, at_b.points_taken_back) == (20_500, 20_500)
    for e in (*at_a.entries, *at_b.entries):
        referrer.apply(e)
    # Each lot was emptied by the first reversal: the second finds nothing to take, so
    # neither customer ends up owing the bonus a second time.
    customer = store.wallet().balance(at(3))
    assert (customer.ledger_total, customer.debt) == (0, 0)
    assert (referrer.balance(at(3)).ledger_total, referrer.balance(at(3)).debt) == (0, 0)


def test_the_note_counts_the_boost_and_the_referral_bonus_among_what_was_asked_back() -> None:
    # A first purchase of 100,00: 5,00 accrual, 5,00 boost (10% in all) and 200,00 for
    # being invited, 300,00 for the referrer. Returned in full at till A.
    rules = plain_rules(
        first_purchase={"accrual_bp": 1000},
        referral={"referrer_points": 30_000, "referred_points": 20_000},
    )
    store = Store(rules)
    sale, receipt = store.sell([line(10_000, line_id="a")], at(0), referred_by=REFERRER)
    assert (receipt.accrual, receipt.boost) == (500, 500)
    referrer = Wallet(REFERRER)
    for e in sale_entries(receipt, sale_id=sale, till_id="t"):
        referrer.apply(e)
    first = store.till("A").give_back(sale, receipt, {"a": 1000}, at(1), copy.deepcopy(referrer))
    assert first.points_taken_back == 500 + 500 + 20_000
    for e in first.entries:
        referrer.apply(e)
    # Till C knows A's entries (the customer's and the referrer's), not A's return.
    again = store.till("C").give_back(sale, receipt, {"a": 1000}, at(2), copy.deepcopy(referrer))
    assert [(ln.accrual_reversed, ln.boost_reversed) for ln in again.lines] == [(0, 0)]
    assert [e.kind for e in again.entries] == [EntryKind.PURCHASE_RETURN]
    assert [n.params for n in again.notes] == [
        {"restored": 0, "restore_asked": 0, "reversed": 0, "reversal_asked": 21_000}
    ]


def test_a_piece_returned_again_elsewhere_takes_back_the_accrual_left_without_a_note() -> None:
    # An invited customer's first purchase of 2 pieces for 100,00 earns 5,00 and 200,00.
    rules = plain_rules(referral={"referrer_points": 30_000, "referred_points": 20_000})
    store = Store(rules)
    sale, receipt = store.sell([line(10_000, line_id="a", qty=2000)], at(0), referred_by=REFERRER)
    store.till("A").give_back(sale, receipt, {"a": 1000}, at(1))
    # Till C knows A's entries, not A's return: one piece back is, to the wallet, the other
    # half of the accrual. Nothing is short, and the receipt is not complete to C, so the
    # referral bonus is neither taken back nor counted as asked.
    again = store.till("C").give_back(sale, receipt, {"a": 1000}, at(2))
    assert (again.refund, again.points_taken_back, again.complete, again.notes) == (
        5_000,
        250,
        False,
        (),
    )
    assert store.wallet().balance(at(3)).available == 20_000


# -- property ------------------------------------------------------------------------

cart_st = st.lists(
    st.tuples(st.integers(1, 60_000), st.sampled_from([1000, 2000, 3000, 250])),
    min_size=1,
    max_size=3,
)


def _taken(result: PricedReturn) -> int:
    """Accrual and boost a return takes back, line by line."""
    return sum(ln.accrual_reversed + ln.boost_reversed for ln in result.lines)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cart=cart_st,
    opening=st.integers(0, 50_000),
    redeem=st.one_of(st.just(MAX), st.integers(0, 40_000)),
    boost=st.booleans(),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 2**32)), min_size=1, max_size=9
    ),
)
@example(  # the sale's redemption spent its own boost: partial returns move a point to it
    cart=[(14, 1000)], opening=4, redeem=MAX, boost=True, steps=[(0, False, 0)] * 5
)
def test_returning_the_same_lines_any_number_of_times_never_gives_back_more_than_the_sale_took(
    cart: list[tuple[int, int]],
    opening: int,
    redeem: int | str,
    boost: bool,
    steps: list[tuple[int, bool, int]],
) -> None:
    """Up to three tills return the receipt, each in its own split and counting only its own
    returns; before a return a till may sync the server's wallet. However many times the lines
    come back, the money is refunded as asked, the server's wallet restores at most what the
    sale redeemed and takes back at most what it earned; a till that knows every return shows
    exactly what the wallet does, and says so when that is less than asked; and once one till
    has taken everything back, the customer is where they were before the sale."""
    store = Store(plain_rules(first_purchase={"accrual_bp": 1000 if boost else 0}))
    if opening:
        store.push([lot(opening, when=at(-1), expires=at(300), entry_id=store.uid())])
    before = store.wallet()
    cart_lines = [line(a, line_id=str(n), qty=q) for n, (a, q) in enumerate(cart)]
    sale, receipt = store.sell(cart_lines, at(0), redeem=redeem)
    server, after_sale = store.wallet(), store.wallet()
    tills = [store.till(name) for name in "ABC"]
    restored = taken_back = 0
    now = at(0)
    for which, sync, seed in steps:
        till, rng = tills[which], random.Random(seed)
        if sync:
            till.wallet = copy.deepcopy(server)
        done = dict(till.done.get(sale, {}))
        wanted = {
            ln.line_id: rng.randint(0, ln.quantity_milli - done.get(ln.line_id, 0))
            for ln in receipt.lines
        }
        wanted = {k: v for k, v in wanted.items() if v}
        if not wanted:
            continue
        now += timedelta(hours=1)
        # What the return asks for: priced on the wallet as it was right after the sale.
        asked = price_return(
            store.rules,
            receipt,
            wanted,
            sale_id=sale,
            return_id=store.uid(),
            till_id="-",
            now=now,
            already_returned=done,
            wallet=after_sale,
        )
        result = till.give_back(sale, receipt, wanted, now)
        assert (result.refund, result.gift_card_total) == (asked.refund, asked.gift_card_total)
        got_restore = got_reversal = 0
        for e in result.entries:
            if e.customer_id != CUSTOMER:
                continue
            total = server.balance(now).ledger_total
            server.apply(e)
            change = server.balance(now).ledger_total - total
            if e.kind is EntryKind.RESTORE:
                got_restore += change
            elif e.kind is EntryKind.REVERSAL:
                got_reversal -= change
        restored += got_restore
        taken_back += got_reversal
        assert 0 <= restored <= receipt.redeemed
        assert 0 <= taken_back <= receipt.accrual + receipt.boost
        if sync:  # this till knew every earlier return: its receipt tells the truth
            assert (result.bonus_restored, result.points_taken_back) == (got_restore, got_reversal)
            said = {
                "restored": result.bonus_restored,
                "restore_asked": asked.bonus_restored,
                "reversed": _taken(result),
                "reversal_asked": _taken(asked),
            }
            short = (said["restored"], said["reversed"]) != (
                said["restore_asked"],
                said["reversal_asked"],
            )
            assert [n.params for n in result.notes if n.code == "return.already_returned"] == (
                [said] if short else []
            )
    if any(
        t.done.get(sale) == {ln.line_id: ln.quantity_milli for ln in receipt.lines} for t in tills
    ):
        assert (restored, taken_back) == (receipt.redeemed, receipt.accrual + receipt.boost)
        # Not a point more or less (which lot holds a point may differ: a point restored into a
        # lot whose reversal had charged it to another lot comes back with this lot's expiry).
        after, was = server.balance(now), before.balance(now)
        assert (after.available, after.pending_total, after.debt, after.ledger_total) == (
            was.available,
            was.pending_total,
            was.debt,
            was.ledger_total,
        )
