"""Staff, roles and PIN login with lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from loyalty_core.errors import DomainError

# Moderate cost: ~10-30 ms on a till, far beyond brute force of a stolen hash file at scale.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


class Role(StrEnum):
    CASHIER = "cashier"
    SENIOR = "senior"
    MANAGER = "manager"


class Capability(StrEnum):
    """What a role may do at the till beyond selling, returning and its own X report."""

    CLOSE_SHIFT = "close_shift"  # the Z report: the day's money is counted and closed
    APPROVE = "approve"  # a manager's PIN for what a cashier may not do alone
    DEVICE_SETTINGS = "device_settings"


CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.CASHIER: frozenset(),
    Role.SENIOR: frozenset({Capability.CLOSE_SHIFT}),
    Role.MANAGER: frozenset(Capability),
}


def may(role: Role, capability: Capability) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


class InvalidPinFormatError(DomainError):
    code = "staff.pin_format"
    template = "A PIN is 4 to 8 digits."


class WrongStaffPinError(DomainError):
    code = "staff.wrong_pin"
    template = "Wrong PIN. {left} attempts left."


class StaffLockedError(DomainError):
    code = "staff.locked"
    template = "Too many wrong PINs: locked until {until}."


class StaffUnknownError(DomainError):
    code = "staff.unknown"
    template = "This staff member is not known at this till."


def check_pin_format(pin: str) -> str:
    if not (4 <= len(pin) <= 8 and pin.isascii() and pin.isdigit()):
        raise InvalidPinFormatError()
    return pin


def hash_pin(pin: str) -> str:
    return _HASHER.hash(check_pin_format(pin))


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    max_attempts: int = 5
    lockout: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    name: str
    role: Role
    pin_hash: str
    active: bool = True
    failed_attempts: int = 0
    locked_until: datetime | None = None

    def attempt_login(
        self, pin: str, now: datetime, policy: LockoutPolicy
    ) -> tuple[StaffMember, DomainError | None]:
        """The member's state after a PIN attempt, and the refusal if it failed.

        The caller persists the new state first and raises the refusal after, so a
        wrong PIN counts towards the lockout even though the login fails.
        """
        if not self.active:
            return self, StaffUnknownError()
        locked_until = self.locked_until
        if locked_until is not None and now < locked_until:
            return self, StaffLockedError(until=_local_hm(locked_until))
        if pin_matches(self.pin_hash, pin):
            return replace(self, failed_attempts=0, locked_until=None), None
        attempts = self.failed_attempts + 1
        if attempts >= policy.max_attempts:
            until = now + policy.lockout
            return replace(self, failed_attempts=0, locked_until=until), StaffLockedError(
                until=_local_hm(until)
            )
        return replace(self, failed_attempts=attempts), WrongStaffPinError(
            left=policy.max_attempts - attempts
        )


def _local_hm(moment: datetime) -> str:
    """The till's wall-clock time of ``moment``, as the cashier reads it on the lock message."""
    return moment.astimezone().strftime("%H:%M")
