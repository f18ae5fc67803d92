"""The till's one service object as the screens call it: scanning, the status bar's queue, the
rules, staff and their PINs."""

from __future__ import annotations

import pytest

from loyalty_core.staff import Role, StaffUnknownError, WrongStaffPinError
from pos_client.bootstrap import Till
from pos_client.services.checkout import UnknownProductError
from pos_client.services.demo_store import demo_phone
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer
from pos_client.services.rules import NoRulesError
from pos_client.services.staff import create_staff


def test_a_scan_with_stray_whitespace_finds_the_product(seeded_till: Till) -> None:
    product = seeded_till.services.product("  4600000000015\n")  # a scanner's trailing newline
    assert (product.barcode, product.price) == ("4600000000015", 8_990)


def test_an_unknown_barcode_is_named_without_the_whitespace(seeded_till: Till) -> None:
    with pytest.raises(UnknownProductError) as refused:
        seeded_till.services.product(" 4600000009999\r\n")
    assert refused.value.message == "No product with barcode 4600000009999."


def test_the_queue_count_grows_with_each_fact_for_the_server(seeded_till: Till) -> None:
    sv = seeded_till.services
    assert sv.outbox_queued() == 1  # the demo's shift was opened
    staff = sv.staff_list()[0].id
    sv.checkout(CheckoutRequest((CartItem("a", "Кофе", 10_000),), staff))
    assert sv.outbox_queued() == 2
    sv.register_customer(RegisterCustomer("8 912 555-44-33", True, staff))
    assert sv.outbox_queued() == 3


def test_a_till_without_rules_says_it_must_connect_to_the_server(empty_till: Till) -> None:
    sv = empty_till.services
    with pytest.raises(NoRulesError) as refused:
        sv.rules()
    assert refused.value.message == (
        "This till has no loyalty rules yet: connect it to the server once."
    )
    with pytest.raises(NoRulesError):
        sv.quote(CheckoutRequest((CartItem("a", "Кофе", 10_000),), "x"))


def test_the_rules_are_the_newest_version_the_till_holds(seeded_till: Till) -> None:
    sv = seeded_till.services
    newer = sv.rules().model_copy(update={"version": 904, "name": "Spring program"})
    with sv.uows.writing() as uow:
        uow.rules.save(newer, sv.ctx.clock())
        uow.commit()
    assert (sv.rules().version, sv.rules().name) == (904, "Spring program")


def test_new_staff_is_stored_with_the_name_trimmed_and_can_log_in(seeded_till: Till) -> None:
    badge = create_staff(
        "  Пётр Новый \t", Role.SENIOR, "4321", seeded_till.services.uows.writing()
    )
    assert (badge.name, badge.role) == ("Пётр Новый", Role.SENIOR)
    listed = {b.id: b for b in seeded_till.services.staff_list()}
    assert listed[badge.id] == badge
    assert seeded_till.services.log_in(badge.id, "4321") == badge


def test_an_unknown_staff_member_cannot_log_in(seeded_till: Till) -> None:
    with pytest.raises(StaffUnknownError):
        seeded_till.services.log_in("01900000-0000-7000-8000-000000000000", "1111")


def test_a_right_pin_clears_the_wrong_attempts_before_it(seeded_till: Till) -> None:
    sv = seeded_till.services
    cashier = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    most = sv.ctx.lockout.max_attempts
    for _ in range(2):
        with pytest.raises(WrongStaffPinError):
            sv.log_in(cashier.id, "0000")
    assert sv.log_in(cashier.id, "1111") == cashier
    with pytest.raises(WrongStaffPinError) as refused:
        sv.log_in(cashier.id, "0000")
    assert refused.value.params["left"] == most - 1  # counting starts again


def test_a_search_finds_a_customer_by_phone_digits(seeded_till: Till) -> None:
    phone = demo_phone(7)  # +7 903 002-02-64: customers 4 to 7 share the last seven digits
    assert [c.phone for c in seeded_till.services.search_customers(phone[2:])] == [phone]
    found = {c.phone for c in seeded_till.services.search_customers(phone[-7:])}
    assert found == {demo_phone(i) for i in range(4, 8)}
