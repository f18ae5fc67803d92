"""Bulk-loaded customers and cards are stored exactly as the repositories store them."""

from __future__ import annotations

from datetime import UTC, datetime

from loyalty_core.customers import Card, CardStatus, Customer
from pos_client.adapters.bulk_load import load_customers
from pos_client.bootstrap import Till
from pos_client.services.demo_store import demo_card


def test_times_are_stored_in_the_same_text_form_as_repository_writes(empty_till: Till) -> None:
    """SQLite compares times as text: one column must never hold two spellings of a time."""
    codec = empty_till.services.ctx.card_codec
    on_the_second = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # no microseconds
    load_customers(
        empty_till.engines.write,
        [("bulk", "+79120000001", None, None, demo_card(codec, 1))],
        on_the_second,
    )
    with empty_till.services.uows.writing() as uow:
        uow.customers.add(
            Customer("one", "+79120000002", on_the_second), staff_id=None, till_id=None
        )
        uow.customers.add_card(Card(demo_card(codec, 2), "one", CardStatus.ACTIVE, on_the_second))
        uow.commit()

    with empty_till.engines.read.connect() as conn:
        created = {t for (t,) in conn.exec_driver_sql("SELECT created_at FROM customers")}
        issued = {t for (t,) in conn.exec_driver_sql("SELECT issued_at FROM cards")}
    assert len(created) == 1, created
    assert len(issued) == 1, issued
