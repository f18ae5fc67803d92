"""Staff at the till, as the engine decides: PIN format, the PIN check with its lockout, and
what each role may do beyond selling."""

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.staff import (
    CAPABILITIES,
    Capability,
    LockoutPolicy,
    Role,
    StaffMember,
    check_pin_format,
    hash_pin,
    may,
    pin_matches,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_attempts=3, lockout=timedelta(minutes=5))
ANNA = StaffMember("a", "Анна", Role.CASHIER, hash_pin("1111"))


def test_only_a_manager_approves_and_changes_devices_and_a_senior_cashier_closes_the_shift() -> (
    None
):
    assert {role: sorted(CAPABILITIES[role]) for role in Role} == {
        Role.CASHIER: [],
        Role.SENIOR: [Capability.CLOSE_SHIFT],
        Role.MANAGER: sorted(Capability),
    }
    assert may(Role.MANAGER, Capability.APPROVE) and may(Role.SENIOR, Capability.CLOSE_SHIFT)
    assert not may(Role.SENIOR, Capability.APPROVE)
    assert not may(Role.CASHIER, Capability.CLOSE_SHIFT)
    assert not may("trainee", Capability.CLOSE_SHIFT)  # type: ignore[arg-type]


@pytest.mark.parametrize("pin", ["1234", "12345678"])
def test_a_pin_is_four_to_eight_ascii_digits(pin: str) -> None:
    assert check_pin_format(pin) == pin
    assert pin_matches(hash_pin(pin), pin)


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "١٢٣٤", ""])
def test_any_other_pin_is_refused_before_hashing(pin: str) -> None:
    with pytest.raises(DomainError) as refused:
        hash_pin(pin)
    assert refused.value.code == "staff.pin_format"


def test_a_wrong_pin_or_a_broken_hash_never_matches() -> None:
    assert not pin_matches(ANNA.pin_hash, "2222")
    assert not pin_matches("not a hash", "1111")


def test_wrong_pins_count_down_then_lock_and_the_right_one_resets_the_count() -> None:
    state, refusal = ANNA.attempt_login("0000", NOW, POLICY)
    assert refusal is not None and refusal.params == {"left": 2}
    assert state.failed_attempts == 1
    state, refusal = state.attempt_login("1111", NOW, POLICY)
    assert refusal is None and state.failed_attempts == 0
    for left in (2, 1):
        state, refusal = state.attempt_login("0000", NOW, POLICY)
        assert refusal is not None and refusal.params == {"left": left}
    state, refusal = state.attempt_login("0000", NOW, POLICY)
    assert refusal is not None and refusal.code == "staff.locked"
    assert state.locked_until == NOW + timedelta(minutes=5) and state.failed_attempts == 0
    # Locked: even the right PIN is refused until the lockout ends, then it works.
    _, refusal = state.attempt_login("1111", NOW + timedelta(minutes=4, seconds=59), POLICY)
    assert refusal is not None and refusal.code == "staff.locked"
    state, refusal = state.attempt_login("1111", NOW + timedelta(minutes=5), POLICY)
    assert refusal is None and state.locked_until is None


@pytest.fixture
def moscow_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The till's clock in Moscow (UTC+3), as a store there sets it."""
    monkeypatch.setenv("TZ", "Europe/Moscow")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("moscow_clock")
def test_the_lock_message_says_until_when_in_the_tills_own_time() -> None:
    state = ANNA
    for _ in range(3):
        state, refusal = state.attempt_login("0000", NOW, POLICY)
    # 09:00 UTC + 5 minutes is 12:05 on a Moscow wall clock.
    assert refusal is not None and refusal.params == {"until": "12:05"}
    assert refusal.message == "Too many wrong PINs: locked until 12:05."
    _, refusal = state.attempt_login("1111", NOW + timedelta(minutes=3), POLICY)
    assert refusal is not None and refusal.params == {"until": "12:05"}


def test_someone_no_longer_on_the_staff_cannot_log_in() -> None:
    _, refusal = replace(ANNA, active=False).attempt_login("1111", NOW, POLICY)
    assert refusal is not None and refusal.code == "staff.unknown"
