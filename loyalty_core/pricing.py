"""Checkout pricing: cart + customer + rules -> a priced receipt, exact to the minor unit.

Order of operations (each step works on what the previous one left):
1. tier discount on discountable lines;
2. promo codes, in the order entered;
3. bonus redemption, capped, spread over the lines that may take it (a birthday
   bonus due now is granted first and can be spent in the same check);
4. gift cards, as a tender against the money still due;
5. accrual on the money paid per line (not the part paid with bonus), at the
   tier rate, plus the first-purchase boost as its own short-lived lot, plus the
   referral bonuses on a referred customer's first purchase.
Every total is rounded once and split over lines by largest remainder, so the
lines always sum to the total. Same inputs, same receipt, on the till and on
the server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from loyalty_core.bonuses import birthday_bonus_due, first_purchase_pending, referral_due
from loyalty_core.cards import mask_card
from loyalty_core.giftcards import GiftCardPayment
from loyalty_core.ledger import BonusKind
from loyalty_core.money import Rounding, allocate, round_to_step, share_bp
from loyalty_core.notes import Note, note
from loyalty_core.promos import check_promos
from loyalty_core.receipt import (
    CartLine,
    CustomerState,
    GiftCardCharge,
    GrantedBonus,
    PricedLine,
    PricedReceipt,
)
from loyalty_core.rules import LoyaltyRules, PromoCode, PromoKind, Tier
from loyalty_core.wallet import ExpiringPoints, Wallet

MAX: Literal["max"] = "max"
RedeemRequest = int | Literal["max"]
GIFT_CARD_FLAG = "gift_card"  # a line that sells a gift card: no spend, no gift-card tender


def tier_spend(rules: LoyaltyRules, wallet: Wallet, now: datetime) -> int:
    """Spend counted for the tier: lifetime, or the last ``window_days`` UTC days."""
    window = rules.tiers.window_days
    if window is None:
        return wallet.lifetime_spend
    return wallet.spend_since(now.astimezone(UTC).date() - timedelta(days=window - 1))


def current_tier(rules: LoyaltyRules, wallet: Wallet, now: datetime, extra: int = 0) -> Tier:
    """The tier the customer's spend reaches at ``now`` (plus ``extra`` not yet recorded)."""
    return rules.tiers.tier_for(tier_spend(rules, wallet, now) + extra)


def price_checkout(
    rules: LoyaltyRules,
    cart: Sequence[CartLine],
    *,
    now: datetime,
    customer: CustomerState | None = None,
    redeem: RedeemRequest = 0,
    promo_codes: Sequence[str] = (),
    promo_uses: Mapping[str, int] | None = None,
    gift_cards: Sequence[GiftCardPayment] = (),
    redeem_limit: int | None = None,
    redeem_limit_reason: str = "redeem.offline_limit",
) -> PricedReceipt:
    """Price a cart. Never raises for a business reason: refusals become ``notes``.

    ``redeem`` is the bonus the customer wants to spend (minor units) or ``"max"``;
    ``promo_uses`` counts each promo's uses by all customers as far as the caller
    knows; ``gift_cards`` are cards whose PIN the cashier has already checked;
    ``redeem_limit`` is the most bonus this till may spend now (the store's redemption
    policy), if any; below the balance it is told by the note ``redeem_limit_reason``
    (an offline limit, the server unreachable, the balance the server confirmed).
    """
    if now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if isinstance(redeem, int) and redeem < 0:
        raise ValueError("redeem must be >= 0 or 'max'")
    if len({src.line_id for src in cart}) != len(cart):
        raise ValueError("cart lines must have distinct line_id: returns address lines by it")
    run = _Checkout(rules, now, _lines(cart, rules), customer)
    if run.tier is not None and run.tier.discount_bp:
        run.tier_discount(run.tier)
    promos = run.apply_promos(promo_codes, promo_uses or {})
    run.grant_birthday()
    available = run.wallet.available(now, extra=run.usable_bonus) if run.wallet else 0
    spendable = available
    if redeem_limit is not None and redeem_limit < available:
        spendable = max(0, redeem_limit)
        run.notes.append(note(redeem_limit_reason, limit=spendable))
    cap, most = run.redeem(spendable, redeem)
    # Money due on lines that do not sell a gift card: it counts as spend, and only
    # it may be paid with a gift card.
    spend = sum(ln.net - ln.redeemed for ln in run.lines if not ln.gift_card)
    charges = run.gift_cards(gift_cards, spend)
    activates = expires = boost_expires = None
    tier_after = None
    if run.wallet is not None and run.tier is not None and customer is not None:
        activates = rules.day_start_after(now, rules.accrual.activation_days)
        expires = rules.day_start_after(now, rules.accrual.expiry_days)
        boost_expires = run.accrue(run.tier, activates)
        run.grant_referral(customer, activates)
        spend_after = run.spend_before + spend
        tier_after = rules.tiers.tier_for(spend_after)
        run.tier_hint(tier_after, spend_after)
    expiring = run.expiring_soon()
    return PricedReceipt(
        rules_version=rules.version,
        currency=rules.currency.code,
        priced_at=now,
        customer_id=customer.customer_id if customer else None,
        tier_code=run.tier.code if run.tier else None,
        lines=tuple(ln.priced() for ln in run.lines),
        promos=tuple(p.code for p in promos),
        redeem_cap=cap,
        redeem_most=most,
        available_before=available,
        accrual_activates_at=activates,
        accrual_expires_at=expires,
        boost_expires_at=boost_expires,
        bonuses=tuple(run.bonuses),
        gift_cards=tuple(charges),
        spend=spend if customer else 0,
        tier_after_code=tier_after.code if tier_after else None,
        notes=tuple(run.notes),
        expiring_soon=expiring,
    )


@dataclass(slots=True)
class _Line:
    src: CartLine
    net: int  # amount after the discounts applied so far
    no_discount: bool
    no_redemption: bool
    no_accrual: bool
    gift_card: bool
    tier_discount: int = 0
    promo_discount: int = 0
    redeemed: int = 0
    accrual: int = 0
    boost: int = 0

    def priced(self) -> PricedLine:
        src = self.src
        return PricedLine(
            src.line_id,
            src.sku,
            src.name,
            src.quantity_milli,
            src.category,
            src.flags,
            src.amount,
            self.tier_discount,
            self.promo_discount,
            self.redeemed,
            self.accrual,
            self.boost,
        )


def _lines(cart: Sequence[CartLine], rules: LoyaltyRules) -> list[_Line]:
    """Working lines, with each exclusion worked out once per (category, flags) pair."""
    rule_sets = [
        (rules.discount.excluded_categories, rules.discount.excluded_flags),
        (rules.redemption.excluded_categories, rules.redemption.excluded_flags),
        (rules.accrual.excluded_categories, rules.accrual.excluded_flags),
    ]
    marks: dict[tuple[str | None, frozenset[str]], tuple[bool, bool, bool, bool]] = {}
    lines: list[_Line] = []
    for src in cart:
        key = (src.category, src.flags)
        mark = marks.get(key)
        if mark is None:
            discount, redemption, accrual = (
                src.category in categories or bool(src.flags & flags)
                for categories, flags in rule_sets
            )
            mark = marks[key] = (discount, redemption, accrual, GIFT_CARD_FLAG in src.flags)
        lines.append(_Line(src, src.amount, *mark))
    return lines


@dataclass(slots=True)
class _Checkout:
    rules: LoyaltyRules
    now: datetime
    lines: list[_Line]
    customer: CustomerState | None
    notes: list[Note] = field(default_factory=list)
    bonuses: list[GrantedBonus] = field(default_factory=list)
    usable_bonus: int = 0
    wallet: Wallet | None = None
    tier: Tier | None = None
    spend_before: int = 0  # the customer's tier spend before this sale

    def __post_init__(self) -> None:
        if self.customer is not None:
            self.wallet = self.customer.wallet
            self.spend_before = tier_spend(self.rules, self.wallet, self.now)
            self.tier = self.rules.tiers.tier_for(self.spend_before)

    def day(self, moment: datetime) -> str:
        return moment.astimezone(self.rules.zone).date().isoformat()

    def tier_discount(self, tier: Tier) -> None:
        cfg = self.rules.discount
        weights = [0 if ln.no_discount else ln.src.amount for ln in self.lines]
        total = share_bp(sum(weights), tier.discount_bp, cfg.rounding)
        for ln, part in zip(self.lines, allocate(total, weights), strict=True):
            ln.tier_discount = part
            ln.net -= part
        if total:
            self.notes.append(
                note("tier.discount", tier=tier.name, discount_bp=tier.discount_bp, amount=total)
            )

    def apply_promos(self, codes: Sequence[str], total_uses: Mapping[str, int]) -> list[PromoCode]:
        if not codes:
            return []
        accepted, refusals = check_promos(
            self.rules,
            list(codes),
            now=self.now,
            customer_uses=self.wallet.promo_uses if self.wallet else None,
            total_uses=total_uses,
            check_net=sum(ln.net for ln in self.lines),
        )
        self.notes.extend(refusals)
        return [promo for promo in accepted if self._apply_promo(promo)]

    def _apply_promo(self, promo: PromoCode) -> bool:
        cfg = self.rules.discount
        only = promo.categories
        weights = [
            0 if ln.no_discount or (only is not None and ln.src.category not in only) else ln.net
            for ln in self.lines
        ]
        base = sum(weights)
        if promo.kind is PromoKind.PERCENT:
            total = share_bp(base, promo.value, cfg.rounding)
        else:
            total = min(promo.value, base)
        if not total:
            self.notes.append(note("promo.not_applicable", promo=promo.code))
            return False
        for ln, part in zip(self.lines, allocate(total, weights), strict=True):
            ln.promo_discount += part
            ln.net -= part
        self.notes.append(note("promo.applied", promo=promo.code, amount=total))
        return True

    def grant_birthday(self) -> None:
        customer, wallet, rules = self.customer, self.wallet, self.rules
        if customer is None or wallet is None:
            return
        if not birthday_bonus_due(rules, wallet, customer.birthday, self.now):
            return
        cfg = rules.birthday
        expires = rules.day_start_after(self.now, cfg.expiry_days)
        self.bonuses.append(
            GrantedBonus(
                kind=BonusKind.BIRTHDAY.value,
                customer_id=customer.customer_id,
                points=cfg.points,
                activates_at=rules.day_start_after(self.now, 0),
                expires_at=expires,
            )
        )
        self.usable_bonus = cfg.points
        self.notes.append(note("bonus.birthday", points=cfg.points, expires=self.day(expires)))

    def redeem(self, available: int, request: RedeemRequest) -> tuple[int, int]:
        """Spread the redeemed bonus over eligible lines.

        Returns this check's cap and the most ``available`` could put on it.
        """
        cfg = self.rules.redemption
        step = self.rules.currency.as_currency().minor_per_major if cfg.whole_units else 1
        weights = [0 if ln.no_redemption else ln.net for ln in self.lines]
        eligible = sum(weights)
        below_min = sum(ln.net for ln in self.lines) < cfg.min_check
        cap = 0 if below_min else round_to_step(share_bp(eligible, cfg.cap_bp, _DOWN), step, _DOWN)
        most = round_to_step(min(available, cap), step, _DOWN)
        wanted = available if request == MAX else request
        if wanted <= 0 or self.wallet is None or below_min or not eligible:
            self.notes.extend(self._why_no_redemption(wanted, eligible, below_min))
            return cap, most
        points = min(wanted, available, cap)
        if request != MAX and wanted > available:
            self.notes.append(note("redeem.insufficient", available=available, requested=wanted))
        if min(wanted, available) > cap:
            self.notes.append(note("redeem.cap_reached", cap_bp=cfg.cap_bp, cap=cap))
        whole = round_to_step(points, step, _DOWN)
        if whole != points:
            self.notes.append(note("redeem.whole_units", points=whole))
        for ln, part in zip(self.lines, allocate(whole, weights), strict=True):
            ln.redeemed = part
        if whole:
            self.notes.append(note("redeem.applied", points=whole))
        return cap, most

    def _why_no_redemption(self, wanted: int, eligible: int, below_min: bool) -> list[Note]:
        """The note explaining why no bonus is spent (none when none was asked)."""
        if wanted <= 0:
            debt = self.wallet.balance(self.now).debt if self.wallet and self.wallet.debt else 0
            return [note("redeem.debt", debt=debt)] if debt else []
        if self.wallet is None:
            return [note("redeem.no_customer")]
        if below_min:
            return [note("redeem.min_check", min_check=self.rules.redemption.min_check)]
        return [note("redeem.nothing_eligible")]

    def gift_cards(self, payments: Sequence[GiftCardPayment], payable: int) -> list[GiftCardCharge]:
        """Take the cards in turn for up to ``payable``, what they may pay of this check."""
        charges: list[GiftCardCharge] = []
        seen: set[str] = set()
        for payment in payments:
            state = payment.state
            label = mask_card(state.card.number)
            if state.card.id in seen or payable <= 0:
                continue
            seen.add(state.card.id)
            refusal = state.usable(self.now, self.rules.zone)
            if refusal is not None:
                self.notes.append(Note(refusal.code, dict(refusal.params)))
                continue
            if state.balance <= 0:
                self.notes.append(note("gift_card.empty", card=label))
                continue
            if payment.amount is not None and payment.amount > state.balance:
                self.notes.append(note("gift_card.insufficient", card=label, balance=state.balance))
            wanted = payable if payment.amount is None else min(payment.amount, payable)
            amount = min(wanted, state.balance)
            if amount <= 0:
                continue
            payable -= amount
            left = state.balance - amount
            charges.append(GiftCardCharge(state.card.id, state.card.number, amount, left))
            self.notes.append(note("gift_card.applied", card=label, amount=amount, left=left))
        return charges

    def accrue(self, tier: Tier, activates: datetime) -> datetime | None:
        """Accrual per line on the money paid; returns the boost's expiry if one is granted."""
        cfg = self.rules.accrual
        weights = [0 if ln.no_accrual else ln.net - ln.redeemed for ln in self.lines]
        self.notes.extend(
            note("accrual.excluded", name=ln.src.name)
            for ln in self.lines
            if ln.no_accrual and ln.net
        )
        base = sum(weights)
        total = share_bp(base, tier.accrual_bp, cfg.rounding)
        for ln, part in zip(self.lines, allocate(total, weights), strict=True):
            ln.accrual = part
        if total:
            self.notes.append(note("accrual.pending", points=total, until=self.day(activates)))
        assert self.wallet is not None
        boost_cfg = self.rules.first_purchase
        if not first_purchase_pending(self.rules, self.wallet):
            return None
        extra = share_bp(base, boost_cfg.accrual_bp, cfg.rounding) - total
        if extra <= 0:
            return None
        for ln, part in zip(self.lines, allocate(extra, weights), strict=True):
            ln.boost = part
        delay = self.rules.accrual.activation_days
        boost_expires = self.rules.day_start_after(self.now, delay + boost_cfg.expiry_days)
        self.notes.append(
            note("accrual.first_purchase", points=extra, expires=self.day(boost_expires))
        )
        return boost_expires

    def grant_referral(self, customer: CustomerState, activates: datetime) -> None:
        assert self.wallet is not None
        if customer.referred_by is None or not referral_due(
            self.rules, self.wallet, customer.referred_by
        ):
            return
        cfg = self.rules.referral
        delay = self.rules.accrual.activation_days
        expires = self.rules.day_start_after(self.now, delay + cfg.expiry_days)
        for kind, owner, points in (
            (BonusKind.REFERRAL_REFERRED, customer.customer_id, cfg.referred_points),
            (BonusKind.REFERRAL_REFERRER, customer.referred_by, cfg.referrer_points),
        ):
            if points:
                self.bonuses.append(GrantedBonus(kind.value, owner, points, activates, expires))
        if cfg.referred_points:
            self.notes.append(
                note("bonus.referred", points=cfg.referred_points, until=self.day(activates))
            )
        if cfg.referrer_points:
            self.notes.append(note("bonus.referral", points=cfg.referrer_points))

    def expiring_soon(self) -> tuple[ExpiringPoints, ...]:
        """Lots lapsing within the notice period, less what this sale and any debt take."""
        if self.wallet is None:
            return ()
        soon = self.wallet.expiring_after(
            self.now,
            timedelta(days=self.rules.accrual.expiry_notice_days),
            sum(ln.redeemed for ln in self.lines),
        )
        if soon:
            first = soon[0]
            self.notes.append(
                note("balance.expiring", points=first.points, date=self.day(first.expires_at))
            )
        return tuple(soon)

    def tier_hint(self, after: Tier, spend_after: int) -> None:
        upcoming = self.rules.tiers.next_tier(after)
        if upcoming is not None:
            self.notes.append(
                note("tier.next", missing=upcoming.min_spend - spend_after, tier=upcoming.name)
            )


_DOWN = Rounding.DOWN
