"""A closed shift's Z report, read back exactly as it was taken at the close."""

from __future__ import annotations

import json

from loyalty_core.shifts import ShiftReport
from loyalty_core.wire.events import ShiftClosedV1
from pos_client.adapters.repositories.shifts import ShiftRecord


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
