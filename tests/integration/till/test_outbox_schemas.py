"""Every event the till writes to its outbox is a valid payload of its kind's schema."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from loyalty_core.customers import Questionnaire
from loyalty_core.staff import Role
from loyalty_core.wire.events import EVENT_MODELS, dump, parse_payload
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card
from pos_client.services.messages import CartItem, CheckoutRequest, RegisterCustomer, ReturnRequest


def test_a_sale_a_return_a_registration_and_a_reissue_write_schema_valid_events(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    cashier = next(s for s in sv.staff_list() if s.role is Role.CASHIER)
    senior = next(s for s in sv.staff_list() if s.role is Role.SENIOR)
    card = demo_card(sv.ctx.card_codec, 0)
    who = sv.identify(card)
    coffee = CartItem("4600000000015", "Кофе", unit_price=30_000, quantity_milli=2_000)
    sale = sv.checkout(
        CheckoutRequest((coffee,), cashier.id, who.customer.id, card_number=card, redeem="max")
    )
    line_id = sale.receipt.lines[0].line_id
    sv.return_items(ReturnRequest(sale.number, {line_id: 1_000}, senior.id))
    vera = sv.register_customer(
        RegisterCustomer(
            "+7 912 555-44-33",
            True,
            cashier.id,
            Questionnaire(name="Вера", birthday=date(1990, 5, 17), email="v@example.ru"),
        )
    )
    sv.reissue_card(vera.customer.id, cashier.id)

    conn = sqlite3.connect(seeded_till.settings.resolved_database_path)
    try:
        rows = conn.execute("SELECT kind, payload FROM outbox ORDER BY seq").fetchall()
    finally:
        conn.close()
    kinds = [kind for kind, _ in rows]
    assert kinds[-4:] == ["sale.completed", "sale.returned", "customer.registered", "card.reissued"]
    for kind, text in rows:
        assert kind in EVENT_MODELS
        payload = json.loads(text)
        event = parse_payload(kind, payload)
        assert dump(event) == payload  # built through the model: nothing added or lost
