"""How a sale was paid, as the server takes it from a till: tenders checked against the
receipt's total with the same rules the till settled them by, kept with the sale; a till of
an earlier release (``sale.completed`` v1, no tenders) is still taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from loyalty_core.ids import new_id
from loyalty_core.payment import Tender, TenderKind
from loyalty_core.rules import LoyaltyRules, default_rules
from sync_server.adapters.models import Sale
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PUSHED_AT = T0 + timedelta(hours=8)
CASH, CARD = TenderKind.CASH, TenderKind.CARD


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _sale_count(shop: Store) -> int:
    with shop.session() as session:
        return session.scalar(select(func.count()).select_from(Sale)) or 0


def test_a_split_payment_with_change_is_kept_with_the_sale(shop: Store) -> None:
    # An anonymous 1 000,00 check: 700,00 by card, 300,00 due in cash, 500,00 handed over.
    tenders = [Tender(CARD, 70_000, 70_000), Tender(CASH, 30_000, 50_000)]
    sale_id, receipt, _ = shop.one.sell(None, 100_000, at=T0, tenders=tenders)
    assert receipt.to_pay == 100_000

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied"]

    assert shop.sale(sale_id).tenders == [
        {"kind": "card", "amount": 70_000, "tendered": 70_000},
        {"kind": "cash", "amount": 30_000, "tendered": 50_000},
    ]


def test_a_sale_from_a_till_that_did_not_send_tenders_is_taken_without_them(shop: Store) -> None:
    sale_id, _, _ = shop.one.sell(None, 100_000, at=T0)  # v1: no tenders
    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied"]
    assert shop.sale(sale_id).tenders is None


@pytest.mark.parametrize(
    ("tenders", "problem"),
    [
        ([Tender(CASH, 90_000, 100_000)], "the tenders pay 90000, 100000 is due"),
        ([Tender(CARD, 100_000, 120_000)], "a card gave change"),
        (
            [Tender(CASH, 50_000, 50_000), Tender(CASH, 50_000, 50_000)],
            "a kind of tender appears twice",
        ),
    ],
)
def test_tenders_that_do_not_settle_the_check_are_rejected_and_nothing_is_recorded(
    shop: Store, tenders: list[Tender], problem: str
) -> None:
    shop.one.sell(None, 100_000, at=T0, tenders=tenders)
    entries = shop.entry_count()

    (result,) = shop.one.push(now=PUSHED_AT)

    assert (result.status, result.code) == ("rejected", "payment.mismatch")
    assert result.message == f"The payment does not settle the check: {problem}."
    assert _sale_count(shop) == 0
    assert shop.entry_count() == entries


def test_a_tender_of_nothing_is_refused_as_malformed_naming_the_field(shop: Store) -> None:
    _, _, good = shop.one.sell(None, 100_000, at=T0, tenders=[Tender(CASH, 100_000, 100_000)])
    shop.one.outbox = []
    zero: dict[str, Any] = {"kind": "card", "amount": 0, "tendered": 0}
    bad = {**good, "event_id": new_id(), "payload": {**good["payload"], "tenders": [zero]}}

    (result,) = shop.one.push(bad, now=PUSHED_AT)

    assert (result.status, result.code) == ("rejected", "event.invalid")
    assert result.message is not None and "tenders.0.amount" in result.message
    assert _sale_count(shop) == 0
