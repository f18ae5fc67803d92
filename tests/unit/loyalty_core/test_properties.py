"""Invariants of the engine over random sequences of sales, returns and time."""

from __future__ import annotations

import copy
import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import MAX, current_tier, price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.rules import LoyaltyRules, Tier
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet, project, wallet_to_snapshot

from .builders import CUSTOMER, T0, lot, plain_rules

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rules_st(draw: st.DrawFn) -> LoyaltyRules:
    return plain_rules(
        tiers={
            "window_days": draw(st.sampled_from([None, 30])),
            "tiers": [
                Tier(code="a", name="A", min_spend=0, accrual_bp=draw(st.integers(0, 1500))),
                Tier(
                    code="b",
                    name="B",
                    min_spend=50_000,
                    discount_bp=draw(st.integers(0, 900)),
                    accrual_bp=draw(st.integers(0, 3000)),
                ).model_dump(),
            ],
        },
        accrual={
            "activation_days": draw(st.sampled_from([0, 1, 14])),
            "expiry_days": draw(st.sampled_from([20, 365])),
        },
        redemption={
            "cap_bp": draw(st.sampled_from([0, 3000, 5000, 10_000])),
            "whole_units": draw(st.booleans()),
        },
        first_purchase={"accrual_bp": draw(st.sampled_from([0, 5000])), "expiry_days": 3},
        returns={"restore_redeemed": draw(st.booleans())},
    )


cart_st = st.lists(
    st.tuples(
        st.integers(0, 60_000),
        st.sampled_from([1000, 2000, 3000, 250]),
        st.sampled_from([None, None, "tobacco"]),
    ),
    min_size=1,
    max_size=6,
)
redeem_st = st.one_of(st.just(MAX), st.integers(0, 40_000))


def _cart(spec: list[tuple[int, int, str | None]]) -> list[CartLine]:
    return [
        CartLine(line_id=str(n), sku=f"s{n}", name=f"n{n}", quantity_milli=q, amount=a, category=c)
        for n, (a, q, c) in enumerate(spec)
    ]


@dataclass
class Till:
    rules: LoyaltyRules
    wallet: Wallet = field(default_factory=lambda: Wallet(CUSTOMER))
    ledger: list[LedgerEntry] = field(default_factory=list)
    sales: list[tuple[str, PricedReceipt, dict[str, int]]] = field(default_factory=list)
    now: object = T0
    made: int = 0

    def uid(self) -> str:
        """Ids from a counter of this till, so every example replays identically."""
        self.made += 1
        return str(uuid.UUID(int=self.made | (0x7 << 76) | (0b10 << 62)))

    def write(self, entries: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> None:
        for e in entries:
            if e.customer_id == CUSTOMER:
                self.wallet.apply(e)
                self.ledger.append(e)

    def sell(self, spec: list[tuple[int, int, str | None]], redeem: int | str) -> PricedReceipt:
        customer = CustomerState(CUSTOMER, self.wallet)
        receipt = price_checkout(
            self.rules,
            _cart(spec),
            now=self.now,
            customer=customer,  # type: ignore[arg-type]
            redeem=redeem,
        )  # type: ignore[arg-type]
        sale_id = self.uid()
        self.write(sale_entries(receipt, sale_id=sale_id, till_id="t"))
        self.sales.append((sale_id, receipt, {}))
        return receipt

    def give_back(
        self, index: int, rng: random.Random, everything: bool = False
    ) -> PricedReturn | None:
        sale_id, receipt, done = self.sales[index]
        wanted: dict[str, int] = {}
        for ln in receipt.lines:
            left = ln.quantity_milli - done.get(ln.line_id, 0)
            qty = left if everything else rng.randint(0, left)
            if qty:
                wanted[ln.line_id] = qty
        if not wanted:
            return None
        result = price_return(
            self.rules,
            receipt,
            wanted,
            sale_id=sale_id,
            return_id=self.uid(),
            till_id="t",
            now=self.now,
            already_returned=dict(done),  # type: ignore[arg-type]
            wallet=self.wallet,
            late_approved=True,  # windows are tested in test_returns
        )
        self.write(result.entries)
        for line_id, qty in wanted.items():
            done[line_id] = done.get(line_id, 0) + qty
        return result

    def tick(self, hours: int) -> None:
        self.now = self.now + timedelta(hours=hours)  # type: ignore[operator]

    def check(self) -> None:
        balance = self.wallet.balance(self.now)  # type: ignore[arg-type]
        # Nothing is negative: a shortfall can only exist as recorded debt.
        assert min(balance.available, balance.pending_total, balance.lapsed, balance.debt) >= 0
        assert all(lot.remaining >= 0 and lot.spent >= 0 for lot in self.wallet.lots.values())
        # The ledger sums to the balance.
        assert sum(e.points for e in self.ledger) == balance.ledger_total


def _start(till: Till, opening: int) -> None:
    if opening:
        till.write([lot(opening, when=T0 - timedelta(days=1), entry_id=till.uid())])


@SETTINGS
@given(
    rules=rules_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["sell", "return", "wait", "expire"]),
            cart_st,
            redeem_st,
            st.integers(0, 400),
            st.integers(0, 2**32),
        ),
        max_size=12,
    ),
)
def test_balances_and_ledger_agree_and_replay_gives_the_same_state(
    rules: LoyaltyRules, opening: int, steps: list[tuple[str, list, object, int, int]]
) -> None:
    till = Till(rules)
    _start(till, opening)
    for action, spec, redeem, hours, seed in steps:
        rng = random.Random(seed)
        till.tick(1 + hours)
        if action == "sell":
            receipt = till.sell(spec, redeem)  # type: ignore[arg-type]
            assert all(0 <= ln.redeemed <= ln.net <= ln.amount for ln in receipt.lines)
            assert receipt.redeemed <= receipt.available_before
            assert receipt.redeemed <= receipt.redeem_cap or receipt.redeemed == 0
            assert receipt.redeemed <= receipt.redeem_most
            if redeem == "max":  # the hint's "at most" is exactly what max spends
                assert receipt.redeemed == receipt.redeem_most
        elif action == "return" and till.sales:
            till.give_back(rng.randrange(len(till.sales)), rng)
        elif action == "expire":
            till.write(
                expiry_entries_due(
                    till.wallet,
                    now=till.now,
                    till_id="t",  # type: ignore[arg-type]
                    rules_version=1,
                )
            )
        till.check()
    shuffled = list(till.ledger)
    random.Random(len(shuffled)).shuffle(shuffled)
    replayed = project(CUSTOMER, shuffled + till.ledger[:3])
    assert wallet_to_snapshot(replayed) == wallet_to_snapshot(till.wallet)
    assert wallet_to_snapshot(project(CUSTOMER, till.ledger)) == wallet_to_snapshot(replayed)


@SETTINGS
@given(rules=rules_st(), cart=cart_st, redeem=redeem_st, opening=st.integers(0, 50_000))
def test_lines_always_sum_to_the_totals(
    rules: LoyaltyRules, cart: list, redeem: int | str, opening: int
) -> None:
    till = Till(rules)
    _start(till, opening)
    receipt = till.sell(cart, redeem)
    subtotal = sum(a for a, _, _ in cart)
    assert sum(ln.amount for ln in receipt.lines) == subtotal
    assert receipt.subtotal - receipt.discount_total - receipt.redeemed == receipt.due
    assert all(ln.due >= 0 for ln in receipt.lines)
    base = sum(ln.due for ln in receipt.lines if ln.category != "tobacco")
    tier = current_tier(rules, Wallet(CUSTOMER), T0)
    rate = tier.accrual_bp
    assert receipt.accrual == base * rate // 10_000
    # A full return gives back exactly the money paid, line by line, and the bonus spent.
    till.tick(1)
    result = till.give_back(0, random.Random(0), everything=True)
    assert result is not None and result.complete
    assert [ln.refund for ln in result.lines] == [ln.due for ln in receipt.lines]
    restored = receipt.redeemed if rules.returns.restore_redeemed else 0
    assert (result.refund, result.bonus_restored) == (receipt.due, restored)


@SETTINGS
@given(
    rules=rules_st(),
    opening=st.integers(0, 50_000),
    history=st.lists(st.tuples(cart_st, redeem_st, st.integers(1, 300)), max_size=4),
    cart=cart_st,
    redeem=redeem_st,
    later=st.integers(0, 24 * 40),
)
def test_a_full_return_restores_balance_and_tier_as_of_the_return(
    rules: LoyaltyRules, opening: int, history: list, cart: list, redeem: int | str, later: int
) -> None:
    rules = rules.model_copy(
        update={"returns": rules.returns.model_copy(update={"restore_redeemed": True})}
    )
    till = Till(rules)
    _start(till, opening)
    for spec, r, hours in history:
        till.tick(hours)
        till.sell(spec, r)
    till.tick(1)
    before = copy.deepcopy(till.wallet)
    till.sell(cart, redeem)
    till.tick(1 + later)  # meanwhile some lots may lapse: the comparison is at the same moment
    till.give_back(len(till.sales) - 1, random.Random(0), everything=True)
    assert till.wallet.balance(till.now) == before.balance(till.now)  # type: ignore[arg-type]
    assert current_tier(rules, till.wallet, till.now) == current_tier(rules, before, till.now)  # type: ignore[arg-type]


@SETTINGS
@given(
    rules=rules_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(st.booleans(), cart_st, redeem_st, st.integers(1, 200), st.integers(0, 2**32)),
        max_size=10,
    ),
)
def test_no_sequence_of_sales_and_returns_mints_bonus(
    rules: LoyaltyRules, opening: int, steps: list
) -> None:
    rules = rules.model_copy(
        update={"returns": rules.returns.model_copy(update={"restore_redeemed": True})}
    )
    till = Till(rules)
    _start(till, opening)
    start_total = till.wallet.balance(T0).ledger_total
    for sell, spec, redeem, hours, seed in steps:
        rng = random.Random(seed)
        till.tick(hours)
        if sell or not till.sales:
            till.sell(spec, redeem)
        else:
            till.give_back(rng.randrange(len(till.sales)), rng)
    for index in range(len(till.sales)):
        till.tick(1)
        till.give_back(index, random.Random(index), everything=True)
    end = till.wallet.balance(till.now)  # type: ignore[arg-type]
    # Everything bought was returned: not one point more than at the start.
    assert end.ledger_total == start_total
    assert end.available + end.pending_total <= start_total


@settings(SETTINGS, max_examples=400)  # the debt paths are narrow: more examples reach them
@given(
    rules=rules_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["sell", "return", "charge", "expire"]),
            cart_st,
            redeem_st,
            st.sampled_from([1, 7, 30, 200, 24 * 25, 24 * 400]),  # hours: some lots lapse
            st.integers(0, 2**32),
        ),
        max_size=12,
    ),
    quiet=st.tuples(
        st.integers(0, 12),  # after which step
        st.sampled_from([1, 12, 24, 24 * 3, 24 * 15, 24 * 22]),  # hours later
        st.sampled_from(["purchase", "promo_use"]),
    ),
)
def test_an_entry_of_zero_points_never_changes_any_balance(
    rules: LoyaltyRules, opening: int, steps: list, quiet: tuple[int, int, str]
) -> None:
    """A ledger with debt (a staff charge beyond the balance), lots that arrive, activate
    and lapse, and recorded expiries: one more entry of 0 points, anywhere, changes nothing."""
    till = Till(rules)
    _start(till, opening)
    moments = [T0]
    for action, spec, redeem, hours, seed in steps:
        till.tick(hours)
        moments.append(till.now)
        if action == "sell" or not till.sales:
            till.sell(spec, redeem)
        elif action == "return":
            till.give_back(random.Random(seed).randrange(len(till.sales)), random.Random(seed))
        elif action == "charge":
            till.write([_charge(till, seed % 30_000 + 1)])
        else:  # the lapsed lots are recorded a minute later, as the till's sweep does
            later = till.now + timedelta(minutes=1)  # type: ignore[operator]
            till.write(expiry_entries_due(till.wallet, now=later, till_id="t", rules_version=1))
    after, hours, kind = quiet
    zero = LedgerEntry(
        id=till.uid(),
        kind=EntryKind(kind),
        occurred_at=moments[min(after, len(moments) - 1)] + timedelta(hours=hours, seconds=1),
        till_id="t",
        rules_version=1,
        customer_id=CUSTOMER,
        ref="ZERO" if kind == "promo_use" else None,
    )
    probes = moments + [m + timedelta(days=d) for m in moments for d in (1, 15, 40, 400)]
    for moment in probes:  # the balance at a moment is the fold of the entries up to it
        plain = project(CUSTOMER, [e for e in till.ledger if e.occurred_at <= moment])
        with_zero = project(CUSTOMER, [e for e in [*till.ledger, zero] if e.occurred_at <= moment])
        assert with_zero.balance(moment) == plain.balance(moment)  # type: ignore[arg-type]
        assert with_zero.available(moment) == plain.available(moment)  # type: ignore[arg-type]


def _charge(till: Till, points: int) -> LedgerEntry:
    return LedgerEntry(
        id=till.uid(),
        kind=EntryKind.ADJUSTMENT,
        occurred_at=till.now,  # type: ignore[arg-type]
        till_id="t",
        rules_version=1,
        customer_id=CUSTOMER,
        points=-points,
        reason="correction",
        author="manager",
    )
