"""How a return's money went back, as the server takes it from a till: checked with the same
rule the till refunded by (the bank card first, up to what it paid, then cash), kept with
the return; a till of an earlier release (``sale.returned`` v1) is still taken.

The sale: an anonymous check of two bags of coffee beans, 1 000,00 (500,00 each): 600,00 on
the bank card, 400,00 in cash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.giftcards import GiftCard, hash_pin, load_entry
from loyalty_core.ids import new_id
from loyalty_core.payment import Tender, TenderKind
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules, default_rules
from sync_server.services.setup import add_gift_card, load_gift_card
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PUSHED_AT = T0 + timedelta(hours=8)
CASH, CARD = TenderKind.CASH, TenderKind.CARD
SPLIT = [Tender(CARD, 60_000, 60_000), Tender(CASH, 40_000, 40_000)]


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _sold(shop: Store) -> tuple[str, PricedReceipt]:
    sale_id, receipt, _ = shop.one.sell(None, 100_000, at=T0, quantity_milli=2_000, tenders=SPLIT)
    return sale_id, receipt


def test_two_returns_go_back_to_the_card_first_and_are_kept_with_each_return(
    shop: Store,
) -> None:
    sale_id, receipt = _sold(shop)
    shop.one.give_back(
        sale_id, receipt, 1, at=T0 + timedelta(hours=1), refunds=[Tender(CARD, 50_000, 50_000)]
    )
    shop.one.give_back(
        sale_id,
        receipt,
        1,
        at=T0 + timedelta(hours=2),
        already=1,
        refunds=[Tender(CARD, 10_000, 10_000), Tender(CASH, 40_000, 40_000)],
    )

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied", "applied"]

    assert [r.refunds for r in shop.returns()] == [
        [{"kind": "card", "amount": 50_000, "tendered": 50_000}],
        [
            {"kind": "card", "amount": 10_000, "tendered": 10_000},
            {"kind": "cash", "amount": 40_000, "tendered": 40_000},
        ],
    ]


def test_cash_given_back_for_what_the_card_paid_is_rejected_and_nothing_is_recorded(
    shop: Store,
) -> None:
    sale_id, receipt = _sold(shop)
    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied"]
    shop.one.outbox = []
    entries = shop.entry_count()
    shop.one.give_back(sale_id, receipt, 1, at=T0, refunds=[Tender(CASH, 50_000, 50_000)])

    (result,) = shop.one.push(now=PUSHED_AT)

    assert (result.status, result.code) == ("rejected", "payment.refund_mismatch")
    assert result.message == (
        "The refund does not go back the way the sale was paid: cash 50000 given, card 50000 due."
    )
    assert shop.returns() == [] and shop.entry_count() == entries


def test_a_refund_of_less_than_the_lines_give_back_is_rejected(shop: Store) -> None:
    sale_id, receipt = _sold(shop)
    shop.one.give_back(sale_id, receipt, 1, at=T0, refunds=[Tender(CARD, 40_000, 40_000)])

    results = shop.one.push(now=PUSHED_AT)

    assert [(r.status, r.code) for r in results] == [
        ("applied", None),
        ("rejected", "payment.refund_mismatch"),
    ]
    assert shop.returns() == []


def test_a_return_from_a_till_that_did_not_send_refunds_is_taken_without_them(
    shop: Store,
) -> None:
    sale_id, receipt = _sold(shop)
    shop.one.give_back(sale_id, receipt, 1, at=T0)  # v1

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied"]
    assert [r.refunds for r in shop.returns()] == [None]


def test_a_sale_without_tenders_is_refunded_in_cash(shop: Store) -> None:
    sale_id, receipt, _ = shop.one.sell(None, 100_000, at=T0, quantity_milli=2_000)  # v1
    shop.one.give_back(sale_id, receipt, 1, at=T0, refunds=[Tender(CASH, 50_000, 50_000)])

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied"]


GIFT = GiftCard(new_id(), "7000111122224444", hash_pin("1234"), T0 + timedelta(days=365))


def test_what_went_back_to_a_gift_card_is_not_money_the_card_or_cash_must_return(
    shop: Store,
) -> None:
    # 1 000,00 for two bags: 300,00 from a gift card, the 700,00 left by bank card. One bag
    # back gives 500,00, of which the gift card's share is 150,00: 350,00 to the bank card.
    add_gift_card(GIFT, shop.server.uow(), now=T0)
    load_id = new_id()
    load_gift_card(GIFT, 30_000, load_id, RULES.version, shop.server.uow(), now=T0)
    shop.one.ledger.append(
        load_entry(GIFT, entry_id=load_id, amount=30_000, now=T0, till_id="server", rules_version=1)
    )
    sale_id, receipt, _ = shop.one.sell(
        None,
        100_000,
        at=T0,
        quantity_milli=2_000,
        gift_card=GIFT,
        tenders=[Tender(CARD, 70_000, 70_000)],
    )
    _, back, _ = shop.one.give_back(
        sale_id, receipt, 1, at=T0, refunds=[Tender(CARD, 35_000, 35_000)]
    )
    assert (back.refund, back.gift_card_total) == (50_000, 15_000)

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied"]


def test_a_return_from_an_earlier_release_then_one_from_this_one_both_count_right(
    shop: Store,
) -> None:
    # The first bag went back from a till that kept no refunds (v1); the card had nothing
    # back that the server knows of, so the second bag's 500,00 goes to the card.
    sale_id, receipt = _sold(shop)
    shop.one.give_back(sale_id, receipt, 1, at=T0)  # v1
    shop.one.give_back(
        sale_id, receipt, 1, at=T0, already=1, refunds=[Tender(CARD, 50_000, 50_000)]
    )

    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied", "applied"]
    assert [r.refunds for r in shop.returns()][1] == [
        {"kind": "card", "amount": 50_000, "tendered": 50_000}
    ]
