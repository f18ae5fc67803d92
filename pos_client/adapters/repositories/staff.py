"""Staff members and their login state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from loyalty_core.staff import Role, StaffMember
from pos_client.adapters.tables import StaffRow, table_of

_T = table_of(StaffRow)


def _member(row: Any) -> StaffMember:
    return StaffMember(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        pin_hash=row.pin_hash,
        active=row.active,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
    )


class StaffRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, staff_id: str) -> StaffMember | None:
        row = self._c.execute(select(_T).where(_T.c.id == staff_id)).first()
        return _member(row) if row else None

    def active(self) -> list[StaffMember]:
        rows = self._c.execute(select(_T).where(_T.c.active.is_(True)).order_by(_T.c.name)).all()
        return [_member(r) for r in rows]

    def add(self, member: StaffMember) -> None:
        self._c.execute(
            insert(_T).values(
                id=member.id,
                name=member.name,
                role=member.role.value,
                pin_hash=member.pin_hash,
                active=member.active,
                failed_attempts=member.failed_attempts,
                locked_until=member.locked_until,
            )
        )

    def save_login_state(self, member: StaffMember) -> None:
        self._c.execute(
            update(_T)
            .where(_T.c.id == member.id)
            .values(failed_attempts=member.failed_attempts, locked_until=member.locked_until)
        )
