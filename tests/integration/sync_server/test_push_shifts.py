"""A till's shifts as the server takes them: the opening, then the Z report, checked with the
same arithmetic the till closed it by (the float plus the sales' cash less the refunds' cash)
before it is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.shifts import ShiftTotals
from loyalty_core.wire.events import ShiftClosedV1, ShiftOpenedV1, ShiftTotalsV1
from sync_server.adapters.models import Shift
from sync_server.adapters.models import Till as TillRow
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, Till, two_tills

RULES: LoyaltyRules = default_rules()
OPENED = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
CLOSED = OPENED + timedelta(hours=9)
# 12 sales: 8 400,00 in cash and 15 600,00 by card; one return of 300,00 in cash.
TOTALS = ShiftTotals(
    sales=12,
    sales_total=2_400_000,
    returns=1,
    returns_total=30_000,
    cash_in=840_000,
    card_in=1_560_000,
    cash_out=30_000,
    bonus_accrued=7_200,
    bonus_redeemed=1_500,
    cards_registered=3,
    questionnaires=2,
)
FLOAT = 500_000  # 5 000,00
EXPECTED = FLOAT + 840_000 - 30_000  # 13 100,00 in the drawer


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _shift(till: Till, **close: Any) -> str:
    shift_id, staff = new_id(), new_id()
    till.event(
        "shift.opened",
        shift_id,
        OPENED,
        ShiftOpenedV1(
            shift_id=shift_id,
            number=1,
            till_id=till.till_id,
            staff_id=staff,
            opened_at=OPENED,
            float_cash=FLOAT,
        ),
    )
    fields: dict[str, Any] = {
        "shift_id": shift_id,
        "number": 1,
        "till_id": till.till_id,
        "staff_id": staff,
        "opened_at": OPENED,
        "closed_at": CLOSED,
        "float_cash": FLOAT,
        "totals": ShiftTotalsV1.of(TOTALS),
        "expected_cash": EXPECTED,
        "counted_cash": EXPECTED - 5_000,  # 50,00 short
    }
    till.event("shift.closed", shift_id, CLOSED, ShiftClosedV1(**{**fields, **close}))
    return shift_id


def _shifts(shop: Store) -> list[Shift]:
    with shop.session() as session:
        return list(session.scalars(select(Shift)))


def test_an_opened_and_closed_shift_is_kept_with_its_z_report(shop: Store) -> None:
    shift_id = _shift(shop.one)

    results = shop.one.push(now=CLOSED)

    assert [(r.status, r.code) for r in results] == [("applied", None), ("applied", None)]
    (shift,) = _shifts(shop)
    assert (shift.id, shift.till_id, shift.number) == (shift_id, shop.one.till_id, 1)
    assert (shift.opened_at, shift.closed_at, shift.float_minor) == (OPENED, CLOSED, FLOAT)
    assert (shift.expected_minor, shift.counted_minor) == (EXPECTED, EXPECTED - 5_000)
    assert shift.totals is not None and shift.totals["cash_in"] == 840_000


def test_a_z_report_whose_expected_cash_does_not_add_up_is_rejected(shop: Store) -> None:
    _shift(shop.one, expected_cash=EXPECTED + 5_000)  # as if the short 50,00 were hidden

    results = shop.one.push(now=CLOSED)

    assert [(r.status, r.code) for r in results] == [
        ("applied", None),
        ("rejected", "shift.mismatch"),
    ]
    assert results[1].message == (
        f"The shift's report does not add up: {EXPECTED + 5_000} expected in the drawer, "
        f"{EXPECTED} by the totals."
    )
    (shift,) = _shifts(shop)
    assert shift.closed_at is None  # the opening stands; the close is listed for a manager


def test_sales_whose_total_is_not_their_cash_and_card_are_rejected(shop: Store) -> None:
    wrong = ShiftTotalsV1.of(TOTALS).model_copy(update={"sales_total": 2_300_000})
    _shift(shop.one, totals=wrong)

    results = shop.one.push(now=CLOSED)

    assert results[1].code == "shift.mismatch"
    assert results[1].message == (
        "The shift's report does not add up: the sales' total is not their cash and card."
    )


def test_a_negative_count_is_malformed_and_names_the_field(shop: Store) -> None:
    _shift(shop.one, counted_cash=0)
    shop.one.outbox[1]["payload"]["counted_cash"] = -1

    results = shop.one.push(now=CLOSED)

    assert (results[1].status, results[1].code) == ("rejected", "event.invalid")
    assert results[1].message is not None and "counted_cash" in results[1].message


def test_a_close_whose_opening_never_arrived_keeps_the_whole_shift(shop: Store) -> None:
    """The opening was refused or lost: the Z report alone says everything about the shift."""
    shift_id = _shift(shop.one)
    opening = shop.one.outbox.pop(0)
    assert opening["kind"] == "shift.opened"
    staff = opening["payload"]["staff_id"]

    (result,) = shop.one.push(now=CLOSED)

    assert (result.status, result.code) == ("applied", None)
    (shift,) = _shifts(shop)
    with shop.session() as session:
        store_id = session.scalars(
            select(TillRow.store_id).where(TillRow.id == shop.one.till_id)
        ).one()
    assert (shift.id, shift.store_id, shift.till_id, shift.number) == (
        shift_id,
        store_id,
        shop.one.till_id,
        1,
    )
    assert (shift.opened_by, shift.opened_at, shift.float_minor) == (staff, OPENED, FLOAT)
    assert (shift.closed_by, shift.closed_at) == (staff, CLOSED)


@pytest.mark.parametrize("kind", ["shift.opened", "shift.closed"])
def test_a_shift_id_that_is_not_a_uuid_is_refused_by_its_name(shop: Store, kind: str) -> None:
    _shift(shop.one)
    event = next(e for e in shop.one.outbox if e["kind"] == kind)
    event["payload"]["shift_id"] = "shift-1"
    shop.one.outbox = [event]

    (result,) = shop.one.push(now=CLOSED)

    assert (result.status, result.code) == ("rejected", "event.invalid")
    assert result.message == "shift_id 'shift-1' is not a UUID."
    assert _shifts(shop) == []
