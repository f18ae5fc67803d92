"""Invariants of the engine over random sequences of sales, returns and time.

Each runs in a random but valid store (``worlds``): any mix of tiers, promo codes, gift
cards, a minimum check, exclusions, birthday and referral bonuses and a store time zone,
with sales near the store's local midnight. The checks a sale must pass whatever the rules
are in ``check_sale``.
"""

from __future__ import annotations

import copy
import random
from dataclasses import replace
from datetime import time, timedelta
from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_core.adjustments import expiry_entries_due
from loyalty_core.bonuses import birthday_in
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry
from loyalty_core.money import share_bp
from loyalty_core.pricing import MAX, current_tier
from loyalty_core.receipt import PricedLine, PricedReceipt
from loyalty_core.rules import PromoKind
from loyalty_core.wallet import Wallet, project, wallet_to_snapshot

from .builders import CUSTOMER
from .worlds import Basket, Tick, Till, World, basket_st, tick_st, world_st

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _excluded(line: PricedLine, categories: frozenset[str], flags: frozenset[str]) -> bool:
    return line.category in categories or bool(line.flags & flags)


def check_sale(till: Till, basket: Basket, receipt: PricedReceipt, before: Wallet) -> None:
    """What any receipt must satisfy, whatever the rules (``before``: the customer's wallet
    before this sale)."""
    rules, lines, now = till.rules, receipt.lines, receipt.priced_at
    first_purchase = before.purchase_count == 0
    assert receipt.boost == 0 or first_purchase  # the boost is for the first purchase only
    # Bonus: never more than the line, the balance, the cap, the hint's "at most".
    assert all(0 <= ln.redeemed <= ln.net <= ln.amount for ln in lines)
    assert receipt.redeemed <= receipt.available_before
    assert receipt.redeemed <= receipt.redeem_cap or receipt.redeemed == 0
    assert receipt.redeemed <= receipt.redeem_most
    if basket.redeem == MAX:  # the hint's "at most" is exactly what max spends
        assert receipt.redeemed == receipt.redeem_most
    # A check below the minimum takes no bonus at all.
    if receipt.subtotal - receipt.discount_total < rules.redemption.min_check:
        assert (receipt.redeemed, receipt.redeem_cap) == (0, 0)
    # Exclusions: no discount, bonus or accrual on a line the rules exclude from it.
    for ln in lines:
        # A discount never exceeds its line: the promo takes at most what the tier left.
        assert ln.tier_discount >= 0 and 0 <= ln.promo_discount <= ln.amount - ln.tier_discount
        d, r, a = rules.discount, rules.redemption, rules.accrual
        if _excluded(ln, d.excluded_categories, d.excluded_flags):
            assert (ln.tier_discount, ln.promo_discount) == (0, 0)
        if _excluded(ln, r.excluded_categories, r.excluded_flags):
            assert ln.redeemed == 0
        if _excluded(ln, a.excluded_categories, a.excluded_flags):
            assert (ln.accrual, ln.boost) == (0, 0)
    _check_promos(till, basket, receipt, before.promo_uses)
    _check_gift_cards(till, basket, receipt)
    _check_bonuses(till, receipt, first_purchase)
    # Lots start and end at the store's midnight, so many store days after the sale's.
    day = now.astimezone(till.world.zone).date()
    for moment, days in (
        (receipt.accrual_activates_at, rules.accrual.activation_days),
        (receipt.accrual_expires_at, rules.accrual.expiry_days),
    ):
        assert moment is not None
        local = moment.astimezone(till.world.zone)
        assert (local.date(), local.time()) == (day + timedelta(days=days), time())


def _check_promos(
    till: Till, basket: Basket, receipt: PricedReceipt, uses_before: dict[str, int]
) -> None:
    now = receipt.priced_at
    applied = {
        str(n.params["promo"]): int(n.params["amount"])
        for n in receipt.notes
        if n.code == "promo.applied"
    }
    assert sorted(applied) == sorted(receipt.promos)
    assert sum(applied.values()) == sum(ln.promo_discount for ln in receipt.lines)
    others = dict(basket.others_used)
    check_net = receipt.subtotal - sum(ln.tier_discount for ln in receipt.lines)
    for code, amount in applied.items():
        promo = till.rules.promo(code)
        assert promo is not None and amount > 0
        # Only a promo valid at this moment, under its limits, on a large enough check...
        assert promo.valid_from is None or promo.valid_from <= now
        assert promo.valid_until is None or now < promo.valid_until
        own = uses_before.get(promo.code, 0)
        assert promo.per_customer_limit is None or own < promo.per_customer_limit
        assert promo.max_uses is None or own + others.get(promo.code, 0) < promo.max_uses
        assert check_net >= promo.min_check
        # ...and never more than it promises.
        if promo.kind is PromoKind.FIXED:
            assert amount <= promo.value
        else:
            assert amount <= share_bp(check_net, promo.value, till.rules.discount.rounding)
    # A line in none of the applied promos' categories gets no promo discount.
    scopes = [till.rules.promo(code) for code in applied]
    if scopes and all(p is not None and p.categories is not None for p in scopes):
        allowed = set().union(*(p.categories or () for p in scopes if p is not None))
        for ln in receipt.lines:
            if ln.category not in allowed:
                assert ln.promo_discount == 0


def _check_gift_cards(till: Till, basket: Basket, receipt: PricedReceipt) -> None:
    sale = till.sales[-1]
    cards = {card.id: card for card, _ in till.world.cards}
    asked: dict[str, int | None] = {}
    for index, amount in basket.cards:
        if index < len(till.world.cards):
            asked.setdefault(till.world.cards[index][0].id, amount)  # the first offer counts
    ids = [c.gift_card_id for c in receipt.gift_cards]
    assert len(set(ids)) == len(ids)  # a card offered twice pays once
    for charge in receipt.gift_cards:
        card, balance, wanted = (
            cards[charge.gift_card_id],
            sale.balances[charge.gift_card_id],
            asked[charge.gift_card_id],
        )
        # Never beyond the card's balance, nor beyond what the cashier asked of it.
        assert 0 < charge.amount <= balance
        assert charge.balance_after == balance - charge.amount
        assert wanted is None or charge.amount <= wanted
        assert not card.blocked and receipt.priced_at < card.expires_at
    # Cards pay only for lines that do not sell a gift card, never more than is due on them.
    payable = sum(ln.due for ln in receipt.lines if "gift_card" not in ln.flags)
    assert receipt.gift_card_total <= payable
    assert receipt.to_pay == receipt.due - receipt.gift_card_total >= 0
    # The card ledger agrees (folding a spend beyond the balance would raise).
    for n, (card, _) in enumerate(till.world.cards):
        charged = [c for c in receipt.gift_cards if c.gift_card_id == card.id]
        if charged:
            assert till.card_state(n).balance == charged[0].balance_after


def _check_bonuses(till: Till, receipt: PricedReceipt, first_purchase: bool) -> None:
    rules, world = till.rules, till.world
    day = receipt.priced_at.astimezone(world.zone).date()
    for bonus in receipt.bonuses:
        if bonus.kind == BonusKind.BIRTHDAY.value:
            # Granted on a store day of the birthday window, at once, for expiry_days.
            assert world.birthday is not None and bonus.points == rules.birthday.points
            cfg = rules.birthday
            assert any(
                -cfg.days_before <= (day - birthday_in(year, world.birthday)).days <= cfg.days_after
                for year in (day.year - 1, day.year, day.year + 1)
            )
            assert bonus.activates_at <= receipt.priced_at
            for moment, days in ((bonus.activates_at, 0), (bonus.expires_at, cfg.expiry_days)):
                local = moment.astimezone(world.zone)
                assert (local.date(), local.time()) == (day + timedelta(days=days), time())
        else:  # referral: only for a referred customer's first purchase
            assert world.referred_by is not None and first_purchase
            assert bonus.kind in (
                BonusKind.REFERRAL_REFERRED.value,
                BonusKind.REFERRAL_REFERRER.value,
            )
            assert bonus.activates_at == receipt.accrual_activates_at


def _check_history(till: Till) -> None:
    """Once a year for the birthday, once ever for a referral."""
    bonuses = [e for e in till.ledger if e.kind is EntryKind.BONUS]
    birthdays = sorted(e.occurred_at for e in bonuses if e.ref == BonusKind.BIRTHDAY.value)
    assert all(later - first > timedelta(days=300) for first, later in pairwise(birthdays))
    assert sum(e.ref == BonusKind.REFERRAL_REFERRED.value for e in bonuses) <= 1


@SETTINGS
@given(
    world=world_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["sell", "return", "wait", "expire"]),
            basket_st,
            tick_st,
            st.integers(0, 2**32),
        ),
        max_size=12,
    ),
)
def test_balances_and_ledger_agree_and_replay_gives_the_same_state(
    world: World, opening: int, steps: list[tuple[str, Basket, Tick, int]]
) -> None:
    till = Till(world)
    till.open_with(opening)
    for action, basket, tick, seed in steps:
        rng = random.Random(seed)
        till.advance(tick)
        if action == "sell":
            before = copy.deepcopy(till.wallet)
            receipt = till.sell(basket)
            check_sale(till, basket, receipt, before)
        elif action == "return" and till.sales:
            till.give_back(rng.randrange(len(till.sales)), rng)
        elif action == "expire":
            till.write(expiry_entries_due(till.wallet, now=till.now, till_id="t", rules_version=1))
        till.check()
    _check_history(till)
    shuffled = list(till.ledger)
    random.Random(len(shuffled)).shuffle(shuffled)
    replayed = project(CUSTOMER, shuffled + till.ledger[:3])
    assert wallet_to_snapshot(replayed) == wallet_to_snapshot(till.wallet)
    assert wallet_to_snapshot(project(CUSTOMER, till.ledger)) == wallet_to_snapshot(replayed)


@SETTINGS
@given(world=world_st(), basket=basket_st, opening=st.integers(0, 50_000))
def test_lines_always_sum_to_the_totals(world: World, basket: Basket, opening: int) -> None:
    till = Till(world)
    till.open_with(opening)
    receipt = till.sell(basket)
    check_sale(till, basket, receipt, Wallet(CUSTOMER))
    rules = world.rules
    assert sum(ln.amount for ln in receipt.lines) == sum(a for a, _, _, _ in basket.lines)
    assert receipt.subtotal - receipt.discount_total - receipt.redeemed == receipt.due
    assert receipt.due - receipt.gift_card_total == receipt.to_pay
    assert all(ln.due >= 0 for ln in receipt.lines)
    a = rules.accrual
    base = sum(
        ln.due for ln in receipt.lines if not _excluded(ln, a.excluded_categories, a.excluded_flags)
    )
    tier = current_tier(rules, Wallet(CUSTOMER), world.start)
    assert receipt.accrual == share_bp(base, tier.accrual_bp, a.rounding)
    # A full return gives back exactly what was paid, line by line and by each tender:
    # each gift card what it paid, the rest in cash, and the bonus spent.
    till.advance(Tick(hours=1))
    result = till.give_back(0, random.Random(0), everything=True)
    assert result is not None and result.complete
    assert [ln.refund for ln in result.lines] == [ln.due for ln in receipt.lines]
    restored = receipt.redeemed if rules.returns.restore_redeemed else 0
    assert (result.refund, result.bonus_restored) == (receipt.due, restored)
    paid = sorted((c.gift_card_id, c.amount) for c in receipt.gift_cards)
    assert sorted((g.gift_card_id, g.amount) for g in result.gift_cards) == paid
    assert result.cash_refund == receipt.to_pay
    for n, (_, loaded) in enumerate(world.cards):  # every card holds what was loaded again
        assert till.card_state(n).balance == loaded


@SETTINGS
@given(
    world=world_st(),
    opening=st.integers(0, 50_000),
    history=st.lists(st.tuples(basket_st, tick_st), max_size=4),
    basket=basket_st,
    later=st.integers(0, 24 * 40),
)
def test_a_full_return_restores_balance_and_tier_as_of_the_return(
    world: World, opening: int, history: list[tuple[Basket, Tick]], basket: Basket, later: int
) -> None:
    """Everything but the birthday bonus, which a return keeps (once a year anyway)."""
    rules = world.rules
    rules = rules.model_copy(
        update={"returns": rules.returns.model_copy(update={"restore_redeemed": True})}
    )
    till = Till(replace(world, rules=rules))
    till.open_with(opening)
    for spec, tick in history:
        till.advance(tick)
        till.sell(spec)
    till.advance(Tick(hours=1))
    before = copy.deepcopy(till.wallet)
    till.sell(basket)
    for e in sale_entries_kept(till):
        before.apply(e)
    till.advance(Tick(hours=1 + later))  # meanwhile some lots may lapse: compare at one moment
    till.give_back(len(till.sales) - 1, random.Random(0), everything=True)
    assert till.wallet.balance(till.now) == before.balance(till.now)
    assert current_tier(rules, till.wallet, till.now) == current_tier(rules, before, till.now)


def sale_entries_kept(till: Till) -> list[LedgerEntry]:
    """The last sale's entries a full return leaves in place: its birthday bonus."""
    sale_id = till.sales[-1].sale_id
    return [
        e
        for e in till.ledger
        if e.sale_id == sale_id and e.kind is EntryKind.BONUS and e.ref == BonusKind.BIRTHDAY.value
    ]


@SETTINGS
@given(
    world=world_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(st.booleans(), basket_st, tick_st, st.integers(0, 2**32)), max_size=10
    ),
)
def test_no_sequence_of_sales_and_returns_mints_bonus(
    world: World, opening: int, steps: list[tuple[bool, Basket, Tick, int]]
) -> None:
    rules = world.rules
    rules = rules.model_copy(
        update={"returns": rules.returns.model_copy(update={"restore_redeemed": True})}
    )
    till = Till(replace(world, rules=rules))
    till.open_with(opening)
    start_total = till.wallet.balance(till.now).ledger_total
    for sell, basket, tick, seed in steps:
        rng = random.Random(seed)
        till.advance(tick)
        if sell or not till.sales:
            till.sell(basket)
        else:
            till.give_back(rng.randrange(len(till.sales)), rng)
    for index in range(len(till.sales)):
        till.advance(Tick(hours=1))
        till.give_back(index, random.Random(index), everything=True)
    end = till.wallet.balance(till.now)
    # Everything bought was returned: not one point more than at the start, but for the
    # birthday bonus, which is the customer's whatever they return.
    kept = till.birthday_points()
    assert end.ledger_total == start_total + kept
    assert end.available + end.pending_total <= start_total + kept


@settings(SETTINGS, max_examples=400)  # the debt paths are narrow: more examples reach them
@given(
    world=world_st(),
    opening=st.integers(0, 50_000),
    steps=st.lists(
        st.tuples(
            st.sampled_from(["sell", "return", "charge", "expire"]),
            basket_st,
            st.sampled_from([1, 7, 30, 200, 24 * 25, 24 * 400]).map(lambda h: Tick(hours=h))
            | tick_st,  # hours, some long enough for lots to lapse, or to a local midnight
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
    world: World,
    opening: int,
    steps: list[tuple[str, Basket, Tick, int]],
    quiet: tuple[int, int, str],
) -> None:
    """A ledger with debt (a staff charge beyond the balance), lots that arrive, activate
    and lapse, and recorded expiries: one more entry of 0 points, anywhere, changes nothing."""
    till = Till(world)
    till.open_with(opening)
    moments = [till.now]
    for action, basket, tick, seed in steps:
        till.advance(tick)
        moments.append(till.now)
        if action == "sell" or not till.sales:
            till.sell(basket)
        elif action == "return":
            till.give_back(random.Random(seed).randrange(len(till.sales)), random.Random(seed))
        elif action == "charge":
            till.write([_charge(till, seed % 30_000 + 1)])
        else:  # the lapsed lots are recorded a minute later, as the till's sweep does
            later = till.now + timedelta(minutes=1)
            till.write(expiry_entries_due(till.wallet, now=later, till_id="t", rules_version=1))
            till.now = later  # the till's clock has reached the sweep: nothing is written before it
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
        assert with_zero.balance(moment) == plain.balance(moment)
        assert with_zero.available(moment) == plain.available(moment)


def _charge(till: Till, points: int) -> LedgerEntry:
    return LedgerEntry(
        id=till.uid(),
        kind=EntryKind.ADJUSTMENT,
        occurred_at=till.now,
        till_id="t",
        rules_version=1,
        customer_id=CUSTOMER,
        points=-points,
        reason="correction",
        author="manager",
    )
