"""Customers' ratings as the server takes them: kept with the receipt and the cashier, one
per receipt whichever till or channel sends it first; the later one is refused and listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.events import VoteRecordedV1
from sync_server.adapters.models import Vote
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, Till, statuses, two_tills

RULES: LoyaltyRules = default_rules()
SOLD = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
RATED = SOLD + timedelta(minutes=1)


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _vote(till: Till, sale_id: str, score: int, changes: dict[str, object] | None = None) -> None:
    vote = VoteRecordedV1(
        vote_id=new_id(),
        sale_id=sale_id,
        till_id=till.till_id,
        staff_id=new_id(),
        score=score,
        reasons=["polite"],
        channel="display",
        at=RATED,
    )
    till.event("vote.recorded", vote.vote_id, RATED, vote)
    till.outbox[-1]["payload"].update(changes or {})


def _votes(shop: Store) -> list[Vote]:
    with shop.session() as session:
        return list(session.scalars(select(Vote)))


def test_a_vote_is_kept_with_its_receipt_and_a_second_for_the_receipt_is_refused(
    shop: Store,
) -> None:
    sale_id, _, _ = shop.one.sell(None, 10_000, at=SOLD)
    _vote(shop.one, sale_id, 5)
    assert statuses(shop.one.push(now=RATED)) == ["applied", "applied"]
    shop.one.outbox = []

    _vote(shop.one, sale_id, 1)  # the same receipt again (another channel, say)
    (result,) = shop.one.push(now=RATED)

    assert (result.status, result.code) == ("rejected", "survey.already_voted")
    assert result.message == "Receipt No. 1 has already been rated."
    (kept,) = _votes(shop)
    assert (kept.sale_id, kept.score, kept.reasons, kept.channel) == (
        sale_id,
        5,
        ["polite"],
        "display",
    )


def test_a_vote_for_a_receipt_the_server_does_not_have_is_refused(shop: Store) -> None:
    _vote(shop.one, new_id(), 4)
    (result,) = shop.one.push(now=RATED)
    assert (result.status, result.code) == ("rejected", "sale.unknown")
    assert _votes(shop) == []


def test_a_score_out_of_bounds_is_malformed_and_names_the_field(shop: Store) -> None:
    sale_id, _, _ = shop.one.sell(None, 10_000, at=SOLD)
    _vote(shop.one, sale_id, 5, {"score": 6})
    results = shop.one.push(now=RATED)
    assert (results[1].status, results[1].code) == ("rejected", "event.invalid")
    assert results[1].message is not None and "score" in results[1].message


@pytest.mark.parametrize("field", ["vote_id", "sale_id"])
def test_an_id_that_is_not_a_uuid_is_refused_by_its_name(shop: Store, field: str) -> None:
    sale_id, _, _ = shop.one.sell(None, 10_000, at=SOLD)
    shop.one.push(now=RATED)
    shop.one.outbox = []
    _vote(shop.one, sale_id, 4, {field: "vote-1"})

    (result,) = shop.one.push(now=RATED)

    assert (result.status, result.code) == ("rejected", "event.invalid")
    assert result.message == f"{field} 'vote-1' is not a UUID."
    assert _votes(shop) == []


def test_a_vote_for_a_sale_the_server_lacks_names_the_sale(shop: Store) -> None:
    missing = new_id()
    _vote(shop.one, missing, 4)

    (result,) = shop.one.push(now=RATED)

    assert (result.status, result.code) == ("rejected", "sale.unknown")
    assert result.message == (
        f"The server knows no sale {missing}; push the sale before its return."
    )
