"""A push as one batch: its size limit at the exact boundary, the till's clock skew at the
exact limit (from ``sent_at`` or from events stamped ahead), and the answers for an event
repeated in the batch or rejected before, with the events after them still applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from loyalty_core.errors import DomainError
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.sync import PushRequestV1, PushResponseV1
from sync_server.services.push import push
from tests.integration.sync_server.enrollment_support import NOW
from tests.integration.sync_server.push_support import Store, Till, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
PUSHED_AT = T0 + timedelta(hours=8)
LIMIT_S = 300


@pytest.fixture
def shop(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=NOW)


def _push(
    till: Till, events: list[dict[str, Any]], *, max_events: int = 1000, **request: Any
) -> PushResponseV1:
    body = PushRequestV1.model_validate({"v": 1, "events": events, **request})
    return push(
        body,
        till.record,
        till.server.uow(),
        now=PUSHED_AT,
        max_events=max_events,
        clock_skew_limit_s=LIMIT_S,
    )


def _sales(till: Till, count: int) -> list[dict[str, Any]]:
    for n in range(count):
        till.sell(None, 10_000 + n, at=T0 + timedelta(minutes=n))
    events, till.outbox = till.outbox, []
    return events


def test_a_batch_of_exactly_the_limit_is_applied_one_more_is_refused_naming_both(
    shop: Store,
) -> None:
    events = _sales(shop.one, 4)
    with pytest.raises(DomainError) as refused:
        _push(shop.one, events, max_events=3)
    assert refused.value.code == "push.too_large"
    assert refused.value.message == (
        "A push carries at most 3 events; this one has 4. Send smaller batches."
    )
    answer = _push(shop.one, events[:3], max_events=3)
    assert statuses(answer.results) == ["applied"] * 3


@pytest.mark.parametrize(
    ("ahead_s", "flagged"), [(LIMIT_S, False), (LIMIT_S + 1, True), (-(LIMIT_S + 1), True)]
)
def test_the_clock_skew_from_sent_at_is_flagged_only_beyond_the_limit(
    shop: Store, ahead_s: int, flagged: bool
) -> None:
    answer = _push(shop.one, _sales(shop.one, 1), sent_at=PUSHED_AT + timedelta(seconds=ahead_s))
    assert (answer.clock_skew_s, answer.clock_flagged) == (ahead_s, flagged)


def test_a_till_clock_a_few_seconds_behind_is_measured_not_flagged(shop: Store) -> None:
    answer = _push(shop.one, _sales(shop.one, 1), sent_at=PUSHED_AT - timedelta(seconds=7))
    assert (answer.clock_skew_s, answer.clock_flagged) == (-7, False)


def test_without_sent_at_only_events_stamped_beyond_the_limit_ahead_show_a_skew(
    shop: Store,
) -> None:
    at_limit = shop.one.sell(None, 10_000, at=PUSHED_AT + timedelta(seconds=LIMIT_S))[2]
    answer = _push(shop.one, [at_limit])
    assert (answer.clock_skew_s, answer.clock_flagged) == (None, False)
    beyond = shop.one.sell(None, 10_000, at=PUSHED_AT + timedelta(seconds=LIMIT_S + 1))[2]
    answer = _push(shop.one, [beyond])
    assert (answer.clock_skew_s, answer.clock_flagged) == (LIMIT_S + 1, True)


def test_an_event_twice_in_a_batch_is_a_duplicate_and_the_events_after_it_still_apply(
    shop: Store,
) -> None:
    first, second = _sales(shop.one, 2)
    answer = _push(shop.one, [first, first, second])
    assert statuses(answer.results) == ["applied", "duplicate", "applied"]


def test_an_event_rejected_before_gets_its_answer_again_and_the_events_after_it_apply(
    shop: Store,
) -> None:
    bad, good = _sales(shop.one, 2)
    bad["payload"]["sale_id"] = "not-a-uuid"
    (rejected,) = _push(shop.one, [bad]).results
    answer = _push(shop.one, [bad, good])
    assert [(r.status, r.message) for r in answer.results] == [
        ("rejected", rejected.message),
        ("applied", None),
    ]
