from datetime import UTC, date, datetime

from loyalty_core.bonuses import birthday_bonus_due, birthday_in, one_off_bonus_entry
from loyalty_core.ledger import BonusKind
from loyalty_core.wallet import Wallet

from .builders import CUSTOMER, T0, at, plain_rules, uid


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
    assert birthday_bonus_due(rules, wallet, born, datetime(2024, 12, 28, 0, tzinfo=UTC))
    assert not birthday_bonus_due(rules, wallet, born, datetime(2025, 1, 4, 0, tzinfo=UTC))
    assert not birthday_bonus_due(rules, wallet, born, datetime(2024, 12, 27, 23, tzinfo=UTC))


def test_a_29_february_birthday_is_celebrated_on_28_february_in_common_years() -> None:
    assert birthday_in(2023, date(2000, 2, 29)) == date(2023, 2, 28)
    assert birthday_in(2024, date(2000, 2, 29)) == date(2024, 2, 29)
