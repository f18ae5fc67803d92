"""Random but valid stores for the property tests: rules, customer, gift cards, baskets, time.

A *world* is a rules document with every feature the engine prices switched on or off
(tiers, activation and expiry, a minimum check for redemption, whole units, promo codes with
validity windows and use limits, birthday and referral bonuses, exclusions by category and
flag, rounding, a store time zone), a start moment near the store's local midnight, the
customer (birthday near the start, maybe referred) and the gift cards the till knows.
``Till`` plays sales, returns and time in such a world and keeps every ledger it writes.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from loyalty_core.giftcards import GiftCard, GiftCardPayment, GiftCardState, project_gift_card
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry
from loyalty_core.money import Rounding
from loyalty_core.pricing import MAX, price_checkout
from loyalty_core.receipt import CartLine, CustomerState, PricedReceipt
from loyalty_core.returns import PricedReturn, price_return
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind, Tier
from loyalty_core.sale import sale_entries
from loyalty_core.wallet import Wallet

from .builders import CUSTOMER, lot, plain_rules

REFERRER = "22222222-2222-7222-8222-222222222222"
ZONES = ("UTC", "Europe/Moscow", "Asia/Yekaterinburg", "America/New_York", "Pacific/Kiritimati")
FIRST_DAY = date(2024, 3, 1)  # the store day the world starts on (in its own zone)
PROMO_CODES = ("SPRING", "TEN", "ONCE", "MINUS500")
CATEGORIES = (None, None, "food", "drinks", "tobacco", "alcohol", "gift_card")
FLAGS = ("no_discount", "no_accrual", "no_redemption", "gift_card")

Redeem = int | Literal["max"]


def local_midnight(zone: ZoneInfo, day: date) -> datetime:
    """The start of a store day, in UTC."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class World:
    rules: LoyaltyRules
    start: datetime  # the first sale's moment: minutes from a local midnight
    birthday: date | None
    referred_by: str | None
    cards: tuple[tuple[GiftCard, int], ...]  # each card with what was loaded on it

    @property
    def zone(self) -> ZoneInfo:
        return self.rules.zone


@dataclass(frozen=True)
class Basket:
    """What the cashier rings up: lines, the bonus asked, promo codes typed, cards offered."""

    lines: tuple[tuple[int, int, str | None, frozenset[str]], ...]  # amount, qty, category, flags
    redeem: Redeem
    codes: tuple[str, ...] = ()
    others_used: tuple[tuple[str, int], ...] = ()  # uses of each promo by other customers
    cards: tuple[tuple[int, int | None], ...] = ()  # (card index, amount or None for "all")

    def cart(self) -> list[CartLine]:
        return [
            CartLine(
                line_id=str(n),
                sku=f"s{n}",
                name=f"n{n}",
                quantity_milli=q,
                amount=a,
                category=c,
                flags=f,
            )
            for n, (a, q, c, f) in enumerate(self.lines)
        ]


@dataclass(frozen=True)
class Tick:
    """Time passing: ``hours``, or to the local midnight ``days`` days ahead, give or take."""

    hours: int = 0
    days: int = 0
    minutes: int = 0
    midnight: bool = False


# -- strategies -------------------------------------------------------------------------


def _excluded(draw: st.DrawFn, own_flag: str) -> dict[str, frozenset[str]]:
    categories = draw(st.sampled_from([{"tobacco", "gift_card"}, {"tobacco", "alcohol"}, set()]))
    flags = draw(st.sampled_from([{own_flag, "gift_card"}, {own_flag}]))
    return {"excluded_categories": frozenset(categories), "excluded_flags": frozenset(flags)}


def _promo(draw: st.DrawFn, code: str, zone: ZoneInfo) -> PromoCode:
    kind = draw(st.sampled_from(PromoKind))
    if kind is PromoKind.PERCENT:
        value = draw(st.sampled_from([1, 500, 1000, 3333, 10_000]) | st.integers(1, 10_000))
    else:
        value = draw(st.sampled_from([1, 50_000, 1_000_000]) | st.integers(1, 100_000))
    valid_from = valid_until = None
    if draw(st.booleans()):  # a window starting and ending at store midnights near the start
        first = draw(st.integers(-1, 3))
        valid_from = local_midnight(zone, FIRST_DAY + timedelta(days=first))
        valid_until = local_midnight(
            zone, FIRST_DAY + timedelta(days=first + draw(st.sampled_from([1, 2, 8, 30, 200])))
        )
        if draw(st.booleans()):
            valid_from = None
    return PromoCode(
        code=code,
        kind=kind,
        value=value,
        valid_from=valid_from,
        valid_until=valid_until,
        max_uses=draw(st.sampled_from([None, None, 1, 3])),
        per_customer_limit=draw(st.sampled_from([None, None, 1, 2])),
        min_check=draw(st.sampled_from([0, 0, 10_000, 100_000])),
        categories=draw(
            st.sampled_from([None, None, frozenset({"food"}), frozenset({"food", "drinks"})])
        ),
    )


@st.composite
def rules_st(draw: st.DrawFn) -> LoyaltyRules:
    """A valid rules document with any mix of the features pricing knows."""
    zone_name = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(zone_name)
    activation = draw(st.sampled_from([0, 1, 14]))
    codes = [code for code in PROMO_CODES if draw(st.integers(0, 3))]  # each most often on
    rounding = st.sampled_from([Rounding.DOWN, Rounding.DOWN, Rounding.HALF_UP, Rounding.UP])
    return plain_rules(
        timezone=zone_name,
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
        discount={"rounding": draw(rounding), **_excluded(draw, "no_discount")},
        accrual={
            "activation_days": activation,
            "expiry_days": draw(st.sampled_from([20, 365])),
            "rounding": draw(rounding),
            **_excluded(draw, "no_accrual"),
        },
        redemption={
            "cap_bp": draw(st.sampled_from([0, 3000, 5000, 10_000])),
            "whole_units": draw(st.booleans()),
            "min_check": draw(st.sampled_from([0, 0, 0, 10_000, 30_000])),
            **_excluded(draw, "no_redemption"),
        },
        first_purchase={"accrual_bp": draw(st.sampled_from([0, 5000])), "expiry_days": 3},
        birthday={
            "points": draw(st.sampled_from([0, 500, 5_000, 5_000])),
            "days_before": draw(st.sampled_from([0, 3, 3])),
            "days_after": draw(st.sampled_from([0, 3, 3])),
            "expiry_days": draw(st.sampled_from([1, 14])),
        },
        referral={
            "referrer_points": draw(st.sampled_from([0, 3_000])),
            "referred_points": draw(st.sampled_from([0, 3_000])),
            "expiry_days": draw(st.sampled_from([1, 90])),
        },
        promos=tuple(_promo(draw, code, zone) for code in codes),
        returns={"restore_redeemed": draw(st.booleans())},
    )


@st.composite
def world_st(draw: st.DrawFn) -> World:
    rules = draw(rules_st())
    zone = rules.zone
    minutes = draw(st.sampled_from([-61, -1, 0, 1, 59]) | st.integers(-180, 180))
    start = local_midnight(zone, FIRST_DAY) + timedelta(minutes=minutes)
    birthday = None
    if draw(st.integers(0, 2)):  # born some years ago, the birthday near the first days
        near = FIRST_DAY + timedelta(days=draw(st.integers(-2, 3) | st.integers(-5, 12)))
        birthday = draw(st.sampled_from([near.replace(year=1992), date(2000, 2, 29)]))
    days = st.sampled_from([0, 1, 3]) | st.integers(0, 400)  # a card's expiry, from the start
    cards = tuple(
        (
            GiftCard(
                id=str(uuid.UUID(int=0xCA4D0 + n)),
                number=f"70000000000000{n:02d}",
                pin_hash="-",  # PINs are checked before pricing (giftcards.verify_pin)
                expires_at=local_midnight(zone, FIRST_DAY + timedelta(days=draw(days))),
                blocked=draw(st.integers(0, 7)) == 0,
            ),
            draw(st.sampled_from([0, 1, 30_000]) | st.integers(0, 80_000)),
        )
        for n in range(draw(st.integers(0, 3)))
    )
    return World(rules, start, birthday, draw(st.sampled_from([None, REFERRER])), cards)


line_st = st.tuples(
    st.integers(0, 60_000),
    st.sampled_from([1000, 2000, 3000, 250]),
    st.sampled_from(CATEGORIES),
    st.sampled_from([frozenset[str]()] * 5 + [frozenset({f}) for f in FLAGS])
    | st.frozensets(st.sampled_from(FLAGS), max_size=2),
)
redeem_st: st.SearchStrategy[Redeem] = st.one_of(st.just(MAX), st.integers(0, 40_000))
basket_st = st.builds(
    Basket,
    lines=st.lists(line_st, min_size=1, max_size=6).map(tuple),
    redeem=redeem_st,
    codes=st.lists(
        st.sampled_from([*PROMO_CODES, *PROMO_CODES, "spring ", "NOSUCH"]), max_size=3
    ).map(tuple),
    others_used=st.lists(
        st.tuples(st.sampled_from(PROMO_CODES), st.integers(0, 3)), max_size=2
    ).map(tuple),
    cards=st.lists(
        st.tuples(st.integers(0, 2), st.none() | st.integers(0, 50_000)), max_size=3
    ).map(tuple),
)
tick_st = st.one_of(
    st.integers(1, 401).map(lambda h: Tick(hours=h)),
    st.builds(Tick, days=st.integers(0, 16), minutes=st.integers(-3, 3), midnight=st.just(True)),
)


# -- the till ---------------------------------------------------------------------------


@dataclass
class Sale:
    sale_id: str
    receipt: PricedReceipt
    balances: dict[str, int]  # each offered card's balance before the sale
    returned: dict[str, int] = field(default_factory=dict)


@dataclass
class Till:
    world: World
    wallet: Wallet = field(default_factory=lambda: Wallet(CUSTOMER))
    ledger: list[LedgerEntry] = field(default_factory=list)  # the customer's entries
    gift_ledger: list[LedgerEntry] = field(default_factory=list)
    sales: list[Sale] = field(default_factory=list)
    now: datetime = field(init=False)
    made: int = 0

    def __post_init__(self) -> None:
        self.now = self.world.start
        for n, (card, amount) in enumerate(self.world.cards):
            if amount:
                self.gift_ledger.append(
                    LedgerEntry(
                        id=str(uuid.UUID(int=0x10AD0 + n)),
                        kind=EntryKind.GIFT_CARD_LOAD,
                        occurred_at=self.now - timedelta(days=2),
                        till_id="t",
                        rules_version=1,
                        amount=amount,
                        gift_card_id=card.id,
                    )
                )

    @property
    def rules(self) -> LoyaltyRules:
        return self.world.rules

    def uid(self) -> str:
        """Ids from a counter of this till, so every example replays identically."""
        self.made += 1
        return str(uuid.UUID(int=self.made | (0x7 << 76) | (0b10 << 62)))

    def open_with(self, points: int) -> None:
        if points:
            self.write([lot(points, when=self.now - timedelta(days=1), entry_id=self.uid())])

    def write(self, entries: list[LedgerEntry] | tuple[LedgerEntry, ...]) -> None:
        for e in entries:
            if e.kind in (EntryKind.GIFT_CARD_SPEND, EntryKind.GIFT_CARD_REFUND):
                self.gift_ledger.append(e)
            if e.customer_id == CUSTOMER:
                self.wallet.apply(e)
                self.ledger.append(e)

    def card_state(self, index: int) -> GiftCardState:
        """A card's balance as the gift-card ledger folds (refuses any overdraft)."""
        return project_gift_card(self.world.cards[index][0], self.gift_ledger)

    def advance(self, tick: Tick) -> None:
        if not tick.midnight:
            self.now += timedelta(hours=tick.hours)
            return
        today = self.now.astimezone(self.world.zone).date()
        target = local_midnight(self.world.zone, today + timedelta(days=tick.days + 1))
        self.now = max(target + timedelta(minutes=tick.minutes), self.now + timedelta(minutes=1))

    def sell(self, basket: Basket) -> PricedReceipt:
        offers = [(i, amount) for i, amount in basket.cards if i < len(self.world.cards)]
        states = {i: self.card_state(i) for i, _ in offers}
        used = dict(self.wallet.promo_uses)
        for code, uses in basket.others_used:
            used[code] = used.get(code, 0) + uses
        receipt = price_checkout(
            self.rules,
            basket.cart(),
            now=self.now,
            customer=CustomerState(
                CUSTOMER, self.wallet, self.world.birthday, self.world.referred_by
            ),
            redeem=basket.redeem,
            promo_codes=basket.codes,
            promo_uses=used,
            gift_cards=[GiftCardPayment(states[i], amount) for i, amount in offers],
        )
        sale_id = self.uid()
        self.write(sale_entries(receipt, sale_id=sale_id, till_id="t"))
        balances = {s.card.id: s.balance for s in states.values()}
        self.sales.append(Sale(sale_id, receipt, balances))
        return receipt

    def give_back(
        self, index: int, rng: random.Random, everything: bool = False
    ) -> PricedReturn | None:
        sale = self.sales[index]
        wanted: dict[str, int] = {}
        for ln in sale.receipt.lines:
            left = ln.quantity_milli - sale.returned.get(ln.line_id, 0)
            qty = left if everything else rng.randint(0, left)
            if qty:
                wanted[ln.line_id] = qty
        if not wanted:
            return None
        result = price_return(
            self.rules,
            sale.receipt,
            wanted,
            sale_id=sale.sale_id,
            return_id=self.uid(),
            till_id="t",
            now=self.now,
            already_returned=dict(sale.returned),
            wallet=self.wallet,
            late_approved=True,  # windows are tested in test_returns
        )
        self.write(result.entries)
        for line_id, qty in wanted.items():
            sale.returned[line_id] = sale.returned.get(line_id, 0) + qty
        return result

    def birthday_points(self) -> int:
        """Birthday bonus granted to the customer so far: a return keeps it (once a year)."""
        return sum(
            e.points
            for e in self.ledger
            if e.kind is EntryKind.BONUS and e.ref == BonusKind.BIRTHDAY.value
        )

    def check(self) -> None:
        balance = self.wallet.balance(self.now)
        # Nothing is negative: a shortfall can only exist as recorded debt.
        assert min(balance.available, balance.pending_total, balance.lapsed, balance.debt) >= 0
        assert all(lot.remaining >= 0 and lot.spent >= 0 for lot in self.wallet.lots.values())
        # The ledger sums to the balance.
        assert sum(e.points for e in self.ledger) == balance.ledger_total
        # No gift card holds less than nothing or more than was loaded on it.
        for n, (_, loaded) in enumerate(self.world.cards):
            assert 0 <= self.card_state(n).balance <= loaded
