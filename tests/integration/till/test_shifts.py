"""A shift at the till: opened with a float, its X report adding up the sales and returns
rung up in it, closed with the cash counted (the Z report), each written with its event;
no sale or return without an open shift.

The demo store opens shift No. 1 with 5 000,00 when it is seeded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loyalty_core.customers import Questionnaire
from loyalty_core.errors import DomainError
from loyalty_core.rules import CurrencySettings
from loyalty_core.staff import Role
from loyalty_core.wire.events import ShiftClosedV1, ShiftOpenedV1, parse_payload
from pos_client.bootstrap import Till
from pos_client.records import PrintKind
from pos_client.services.demo_store import DEMO_FLOAT, demo_phone
from pos_client.services.enrollment import STORE_NAME_KEY
from pos_client.services.facade import TillServices
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    RegisterCustomer,
    ReturnRequest,
)
from tests.integration.till.test_print_queue import _open

KETTLE = CartItem("k", "Чайник", unit_price=200_000)
MUG = CartItem("m", "Кружка", unit_price=50_000)


@pytest.fixture
def printing_till(seeded_store: Path, tmp_path: Path) -> Iterator[Till]:
    till = _open(seeded_store, tmp_path)
    yield till
    till.close()


def _staff(sv: TillServices, role: Role = Role.CASHIER) -> str:
    return next(s.id for s in sv.staff_list() if s.role is role)


def _day(sv: TillServices) -> None:
    """A kettle and a mug, 600,00 of it on the card and 1 900,00 in cash (a 2 000 note);
    the mug back (to the card); a customer with a full questionnaire, one without."""
    staff = _staff(sv)
    sale = sv.checkout(
        CheckoutRequest((KETTLE, MUG), staff, card_amount=60_000, cash_tendered=200_000)
    )
    sv.return_items(ReturnRequest(sale.number, {MUG.line_id: 1_000}, staff))
    full = Questionnaire("Вера", date(1990, 5, 1), "vera@example.com")
    sv.register_customer(RegisterCustomer("+7 912 555-44-33", True, staff, full))
    sv.register_customer(RegisterCustomer("+7 912 555-44-34", True, staff))


def test_the_x_report_adds_up_the_shifts_sales_returns_and_registrations(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    _day(sv)
    report = sv.shift_report()
    assert report is not None and (report.number, report.float_cash) == (1, DEMO_FLOAT)
    t = report.totals
    assert (t.sales, t.cash_in, t.card_in, t.sales_total) == (1, 190_000, 60_000, 250_000)
    assert (t.returns, t.cash_out, t.card_out, t.returns_total) == (1, 0, 50_000, 50_000)
    assert (t.cards_registered, t.questionnaires) == (2, 1)
    assert (t.bonus_accrued, t.bonus_redeemed) == (0, 0)  # nobody identified at the sale
    assert report.expected == DEMO_FLOAT + 190_000 and report.counted is None
    assert not report.closing


def test_closing_keeps_the_z_report_sends_it_and_stops_sales_until_the_next_shift(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    _day(sv)
    staff, senior = _staff(sv), _staff(sv, Role.SENIOR)
    with pytest.raises(DomainError) as refused:  # a cashier does not close the day
        sv.close_shift(staff, DEMO_FLOAT + 190_000)
    assert refused.value.code == "shift.close_not_allowed"
    assert sv.shift_report() is not None
    z = sv.close_shift(senior, DEMO_FLOAT + 190_000 - 500)  # 5,00 short
    assert z.closing and (z.expected, z.counted, z.difference) == (690_000, 689_500, -500)
    assert (z.totals.cards_registered, z.totals.questionnaires) == (2, 1)  # joined here today
    assert sv.shift_report() is None
    with sv.uows.reading() as uow:
        (opened, closed) = uow.outbox.for_aggregate(z.shift_id)
        kept = uow.shifts.get(z.shift_id)
    assert kept is not None  # the shift's row: who closed it, when, with how much counted
    assert (kept.closed_by, kept.closed_at, kept.counted_cash) == (senior, z.at, 689_500)
    assert (opened.kind, closed.kind) == ("shift.opened", "shift.closed")
    event = parse_payload(closed.kind, closed.payload)
    assert isinstance(event, ShiftClosedV1)
    assert event.totals.to_totals() == z.totals
    assert (event.expected_cash, event.counted_cash, event.staff_id) == (690_000, 689_500, senior)

    for refused in (
        lambda: sv.checkout(CheckoutRequest((MUG,), staff)),
        lambda: sv.return_items(ReturnRequest(1, {KETTLE.line_id: 1_000}, staff)),
        lambda: sv.close_shift(senior, 0),
    ):
        with pytest.raises(DomainError) as no_shift:
            refused()
        assert no_shift.value.code == "shift.not_open"

    second = sv.open_shift(staff, 300_000)
    assert (second.number, second.float_cash, second.totals.sales) == (2, 300_000, 0)
    with sv.uows.reading() as uow:  # the report is the shift as stored and sent
        current = uow.shifts.current()
        (opened,) = uow.outbox.for_aggregate(second.shift_id)
    assert current is not None and current.id == second.shift_id
    assert (second.opened_by, second.opened_at) == (staff, current.opened_at)
    assert second.at == second.opened_at > z.at  # taken as it opened, after yesterday's close
    sent = parse_payload(opened.kind, opened.payload)
    assert isinstance(sent, ShiftOpenedV1)
    assert (sent.shift_id, sent.staff_id, sent.opened_at, sent.float_cash) == (
        second.shift_id,
        staff,
        second.opened_at,
        300_000,
    )
    with pytest.raises(DomainError) as twice:
        sv.open_shift(staff, 0)
    assert (twice.value.code, twice.value.params) == ("shift.already_open", {"number": 2})
    sv.checkout(CheckoutRequest((MUG,), staff))
    report = sv.shift_report()
    assert report is not None and (report.totals.sales, report.totals.cash_in) == (1, 50_000)
    assert report.totals.cards_registered == 0  # yesterday's registrations were shift 1's


def test_a_negative_float_or_count_is_refused_and_changes_nothing(seeded_till: Till) -> None:
    sv = seeded_till.services
    staff, manager = _staff(sv), _staff(sv, Role.MANAGER)
    with pytest.raises(DomainError) as refused:
        sv.close_shift(manager, -1)
    assert refused.value.code == "shift.negative_cash"
    assert sv.shift_report() is not None  # still open
    sv.close_shift(manager, DEMO_FLOAT)
    with pytest.raises(DomainError) as refused:
        sv.open_shift(staff, -100)
    assert refused.value.code == "shift.negative_cash"
    assert sv.shift_report() is None


def test_the_z_report_prints_at_the_close_and_the_x_report_when_asked(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    sv.identify(demo_phone(0))
    sv.print_shift_report()
    x = sv.next_to_print()
    assert x is not None and x.report is not None and not x.report.closing
    assert x.report.number == 1 and x.cashier == sv.staff_list()[0].name
    sv.printed(x.job.id)
    z = sv.close_shift(_staff(sv, Role.SENIOR), DEMO_FLOAT)
    printed = sv.next_to_print()
    assert printed is not None and printed.report == z  # read back as it was taken
    assert not printed.open_drawer
    with pytest.raises(DomainError) as refused:
        sv.print_shift_report()
    assert refused.value.code == "shift.not_open"


def test_a_till_without_a_printer_says_so_when_asked_to_print_the_x_report(
    seeded_till: Till,
) -> None:
    with pytest.raises(DomainError) as refused:
        seeded_till.services.print_shift_report()
    assert refused.value.code == "print.no_printer"


def test_the_printed_x_report_has_the_stores_name_the_programs_currency_and_this_tills_day(
    printing_till: Till,
) -> None:
    """A mug sold for 500,00 in cash and a customer registered at this till, then the X report
    asked for, with the store's name set and a program in tenge in Vladivostok in force."""
    sv = printing_till.services
    with sv.uows.writing() as uow:
        uow.state.set(STORE_NAME_KEY, "Кофейня на Арбате")
        rules = sv.rules()
        later = rules.model_copy(
            update={
                "version": rules.version + 1,
                "timezone": "Asia/Vladivostok",
                "currency": CurrencySettings(code="KZT", exponent=2, symbol="₸"),
            }
        )
        now = sv.ctx.clock()
        uow.rules.save(later, received_at=now, effective_at=now)
        uow.commit()
    cashier = _staff(sv)
    sv.checkout(CheckoutRequest((MUG,), cashier, cash_tendered=50_000))
    sv.register_customer(RegisterCustomer("+7 912 555-44-35", True, cashier))
    sv.print_shift_report()
    kinds = []
    while (item := sv.next_to_print()) is not None and item.report is None:
        kinds.append(item.job.kind)  # the sale's receipt, the new customer's card
        sv.printed(item.job.id)
    assert kinds == [PrintKind.RECEIPT, PrintKind.CARD]
    assert item is not None and item.report is not None and not item.report.closing
    t = item.report.totals
    assert (t.sales, t.cash_in, t.card_in, t.sales_total) == (1, 50_000, 0, 50_000)
    assert t.cards_registered == 1  # registered at this till in this shift
    assert item.report.expected == DEMO_FLOAT + 50_000
    assert item.store_name == "Кофейня на Арбате"
    assert (item.currency.code, item.currency.symbol) == ("KZT", "₸")
    assert item.zone == ZoneInfo("Asia/Vladivostok")
    # The demo's shift was opened by the cashier, Анна: she is named on the report.
    assert item.cashier == next(s.name for s in sv.staff_list() if s.id == cashier)


def test_an_x_report_of_a_shift_opened_by_someone_no_longer_here_prints_without_a_name(
    printing_till: Till,
) -> None:
    sv = printing_till.services
    z = sv.close_shift(_staff(sv, Role.SENIOR), DEMO_FLOAT)
    closed = sv.next_to_print()
    assert closed is not None and closed.report == z
    sv.printed(closed.job.id)
    # A shift opened under a staff id this till does not hold (a colleague removed since).
    gone = "00000000-0000-0000-0000-0000000000aa"
    sv.open_shift(gone, 100_000)
    sv.print_shift_report()
    item = sv.next_to_print()
    assert item is not None and item.report is not None
    assert (item.report.number, item.report.opened_by, item.report.float_cash) == (
        2,
        gone,
        100_000,
    )
    assert item.cashier == ""
