"""Bonuses granted by a rule rather than earned on a line: welcome, questionnaire,
birthday, referral. Each is a lot (``EntryKind.BONUS``) whose ``ref`` names it,
so "once" and "once a year" are read from the customer's own ledger.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.rules import LoyaltyRules
from loyalty_core.wallet import Wallet


def birthday_in(year: int, birthday: date) -> date:
    """The birthday's date in ``year`` (29 February becomes 28 February)."""
    try:
        return birthday.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def birthday_window_start(rules: LoyaltyRules, birthday: date, now: datetime) -> datetime | None:
    """Start (UTC) of the birthday window ``now`` falls in, or ``None`` outside any window."""
    cfg = rules.birthday
    today = now.astimezone(rules.zone).date()
    for year in (today.year - 1, today.year, today.year + 1):
        day = birthday_in(year, birthday)
        first = day - timedelta(days=cfg.days_before)
        if first <= today <= day + timedelta(days=cfg.days_after):
            return rules.day_start_after(
                datetime(first.year, first.month, first.day, 12, tzinfo=rules.zone), 0
            )
    return None


def birthday_bonus_due(
    rules: LoyaltyRules, wallet: Wallet, birthday: date | None, now: datetime
) -> bool:
    """Whether the yearly birthday bonus is due now (in the window, not yet granted in it)."""
    if rules.birthday.points <= 0 or birthday is None:
        return False
    start = birthday_window_start(rules, birthday, now)
    if start is None:
        return False
    last = wallet.bonus_last.get(BonusKind.BIRTHDAY.value)
    return last is None or last < start


def first_purchase_pending(rules: LoyaltyRules, wallet: Wallet) -> bool:
    return rules.first_purchase.accrual_bp > 0 and wallet.purchase_count == 0


def referral_due(rules: LoyaltyRules, wallet: Wallet, referred_by: str | None) -> bool:
    cfg = rules.referral
    return (
        referred_by is not None
        and (cfg.referrer_points > 0 or cfg.referred_points > 0)
        and wallet.purchase_count == 0
        and BonusKind.REFERRAL_REFERRED.value not in wallet.bonus_last
    )


def one_off_bonus_entry(
    rules: LoyaltyRules,
    kind: BonusKind,
    *,
    wallet: Wallet,
    event_id: str,
    now: datetime,
    till_id: str,
) -> LedgerEntry | None:
    """The welcome or questionnaire bonus entry, or ``None`` if off or already granted.

    ``event_id`` is the id of what earned it (the registration, the questionnaire);
    the entry id derives from it, so a retry cannot grant it twice.
    """
    if kind is BonusKind.WELCOME:
        points, activation, expiry = (
            rules.welcome.points,
            rules.welcome.activation_days,
            rules.welcome.expiry_days,
        )
    elif kind is BonusKind.QUESTIONNAIRE:
        points, activation, expiry = rules.questionnaire.points, 0, rules.questionnaire.expiry_days
    else:
        raise ValueError(f"{kind} is granted with a sale, not on its own")
    if points <= 0 or kind.value in wallet.bonus_last:
        return None
    return LedgerEntry(
        id=derived_id(event_id, f"bonus:{kind.value}"),
        kind=EntryKind.BONUS,
        occurred_at=now,
        till_id=till_id,
        rules_version=rules.version,
        customer_id=wallet.customer_id,
        points=points,
        activates_at=rules.day_start_after(now, activation),
        expires_at=rules.day_start_after(now, max(expiry, activation + 1)),
        ref=kind.value,
    )
