"""Staff login by PIN and staff management."""

from __future__ import annotations

from loyalty_core.ids import new_id
from loyalty_core.staff import Role, StaffMember, StaffUnknownError, hash_pin
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext
from pos_client.services.messages import StaffBadge


def badge(member: StaffMember) -> StaffBadge:
    return StaffBadge(member.id, member.name, member.role)


def list_staff(uow: SqliteUnitOfWork) -> list[StaffBadge]:
    with uow:
        return [badge(m) for m in uow.staff.active()]


def log_in(staff_id: str, pin: str, uow: SqliteUnitOfWork, ctx: TillContext) -> StaffBadge:
    """Check a PIN; a wrong one counts towards the lockout even though it is refused."""
    with uow:
        member = uow.staff.get(staff_id)
        if member is None:
            raise StaffUnknownError()
        updated, refusal = member.attempt_login(pin, ctx.clock(), ctx.lockout)
        if updated != member:
            uow.staff.save_login_state(updated)
            uow.commit()
    if refusal is not None:
        raise refusal
    return badge(updated)


def create_staff(name: str, role: Role, pin: str, uow: SqliteUnitOfWork) -> StaffBadge:
    member = StaffMember(id=new_id(), name=name.strip(), role=role, pin_hash=hash_pin(pin))
    with uow:
        uow.staff.add(member)
        uow.commit()
    return badge(member)
