"""A shift's reports: the X report as the shift stands, the Z report as it was closed."""

from __future__ import annotations

import json
from datetime import datetime

from loyalty_core.shifts import ShiftReport
from loyalty_core.wire.events import ShiftClosedV1
from pos_client.adapters.repositories.shifts import ShiftRecord
from pos_client.adapters.unit_of_work import SqliteUnitOfWork


def x_report(uow: SqliteUnitOfWork, shift: ShiftRecord, till_id: str, at: datetime) -> ShiftReport:
    """The open shift's totals as they stand at ``at`` (inside ``uow``)."""
    return ShiftReport(
        shift_id=shift.id,
        number=shift.number,
        opened_at=shift.opened_at,
        opened_by=shift.opened_by,
        float_cash=shift.float_cash,
        totals=uow.shifts.totals(shift, till_id, at),
        at=at,
    )


def z_report(shift: ShiftRecord) -> ShiftReport:
    assert shift.report_json is not None
    closed = ShiftClosedV1.model_validate(json.loads(shift.report_json))
    return ShiftReport(
        shift_id=shift.id,
        number=shift.number,
        opened_at=shift.opened_at,
        opened_by=shift.opened_by,
        float_cash=shift.float_cash,
        totals=closed.totals.to_totals(),
        at=closed.closed_at,
        counted=closed.counted_cash,
    )
