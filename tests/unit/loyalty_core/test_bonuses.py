from datetime import UTC, date, datetime, timedelta

import pytest

from loyalty_core.bonuses import (
    birthday_bonus_due,
    birthday_in,
    birthday_window_start,
    first_purchase_pending,
    one_off_bonus_entry,
    referral_due,
)
from loyalty_core.ledger import BonusKind, EntryKind, LedgerEntry, derived_id
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import CustomerState
from loyalty_core.wallet import Wallet, project

from .builders import CUSTOMER, T0, at, entry, line, plain_rules, uid


def test_the_welcome_bonus_is_granted_once_per_customer() -> None:
    rules = plain_rules(welcome={"points": 20_000, "expiry_days": 30})
    wallet = Wallet(CUSTOMER)
    registration = uid()
    granted = one_off_bonus_entry(
        rules, BonusKind.WELCOME, wallet=wallet, event_id=registration, now=T0, till_id="t"
    )
    assert granted is not None and granted.points == 20_000
    assert granted.expires_at == datetime(2024, 3, 31, tzinfo=UTC)
    wallet.apply(granted)
    assert wallet.available(at(1)) == 20_000
    assert (
        one_off_bonus_entry(
            rules, BonusKind.WELCOME, wallet=wallet, event_id=uid(), now=at(1), till_id="t"
        )
        is None
    )


def test_a_retried_welcome_bonus_has_the_same_id() -> None:
    rules = plain_rules(welcome={"points": 20_000})
    registration = uid()
    make = [
        one_off_bonus_entry(
            rules,
            BonusKind.WELCOME,
            wallet=Wallet(CUSTOMER),
            event_id=registration,
            now=T0,
            till_id="t",
        )
        for _ in range(2)
    ]
    assert make[0] == make[1]


def test_the_questionnaire_bonus_is_granted_once_and_is_off_at_zero() -> None:
    rules = plain_rules(questionnaire={"points": 10_000})
    wallet = Wallet(CUSTOMER)
    granted = one_off_bonus_entry(
        rules, BonusKind.QUESTIONNAIRE, wallet=wallet, event_id=uid(), now=T0, till_id="t"
    )
    assert granted is not None and granted.ref == "questionnaire"
    assert (
        one_off_bonus_entry(
            plain_rules(),
            BonusKind.QUESTIONNAIRE,
            wallet=Wallet(CUSTOMER),
            event_id=uid(),
            now=T0,
            till_id="t",
        )
        is None
    )


def test_the_birthday_window_spans_new_year() -> None:
    rules = plain_rules(birthday={"points": 500, "days_before": 3, "days_after": 3})
    wallet = Wallet(CUSTOMER)
    born = date(1990, 12, 31)
    assert birthday_bonus_due(rules, wallet, born, datetime(2025, 1, 2, 12, tzinfo=UTC))
    assert birthday_bonus_due(rules, wallet, born, datetime(2025, 1, 3, 23, 59, tzinfo=UTC))
    assert birthday_bonus_due(rules, wallet, born, datetime(2024, 12, 28, 0, tzinfo=UTC))
    assert not birthday_bonus_due(rules, wallet, born, datetime(2025, 1, 4, 0, tzinfo=UTC))
    assert not birthday_bonus_due(rules, wallet, born, datetime(2024, 12, 27, 23, tzinfo=UTC))


def test_a_29_february_birthday_is_celebrated_on_28_february_in_common_years() -> None:
    assert birthday_in(2023, date(2000, 2, 29)) == date(2023, 2, 28)
    assert birthday_in(2024, date(2000, 2, 29)) == date(2024, 2, 29)


def test_a_birthday_bonus_of_zero_points_is_off_and_one_point_is_already_a_bonus() -> None:
    born = date(1990, 3, 2)  # T0 is 01.03: inside the window of 3 days before
    off = plain_rules(birthday={"points": 0, "days_before": 3, "days_after": 3})
    one = plain_rules(birthday={"points": 1, "days_before": 3, "days_after": 3})
    assert not birthday_bonus_due(off, Wallet(CUSTOMER), born, T0)
    assert birthday_bonus_due(one, Wallet(CUSTOMER), born, T0)
    assert not birthday_bonus_due(one, Wallet(CUSTOMER), None, T0)  # birthday unknown


KIRITIMATI = plain_rules(
    timezone="Pacific/Kiritimati",  # UTC+14: the store day starts at 10:00 UTC the day before
    birthday={"points": 500, "days_before": 3, "days_after": 3},
)
BORN_8_MARCH = date(1990, 3, 8)  # window 05.03-11.03 in the store's days
WINDOW_OPENS = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)  # 05.03 00:00 in Kiritimati


def _birthday_bonus(when: datetime) -> LedgerEntry:
    return entry(
        EntryKind.BONUS,
        when=when,
        points=500,
        activates_at=when,
        expires_at=when + timedelta(days=14),
        ref=BonusKind.BIRTHDAY.value,
    )


def test_the_birthday_window_opens_at_the_stores_midnight_not_utcs() -> None:
    assert birthday_window_start(KIRITIMATI, BORN_8_MARCH, WINDOW_OPENS) == WINDOW_OPENS
    assert birthday_window_start(KIRITIMATI, BORN_8_MARCH, datetime(2024, 3, 8, tzinfo=UTC)) == (
        WINDOW_OPENS
    )
    # 09:59 UTC is still 04.03 in the store: no window yet.
    one_minute_early = WINDOW_OPENS - timedelta(minutes=1)
    assert birthday_window_start(KIRITIMATI, BORN_8_MARCH, one_minute_early) is None
    assert birthday_bonus_due(KIRITIMATI, Wallet(CUSTOMER), BORN_8_MARCH, WINDOW_OPENS)
    assert not birthday_bonus_due(KIRITIMATI, Wallet(CUSTOMER), BORN_8_MARCH, one_minute_early)


def test_a_birthday_bonus_granted_at_the_first_instant_of_the_window_is_not_granted_again() -> None:
    wallet = project(CUSTOMER, [_birthday_bonus(WINDOW_OPENS)])
    later_in_window = datetime(2024, 3, 10, 12, tzinfo=UTC)
    assert not birthday_bonus_due(KIRITIMATI, wallet, BORN_8_MARCH, later_in_window)
    # Last year's bonus does not count for this year's window.
    last_year = project(CUSTOMER, [_birthday_bonus(datetime(2023, 3, 6, tzinfo=UTC))])
    assert birthday_bonus_due(KIRITIMATI, last_year, BORN_8_MARCH, later_in_window)


def test_a_january_birthday_window_opens_in_december_of_the_year_before() -> None:
    rules = plain_rules(birthday={"points": 500, "days_before": 3, "days_after": 3})
    born = date(1990, 1, 2)  # window 30.12-05.01
    assert birthday_bonus_due(rules, Wallet(CUSTOMER), born, datetime(2024, 12, 30, tzinfo=UTC))
    assert birthday_bonus_due(rules, Wallet(CUSTOMER), born, datetime(2024, 12, 31, 23, tzinfo=UTC))
    assert not birthday_bonus_due(
        rules, Wallet(CUSTOMER), born, datetime(2024, 12, 29, 23, 59, tzinfo=UTC)
    )


def test_the_first_purchase_boost_is_off_at_zero_and_on_from_one_basis_point() -> None:
    new = Wallet(CUSTOMER)
    assert not first_purchase_pending(plain_rules(first_purchase={"accrual_bp": 0}), new)
    assert first_purchase_pending(plain_rules(first_purchase={"accrual_bp": 1}), new)
    bought = project(CUSTOMER, [entry(EntryKind.PURCHASE, amount=10_000, sale_id=uid())])
    assert not first_purchase_pending(plain_rules(first_purchase={"accrual_bp": 1}), bought)


def test_the_questionnaire_bonus_entry_is_active_at_once_and_derives_its_id_from_the_event() -> (
    None
):
    rules = plain_rules(version=4, questionnaire={"points": 10_000, "expiry_days": 90})
    event = uid()
    now = datetime(2024, 3, 1, 15, 30, tzinfo=UTC)
    granted = one_off_bonus_entry(
        rules,
        BonusKind.QUESTIONNAIRE,
        wallet=Wallet(CUSTOMER),
        event_id=event,
        now=now,
        till_id="t9",
    )
    # Active from the start of today's store day, for 90 days: 01.03 -> 30.05.
    assert granted == LedgerEntry(
        id=derived_id(event, "bonus:questionnaire"),
        kind=EntryKind.BONUS,
        occurred_at=now,
        till_id="t9",
        rules_version=4,
        customer_id=CUSTOMER,
        points=10_000,
        activates_at=datetime(2024, 3, 1, tzinfo=UTC),
        expires_at=datetime(2024, 5, 30, tzinfo=UTC),
        ref="questionnaire",
    )


def test_a_questionnaire_bonus_with_zero_expiry_days_lasts_until_the_next_store_midnight() -> None:
    rules = plain_rules(questionnaire={"points": 10_000, "expiry_days": 0})
    now = datetime(2024, 3, 1, 15, 30, tzinfo=UTC)
    granted = one_off_bonus_entry(
        rules,
        BonusKind.QUESTIONNAIRE,
        wallet=Wallet(CUSTOMER),
        event_id=uid(),
        now=now,
        till_id="t",
    )
    assert granted is not None
    assert (granted.activates_at, granted.expires_at) == (
        datetime(2024, 3, 1, tzinfo=UTC),
        datetime(2024, 3, 2, tzinfo=UTC),
    )


def test_a_welcome_bonus_of_one_point_is_granted() -> None:
    rules = plain_rules(welcome={"points": 1})
    granted = one_off_bonus_entry(
        rules, BonusKind.WELCOME, wallet=Wallet(CUSTOMER), event_id=uid(), now=T0, till_id="t"
    )
    assert granted is not None and granted.points == 1


def test_bonuses_granted_with_a_sale_cannot_be_made_on_their_own() -> None:
    with pytest.raises(ValueError, match="granted with a sale, not on its own"):
        one_off_bonus_entry(
            plain_rules(birthday={"points": 500}),
            BonusKind.BIRTHDAY,
            wallet=Wallet(CUSTOMER),
            event_id=uid(),
            now=T0,
            till_id="t",
        )


REFERRER = "22222222-2222-7222-8222-222222222222"


def _referral_bonuses(
    referrer_points: int, referred_points: int, *history: LedgerEntry
) -> set[tuple[str, str, int]]:
    rules = plain_rules(
        referral={"referrer_points": referrer_points, "referred_points": referred_points}
    )
    customer = CustomerState(CUSTOMER, project(CUSTOMER, list(history)), referred_by=REFERRER)
    receipt = price_checkout(rules, [line(10_000)], now=T0, customer=customer)
    return {(b.kind, b.customer_id, b.points) for b in receipt.bonuses}


def test_a_referral_can_reward_only_the_referrer_or_only_the_new_customer() -> None:
    assert _referral_bonuses(30_000, 0) == {("referral_referrer", REFERRER, 30_000)}
    assert _referral_bonuses(1, 0) == {("referral_referrer", REFERRER, 1)}
    assert _referral_bonuses(0, 1) == {("referral_referred", CUSTOMER, 1)}
    assert _referral_bonuses(0, 0) == set()
    assert not referral_due(plain_rules(), Wallet(CUSTOMER), REFERRER)  # both 0: off


def test_no_referral_bonus_once_the_customer_has_bought_even_if_never_granted() -> None:
    # The referrer was recorded after this customer's first purchase: too late.
    earlier = entry(EntryKind.PURCHASE, amount=5_000, sale_id=uid(), when=at(-3))
    assert _referral_bonuses(30_000, 20_000, earlier) == set()
    assert not referral_due(plain_rules(referral={"referrer_points": 1}), Wallet(CUSTOMER), None)
