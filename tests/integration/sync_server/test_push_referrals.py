"""A referred customer's first purchase, as the server takes it: the sale grants the referral
bonus to the customer who referred them too, and the server keeps it under that customer
(it once refused the sale as "an entry of another customer")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.rules import LoyaltyRules, default_rules
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, statuses, two_tills

RULES: LoyaltyRules = default_rules()  # referral: 300.00 to each, pending like the accrual
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PUSHED_AT = T0 + timedelta(hours=8)


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def test_a_referred_customers_first_purchase_gives_the_referrer_their_bonus(shop: Store) -> None:
    olga, _ = shop.one.register("+79165550001", at=T0)
    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied"]
    shop.two.learn(shop.one)
    pavel, _ = shop.two.register("+79165550002", at=T0 + timedelta(hours=1), referrer=olga)
    sale_id, receipt, sale = shop.two.sell(pavel, 100_000, at=T0 + timedelta(hours=2))
    granted = {(b.customer_id, b.points) for b in receipt.bonuses}
    assert granted == {(olga, 30_000), (pavel, 30_000)}  # the till priced both

    results = shop.two.push(now=PUSHED_AT)

    assert [(r.status, r.code, r.settlements) for r in results] == [
        ("applied", None, []),
        ("applied", None, []),
    ]
    olgas = [row for row in shop.ledger(olga) if str(row.event_id) == sale["event_id"]]
    assert [row.points for row in olgas] == [30_000]  # kept under the referrer, once
    assert shop.sale(sale_id).customer_id == pavel
    pavels = [row.points for row in shop.ledger(pavel) if str(row.event_id) == sale["event_id"]]
    assert 30_000 in pavels  # the referred customer's own half


def test_a_bonus_for_someone_who_did_not_refer_the_buyer_is_still_refused(shop: Store) -> None:
    olga, _ = shop.one.register("+79165550011", at=T0)
    boris, _ = shop.one.register("+79165550012", at=T0)
    assert statuses(shop.one.push(now=PUSHED_AT)) == ["applied", "applied"]
    shop.two.learn(shop.one)
    # The till believes Boris referred Pavel; the server was told Olga did.
    pavel, registration = shop.two.register("+79165550013", at=T0, referrer=olga)
    shop.two.referrers[pavel] = boris
    _, _, sale = shop.two.sell(pavel, 100_000, at=T0 + timedelta(hours=2))

    registered, refused = shop.two.push(now=PUSHED_AT)

    assert registered.status == "applied"
    assert (refused.status, refused.code) == ("rejected", "event.customer_mismatch")
    assert refused.message is not None and boris in refused.message and pavel in refused.message
    assert [row for row in shop.ledger(boris) if str(row.event_id) == sale["event_id"]] == []
    assert registration["event_id"] != sale["event_id"]
