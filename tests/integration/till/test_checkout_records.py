"""What a checkout leaves in the till's SQLite file: the sale, its lines, its ledger entries and
the ``sale.completed`` event the server will re-validate the sale from.

Read back with plain SQL on the file or through the repositories, never from the result the
service returned alone.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

import pytest

from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.receipt_wire import receipt_from_wire
from loyalty_core.rules import PromoCode, PromoKind, default_rules
from pos_client.bootstrap import Till
from pos_client.services.checkout import CustomerGoneError, PriceChangedError
from pos_client.services.demo_store import demo_card, demo_phone
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale

MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=2_000)
# Weighed: 0.350 kg at 259.90 ₽/kg = 90.965 ₽, rounded half up to 90.97 ₽.
CHEESE = CartItem("2000000000001", "Сыр весовой", unit_price=25_990, quantity_milli=350)

LINE_COLUMNS = (
    "line_no, sku, name, quantity_milli, unit_price, amount, discount, bonus_redeemed, paid,"
    " accrued"
)


def _rows(seeded_till: Till, sql: str, *args: object) -> list[dict[str, Any]]:
    conn = sqlite3.connect(seeded_till.settings.resolved_database_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, args)]
    finally:
        conn.close()


def _lines(seeded_till: Till, sale_id: str) -> list[dict[str, Any]]:
    return _rows(
        seeded_till,
        f"SELECT {LINE_COLUMNS} FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
        sale_id,
    )


def _event(seeded_till: Till, sale_id: str) -> tuple[str, dict[str, Any]]:
    with seeded_till.services.uows.reading() as uow:
        events = uow.outbox.for_aggregate(sale_id)
    assert len(events) == 1
    return events[0].kind, events[0].payload


def _pay(seeded_till: Till, *items: CartItem, **kwargs: Any) -> CompletedSale:
    staff = seeded_till.services.staff_list()[0]
    return seeded_till.services.checkout(CheckoutRequest(items, staff.id, **kwargs))


def test_each_sale_line_keeps_its_unit_price_quantity_and_amount(seeded_till: Till) -> None:
    sale = _pay(seeded_till, MILK, CHEESE)  # anonymous: no discount, no bonus
    assert _lines(seeded_till, sale.sale_id) == [
        # 2 x 89.90 ₽ = 179.80 ₽
        {"line_no": 1, "sku": MILK.sku, "name": MILK.name, "quantity_milli": 2_000,
         "unit_price": 8_990, "amount": 17_980, "discount": 0, "bonus_redeemed": 0,
         "paid": 17_980, "accrued": 0},
        {"line_no": 2, "sku": CHEESE.sku, "name": CHEESE.name, "quantity_milli": 350,
         "unit_price": 25_990, "amount": 9_097, "discount": 0, "bonus_redeemed": 0,
         "paid": 9_097, "accrued": 0},
    ]  # fmt: skip
    (row,) = _rows(seeded_till, "SELECT * FROM sales WHERE id = ?", sale.sale_id)
    assert (row["kind"], row["number"], row["subtotal"], row["total_due"]) == (
        "sale",
        1,
        27_077,  # 179.80 + 90.97
        27_077,
    )
    assert (row["customer_id"], row["card_number"], row["bonus_accrued"]) == (None, None, 0)


def test_a_customer_sale_stores_who_sold_to_whom_and_each_lines_bonus(seeded_till: Till) -> None:
    sv = seeded_till.services
    card = demo_card(sv.ctx.card_codec, 0)
    customer = sv.identify(card)  # demo customer 0 (gold, with a balance)
    staff = sv.staff_list()[1]
    sale = sv.checkout(
        CheckoutRequest(
            (MILK, CHEESE),
            staff.id,
            customer_id=customer.customer.id,
            card_number=card,
            redeem="max",
        )
    )
    receipt = sale.receipt
    assert receipt.redeemed > 0 and receipt.discount_total > 0 and receipt.earned > 0
    (row,) = _rows(seeded_till, "SELECT * FROM sales WHERE id = ?", sale.sale_id)
    assert (row["till_id"], row["staff_id"], row["customer_id"], row["card_number"]) == (
        sv.ctx.till_id,
        staff.id,
        customer.customer.id,
        card,
    )
    assert (row["subtotal"], row["discount_total"], row["bonus_redeemed"]) == (
        27_077,
        receipt.discount_total,
        receipt.redeemed,
    )
    assert (row["total_due"], row["bonus_accrued"], row["rules_version"]) == (
        receipt.due,
        receipt.earned,
        receipt.rules_version,
    )
    stored = _lines(seeded_till, sale.sale_id)
    assert [(r["unit_price"], r["amount"]) for r in stored] == [(8_990, 17_980), (25_990, 9_097)]
    for r, line in zip(stored, receipt.lines, strict=True):
        assert r["discount"] == line.tier_discount + line.promo_discount > 0
        assert (r["bonus_redeemed"], r["paid"]) == (line.redeemed, line.due)
        assert r["accrued"] == line.accrual + line.boost
        assert r["amount"] - r["discount"] - r["bonus_redeemed"] == r["paid"]


def test_the_sale_event_carries_exactly_the_ledger_entries_written(seeded_till: Till) -> None:
    """The server re-validates the sale from this payload: every entry, every field."""
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0))
    sale = _pay(seeded_till, MILK, CHEESE, customer_id=customer.customer.id, redeem="max")
    with sv.uows.reading() as uow:
        written = sorted(uow.ledger.of_sale(sale.sale_id), key=lambda e: e.id)
    assert {e.kind for e in written} >= {EntryKind.PURCHASE, EntryKind.REDEMPTION}
    _kind, payload = _event(seeded_till, sale.sale_id)
    sent = sorted((LedgerEntry.from_wire(e) for e in payload["entries"]), key=lambda e: e.id)
    assert sent == written  # dataclass equality: id, kind, points, amount, lots, times...


def test_the_sale_event_names_the_sale_its_till_staff_customer_and_request(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    card = demo_card(sv.ctx.card_codec, 0)
    customer = sv.identify(card)
    staff = sv.staff_list()[0]
    sale = _pay(
        seeded_till,
        MILK,
        customer_id=customer.customer.id,
        card_number=card,
        redeem=5_000,
        promo_codes=("welcome10",),
    )
    kind, payload = _event(seeded_till, sale.sale_id)
    assert kind == "sale.completed"
    assert payload["v"] == 2
    assert payload["tenders"] == [
        {"kind": "cash", "amount": sale.receipt.to_pay, "tendered": sale.receipt.to_pay}
    ]
    assert (payload["sale_id"], payload["number"], payload["till_id"]) == (
        sale.sale_id,
        sale.number,
        sv.ctx.till_id,
    )
    assert (payload["staff_id"], payload["customer_id"], payload["card_number"]) == (
        staff.id,
        customer.customer.id,
        card,
    )
    assert datetime.fromisoformat(payload["created_at"]) == sale.created_at
    assert payload["request"] == {"redeem": 5_000, "promo_codes": ["welcome10"]}
    assert receipt_from_wire(payload["receipt"]) == sale.receipt
    with sv.uows.reading() as uow:
        stored = uow.sales.get(sale.sale_id)
    assert stored is not None and stored.receipt == sale.receipt


def _save_rules_with_a_single_use_promo(seeded_till: Till) -> None:
    rules = default_rules()
    single_use = PromoCode(code="ONCE100", kind=PromoKind.FIXED, value=10_000, max_uses=1)
    newer = rules.model_copy(
        # Parsed rules are cached per version for the whole process: a version no other
        # test saves.
        update={"version": 901, "promos": (*rules.promos, single_use)}
    )
    with seeded_till.services.uows.writing() as uow:
        uow.rules.save(newer, seeded_till.services.ctx.clock())
        uow.commit()


def test_a_single_use_promo_used_once_is_refused_the_second_time_for_another_customer(
    seeded_till: Till,
) -> None:
    _save_rules_with_a_single_use_promo(seeded_till)
    sv = seeded_till.services
    first, second = sv.identify(demo_phone(1)), sv.identify(demo_phone(2))  # bronze, no bonus
    used = _pay(seeded_till, MILK, customer_id=first.customer.id, promo_codes=("once100",))
    assert used.receipt.promos == ("ONCE100",)
    assert used.receipt.discount_total == 10_000  # 100 ₽ off 179.80 ₽
    assert used.receipt.to_pay == 7_980

    ask = CheckoutRequest((MILK,), "x", customer_id=second.customer.id, promo_codes=("ONCE100",))
    quoted = sv.quote(ask)
    refused = _pay(seeded_till, MILK, customer_id=second.customer.id, promo_codes=("ONCE100",))
    for receipt in (quoted, refused.receipt):
        assert receipt.promos == ()
        assert receipt.discount_total == 0 and receipt.to_pay == 17_980
        assert "promo.used_up" in [n.code for n in receipt.notes]
    with sv.uows.reading() as uow:
        assert uow.ledger.promo_uses(["ONCE100"]) == {"ONCE100": 1}


def test_paying_exactly_the_total_shown_commits(seeded_till: Till) -> None:
    sale = _pay(seeded_till, MILK, CHEESE, expected_to_pay=27_077)
    assert sale.receipt.to_pay == 27_077
    with seeded_till.services.uows.reading() as uow:
        assert uow.sales.count() == 1


@pytest.mark.parametrize("shown", [27_076, 27_078])
def test_a_total_one_kopeck_off_what_was_shown_is_refused_naming_the_real_total(
    seeded_till: Till, shown: int
) -> None:
    with pytest.raises(PriceChangedError) as refused:
        _pay(seeded_till, MILK, CHEESE, expected_to_pay=shown)
    assert refused.value.params["total"] == 27_077
    assert "27077" in refused.value.message
    with seeded_till.services.uows.reading() as uow:
        assert uow.sales.count() == 0 and uow.outbox.queued() == 1  # the shift's opening


def test_a_customer_this_till_does_not_know_is_refused_and_nothing_is_written(
    seeded_till: Till,
) -> None:
    with pytest.raises(CustomerGoneError):
        _pay(seeded_till, MILK, customer_id="01900000-0000-7000-8000-000000000000")
    assert _rows(seeded_till, "SELECT count(*) AS n FROM sales") == [{"n": 0}]
    assert _rows(seeded_till, "SELECT count(*) AS n FROM outbox WHERE kind LIKE 'sale.%'") == [
        {"n": 0}
    ]


def test_an_anonymous_sale_spends_no_bonus_even_when_asked_for_all(seeded_till: Till) -> None:
    sale = _pay(seeded_till, MILK, redeem="max")
    assert (sale.receipt.redeemed, sale.receipt.to_pay) == (0, 17_980)
    assert sale.balance_after is None
    with seeded_till.services.uows.reading() as uow:
        assert uow.ledger.of_sale(sale.sale_id) == []


def test_a_customer_sale_reports_the_balance_after_it(seeded_till: Till) -> None:
    sv = seeded_till.services
    customer = sv.identify(demo_phone(0))
    available = customer.balance.available
    sale = _pay(seeded_till, MILK, customer_id=customer.customer.id, redeem=1_000)
    assert sale.balance_after is not None
    assert sale.balance_after.available == available - 1_000  # the accrual is still pending
    assert sv.identify(demo_phone(0)).balance.available == available - 1_000
