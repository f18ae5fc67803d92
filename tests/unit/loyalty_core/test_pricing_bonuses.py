"""Bonuses a sale grants besides accrual: the birthday bonus and the referral bonuses.

Each is a lot of its own: who gets it, how many points, when it becomes usable and when it
lapses (store days), and the line on the receipt that says so.
"""

from datetime import UTC, date, datetime

from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CustomerState, PricedReceipt
from loyalty_core.wallet import project

from .builders import CUSTOMER, line, plain_rules

REFERRER = "22222222-2222-7222-8222-222222222222"
# 10:00 on 1 March 2024 in Moscow; store days start at 21:00 UTC the day before.
NOW = datetime(2024, 3, 1, 7, tzinfo=UTC)


def _bonus_notes(receipt: PricedReceipt) -> list[tuple[str, dict[str, int | str]]]:
    return [(n.code, n.params) for n in receipt.notes if n.code.startswith("bonus.")]


def test_the_birthday_bonus_is_usable_from_the_start_of_today_for_its_expiry_days() -> None:
    # 100,00 of birthday bonus, 14 store days: from Moscow midnight on 1 March to 15 March.
    rules = plain_rules(timezone="Europe/Moscow", birthday={"points": 10_000, "expiry_days": 14})
    customer = CustomerState(CUSTOMER, project(CUSTOMER, []), birthday=date(1990, 3, 2))
    receipt = price_checkout(rules, [line(10_000)], now=NOW, customer=customer)
    [bonus] = receipt.bonuses
    assert (bonus.kind, bonus.customer_id, bonus.points) == ("birthday", CUSTOMER, 10_000)
    assert bonus.activates_at == datetime(2024, 2, 29, 21, tzinfo=UTC)
    assert bonus.expires_at == datetime(2024, 3, 14, 21, tzinfo=UTC)
    assert _bonus_notes(receipt) == [
        ("bonus.birthday", {"points": 10_000, "expires": "2024-03-15"})
    ]
    assert receipt.earned == receipt.accrual + 10_000


def test_referral_bonuses_are_pending_like_the_accrual_and_last_their_expiry_days() -> None:
    # Accrual pending 14 store days (until 15 March); the referral bonuses with it, then
    # usable for 90 days: until Moscow midnight on 13 June (15 March + 90 days).
    rules = plain_rules(
        timezone="Europe/Moscow",
        accrual={"activation_days": 14, "expiry_days": 365},
        referral={"referrer_points": 30_000, "referred_points": 20_000, "expiry_days": 90},
    )
    customer = CustomerState(CUSTOMER, project(CUSTOMER, []), referred_by=REFERRER)
    receipt = price_checkout(rules, [line(10_000)], now=NOW, customer=customer)
    activates = datetime(2024, 3, 14, 21, tzinfo=UTC)
    expires = datetime(2024, 6, 12, 21, tzinfo=UTC)
    assert [
        (b.kind, b.customer_id, b.points, b.activates_at, b.expires_at) for b in receipt.bonuses
    ] == [
        ("referral_referred", CUSTOMER, 20_000, activates, expires),
        ("referral_referrer", REFERRER, 30_000, activates, expires),
    ]
    assert receipt.accrual_activates_at == activates
    assert _bonus_notes(receipt) == [
        ("bonus.referred", {"points": 20_000, "until": "2024-03-15"}),
        ("bonus.referral", {"points": 30_000}),
    ]
    # The customer earns their own referral bonus, not the referrer's.
    assert receipt.earned == receipt.accrual + 20_000


def test_a_referral_that_rewards_only_the_referrer_grants_and_says_only_that() -> None:
    rules = plain_rules(referral={"referrer_points": 30_000, "referred_points": 0})
    customer = CustomerState(CUSTOMER, project(CUSTOMER, []), referred_by=REFERRER)
    receipt = price_checkout(rules, [line(10_000)], now=NOW, customer=customer)
    assert [(b.kind, b.customer_id, b.points) for b in receipt.bonuses] == [
        ("referral_referrer", REFERRER, 30_000),
    ]
    assert _bonus_notes(receipt) == [("bonus.referral", {"points": 30_000})]
