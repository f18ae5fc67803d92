"""Shifts: opened with a float, the X report at any time, closed with the cash counted (Z).

A sale or a return is rung up only in an open shift (``open_shift_of``), and carries its
id. Opening and closing are facts like a sale: each is written with its outbox event
(``shift.opened``, ``shift.closed`` with the Z report) in one transaction. The Z report is
kept with the shift as it was taken, so it reads back (and reprints) the same.
"""

from __future__ import annotations

import json
from dataclasses import replace

from loyalty_core.ids import new_id
from loyalty_core.shifts import (
    CloseNotAllowedError,
    NoOpenShiftError,
    ShiftAlreadyOpenError,
    ShiftReport,
    ShiftTotals,
    check_cash,
)
from loyalty_core.staff import Capability, may
from loyalty_core.wire.events import ShiftClosedV1, ShiftOpenedV1, ShiftTotalsV1, dump
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.repositories.shifts import ShiftRecord
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext
from pos_client.services.printing import queue_report
from pos_client.services.shift_reports import x_report


def open_shift_of(uow: SqliteUnitOfWork) -> ShiftRecord:
    """The open shift, inside a sale's or a return's transaction; refused when none is."""
    shift = uow.shifts.current()
    if shift is None:
        raise NoOpenShiftError()
    return shift


def current_report(uow: SqliteUnitOfWork, ctx: TillContext) -> ShiftReport | None:
    """The X report of the open shift; None when no shift is open."""
    with uow:
        shift = uow.shifts.current()
        return x_report(uow, shift, ctx.till_id, ctx.clock()) if shift is not None else None


def open_shift(
    staff_id: str, float_cash: int, uow: SqliteUnitOfWork, ctx: TillContext
) -> ShiftReport:
    check_cash(float_cash)
    now = ctx.clock()
    with uow:
        current = uow.shifts.current()
        if current is not None:
            raise ShiftAlreadyOpenError(number=current.number)
        shift = ShiftRecord(new_id(), uow.shifts.next_number(), staff_id, now, float_cash)
        uow.shifts.open(shift)
        event = ShiftOpenedV1(
            shift_id=shift.id,
            number=shift.number,
            till_id=ctx.till_id,
            staff_id=staff_id,
            opened_at=now,
            float_cash=float_cash,
        )
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind=ShiftOpenedV1.KIND,
                aggregate_id=shift.id,
                payload=dump(event),
                created_at=now,
            )
        )
        uow.commit()
    return ShiftReport(shift.id, shift.number, now, staff_id, float_cash, ShiftTotals(), now)


def close_shift(
    staff_id: str, counted: int, uow: SqliteUnitOfWork, ctx: TillContext
) -> ShiftReport:
    """The Z report: the shift's totals and the cash counted; the shift is closed (by a
    senior cashier or a manager)."""
    check_cash(counted)
    with uow:
        closer = uow.staff.get(staff_id)
        if closer is None or not may(closer.role, Capability.CLOSE_SHIFT):
            raise CloseNotAllowedError()
        shift = open_shift_of(uow)
        z = replace(x_report(uow, shift, ctx.till_id, ctx.clock()), counted=counted)
        event = ShiftClosedV1(
            shift_id=shift.id,
            number=shift.number,
            till_id=ctx.till_id,
            staff_id=staff_id,
            opened_at=shift.opened_at,
            closed_at=z.at,
            float_cash=shift.float_cash,
            totals=ShiftTotalsV1.of(z.totals),
            expected_cash=z.expected,
            counted_cash=counted,
        )
        payload = dump(event)
        uow.shifts.close(shift.id, staff_id, z.at, counted, json.dumps(payload))
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind=ShiftClosedV1.KIND,
                aggregate_id=shift.id,
                payload=payload,
                created_at=z.at,
            )
        )
        queue_report(uow, ctx, shift.id, z.at)
        uow.commit()
    return z


def print_x_report(uow: SqliteUnitOfWork, ctx: TillContext) -> None:
    """Queue the open shift's X report for the printer (taken when it prints)."""
    with uow:
        shift = open_shift_of(uow)
        queue_report(uow, ctx, shift.id, ctx.clock())
        uow.commit()
