"""Staff log in with PINs; repeated wrong PINs lock the account for a while."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from loyalty_core.staff import Role, StaffLockedError, WrongStaffPinError
from pos_client.bootstrap import Till
from pos_client.services.facade import TillServices
from pos_client.services.staff import create_staff


class SteppingClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _services_with_clock(seeded_till: Till, clock: SteppingClock) -> TillServices:
    from dataclasses import replace

    return TillServices(seeded_till.services.uows, replace(seeded_till.services.ctx, clock=clock))


def test_right_pin_logs_in(seeded_till: Till) -> None:
    cashier = next(s for s in seeded_till.services.staff_list() if s.role is Role.CASHIER)
    assert seeded_till.services.log_in(cashier.id, "1111").name == cashier.name


def test_wrong_pins_lock_out_then_the_lock_expires(seeded_till: Till) -> None:
    clock = SteppingClock()
    sv = _services_with_clock(seeded_till, clock)
    cashier = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    policy = sv.ctx.lockout
    for attempt in range(1, policy.max_attempts):
        with pytest.raises(WrongStaffPinError) as info:
            sv.log_in(cashier.id, "0000")
        assert info.value.params["left"] == policy.max_attempts - attempt
    with pytest.raises(StaffLockedError):
        sv.log_in(cashier.id, "0000")
    with pytest.raises(StaffLockedError):  # even the right PIN is refused while locked
        sv.log_in(cashier.id, "1111")
    clock.now += policy.lockout + timedelta(seconds=1)
    assert sv.log_in(cashier.id, "1111").id == cashier.id


def test_pins_are_stored_hashed(seeded_till: Till) -> None:
    member = create_staff("Пётр Новый", Role.SENIOR, "4321", seeded_till.services.uows.writing())
    with seeded_till.services.uows.reading() as uow:
        stored = uow.staff.get(member.id)
    assert stored is not None
    assert stored.pin_hash.startswith("$argon2") and "4321" not in stored.pin_hash
    assert seeded_till.services.log_in(member.id, "4321").role is Role.SENIOR
