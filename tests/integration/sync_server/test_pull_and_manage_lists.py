"""What a till pulls (``sync_server.services.pull``): page limits, refused limits and
cursors, when its last pull is written; and the managers' lists
(``sync_server.services.manage``): which store's, which kind, how many; on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from loyalty_core.errors import DomainError
from loyalty_core.giftcards import GiftCard, hash_pin
from loyalty_core.ids import new_id
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.events import CustomerChangedV1, QuestionnaireV1
from loyalty_core.wire.sync import LEDGER_COLUMNS, PullResponseV1, PushRequestV1
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory
from sync_server.services.manage import (
    balance,
    debts,
    flagged_clocks,
    rejected_events,
    settlements,
)
from sync_server.services.pull import pull, record_pull
from sync_server.services.push import push
from sync_server.services.setup import add_gift_card, add_product, load_gift_card
from tests.integration.sync_server.push_support import Event, Store, Till, statuses, two_tills
from tests.integration.sync_server.sync_support import enrolled_till

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=2)


@pytest.fixture
def store(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=T0)


def _reading(store: Store) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(session_factory(store.server.engine, read_only=True))


def _pull(store: Store, cursor: int, limit: int | None) -> PullResponseV1:
    return pull(store.one.record, cursor, limit, _reading(store), now=LATER)


def _refusal(store: Store, cursor: int, limit: int | None) -> tuple[str, str]:
    with pytest.raises(DomainError) as refused:
        _pull(store, cursor, limit)
    return refused.value.code, refused.value.message


# -- pull ----------------------------------------------------------------------------------
def test_a_page_of_one_holds_the_first_position_and_says_more_follow(store: Store) -> None:
    # Position 1 is the rules version published before the tills were enrolled (enrolling
    # takes none: stores and tills are not pulled rows); position 2 the product added now.
    add_product(new_id(), "4600000000091", "Coffee beans", 149_900, store.server.uow(), now=T0)
    everything = _pull(store, 0, None)  # the default limit, 5000, takes all there is
    assert (everything.next_cursor, everything.has_more) == (2, False)

    first = _pull(store, 0, 1)

    assert (first.cursor, first.next_cursor, first.has_more) == (0, 1, True)
    assert ([r.version for r in first.rules], first.products) == ([1], [])
    rest = _pull(store, 1, 1)
    assert (rest.next_cursor, rest.has_more, rest.rules) == (2, False, [])
    assert [p.name for p in rest.products] == ["Coffee beans"]


@pytest.mark.parametrize("limit", [0, -1, 10_001])
def test_a_limit_outside_1_to_10000_is_refused_naming_both(store: Store, limit: int) -> None:
    assert _refusal(store, 0, limit) == (
        "pull.invalid_limit",
        f"limit must be between 1 and 10000; got {limit}.",
    )


def test_a_cursor_before_0_or_past_the_last_position_is_refused_naming_both(
    store: Store,
) -> None:
    last = _pull(store, 0, None).next_cursor
    assert _pull(store, last, 1).next_cursor == last  # the last position itself is fine
    for cursor in (-1, last + 1):
        assert _refusal(store, cursor, 1) == (
            "pull.invalid_cursor",
            f"cursor must be 0 or a position this server gave (at most {last}); got {cursor}.",
        )


def test_a_gift_card_loaded_at_the_office_is_pulled_as_an_entry_of_the_server(
    store: Store,
) -> None:
    card = GiftCard(new_id(), "7000111122223333", hash_pin("1234"), T0 + timedelta(days=365))
    add_gift_card(card, store.server.uow(), now=T0)
    load_id = new_id()
    load_gift_card(card, 30_000, load_id, RULES.version, store.server.uow(), now=T0)

    [row] = [r for r in _pull(store, 0, None).ledger if r[0] == load_id]

    entry = dict(zip(LEDGER_COLUMNS, row, strict=True))
    assert (entry["till_id"], entry["gift_card_id"], entry["amount"]) == ("server", card.id, 30_000)


# -- when a till last pulled -----------------------------------------------------------------
def _push_with_clock(till: Till, event: Event, *, now: datetime, ahead: timedelta) -> None:
    """Push ``event`` stamped as sent by a till whose clock is ``ahead`` of the server's."""
    request = PushRequestV1.model_validate(
        {"v": 1, "sent_at": (now + ahead).isoformat(), "events": [event]}
    )
    answer = push(
        request, till.record, till.server.uow(), now=now, max_events=1000, clock_skew_limit_s=300
    )
    assert statuses(answer.results) == ["applied"]
    assert answer.clock_flagged is True


def test_a_till_s_last_pull_is_written_at_most_once_a_minute(store: Store) -> None:
    _, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    _push_with_clock(store.one, registered, now=T0, ahead=timedelta(minutes=10))
    uow = store.server.uow

    def last_pull() -> datetime | None:
        [till] = flagged_clocks(uow(), 10)
        return till.last_pull_at

    assert last_pull() is None
    record_pull(store.one.record, uow(), now=LATER)
    assert last_pull() == LATER
    record_pull(store.one.record, uow(), now=LATER + timedelta(seconds=30))
    assert last_pull() == LATER  # 30 s later: not written again
    record_pull(store.one.record, uow(), now=LATER + timedelta(seconds=61))
    assert last_pull() == LATER + timedelta(seconds=61)


# -- managers' lists ---------------------------------------------------------------------------
def _other_street(store: Store, rules: LoyaltyRules = RULES) -> Till:
    return Till(store.server, enrolled_till(store.server, "Other street", "Till 9"), rules)


def test_tills_with_a_clock_far_off_are_listed_latest_flagged_first_up_to_the_limit(
    store: Store,
) -> None:
    _, at_one = store.one.register("+79161112233", at=T0, bonuses=False)
    _, at_two = store.two.register("+79162223344", at=T0, bonuses=False)
    _push_with_clock(store.one, at_one, now=T0, ahead=timedelta(minutes=10))
    _push_with_clock(store.two, at_two, now=LATER, ahead=-timedelta(minutes=6))

    listed = flagged_clocks(store.server.uow(), 10)

    assert [(c.till_name, c.clock_skew_s, c.clock_flagged_at) for c in listed] == [
        ("Till 2", -360, LATER),
        ("Till 1", 600, T0),
    ]
    assert [c.till_name for c in flagged_clocks(store.server.uow(), 1)] == ["Till 2"]


def test_customers_in_debt_are_listed_largest_first_up_to_the_limit(store: Store) -> None:
    """Two corrections taken from customers who had nothing: 5.00 and 3.00 owed."""
    vera, vera_registered = store.one.register("+79161112233", at=T0, bonuses=False)
    boris, boris_registered = store.one.register("+79162223344", at=T0, bonuses=False)
    events = [vera_registered, boris_registered]
    events += [store.one.adjust(boris, -300, T0), store.one.adjust(vera, -500, T0)]
    assert statuses(store.one.push(*events, now=T0)) == ["applied"] * 4

    owed = debts(store.server.uow(), 10)

    assert [(d.customer_id, d.phone, d.points, d.highest_points) for d in owed] == [
        (vera, "+79161112233", 500, 500),
        (boris, "+79162223344", 300, 300),
    ]
    assert [d.customer_id for d in debts(store.server.uow(), 1)] == [vera]


def _details_of_a_stranger(till: Till) -> Event:
    """A correction of a customer the server does not know: it is rejected."""
    stranger = new_id()
    payload = CustomerChangedV1(
        customer_id=stranger,
        details=QuestionnaireV1(name="Кто-то"),
        changed=["name"],
        staff_id=new_id(),
        till_id=till.till_id,
        at=T0,
    )
    return till.event("customer.changed", stranger, T0, payload)


def test_rejected_events_are_listed_for_the_store_asked_in_arrival_order_up_to_the_limit(
    store: Store,
) -> None:
    other = _other_street(store)
    first, elsewhere, second = (
        _details_of_a_stranger(store.one),
        _details_of_a_stranger(other),
        _details_of_a_stranger(store.two),
    )
    assert statuses(store.one.push(first, now=T0)) == ["rejected"]
    assert statuses(other.push(elsewhere, now=T0)) == ["rejected"]
    assert statuses(store.two.push(second, now=T0)) == ["rejected"]
    main = store.one.record.store.id

    def listed(store_id: str | None, limit: int) -> list[str]:
        return [r.event_id for r in rejected_events(store.server.uow(), store_id, limit)]

    assert listed(main, 10) == [first["event_id"], second["event_id"]]
    assert listed(main, 1) == [first["event_id"]]
    assert listed(None, 10) == [first["event_id"], elsewhere["event_id"], second["event_id"]]
    [record] = rejected_events(store.server.uow(), other.record.store.id, 10)
    assert (record.till_id, record.code, record.payload) == (
        other.record.id,
        "customer.unknown",
        elsewhere["payload"],
    )


def test_settlements_are_listed_for_the_store_and_kind_asked_up_to_the_limit(
    store: Store,
) -> None:
    """Main street: a sale priced with rules version 2 (unknown to the server), then one
    phone registered at both its tills. Other street: a sale with version 2 as well."""
    newer = RULES.model_copy(update={"version": 2})
    store.one.rules = newer
    unknown_rules, _, sold = store.one.sell(None, 10_000, at=T0)
    assert statuses(store.one.push(sold, now=T0)) == ["applied"]
    kept, at_one = store.one.register("+79161112233", at=T0, bonuses=False)
    alias, at_two = store.two.register("+79161112233", at=T0, bonuses=False)
    assert statuses(store.one.push(at_one, now=T0)) == ["applied"]
    assert statuses(store.two.push(at_two, now=T0)) == ["applied"]
    other = _other_street(store, newer)
    elsewhere, _, sold_elsewhere = other.sell(None, 20_000, at=T0)
    assert statuses(other.push(sold_elsewhere, now=T0)) == ["applied"]
    main, uow = store.one.record.store.id, store.server.uow

    def listed(store_id: str | None, kind: str | None, limit: int) -> list[tuple[str, ...]]:
        return [
            (s.kind, s.sale_id or s.alias_id or "", s.message)
            for s in settlements(uow(), store_id, kind, limit)
        ]

    no_rules = (
        "the server has no rules version 2 to price it again; the till's receipt is kept as it was."
    )
    priced = ("pricing_differs", unknown_rules, f"Sale 1: {no_rules}")
    merged = (
        "customer_merged",
        alias,
        f"Phone +7916111**** was registered again at till Till 2 as {alias}; that id is now "
        f"an alias of {kept}. Registration bonus given twice and taken back: 0 points.",
    )
    assert listed(main, None, 10) == [priced, merged]
    assert listed(main, "customer_merged", 10) == [merged]
    assert listed(main, None, 1) == [priced]
    assert listed(None, "pricing_differs", 10) == [
        priced,
        ("pricing_differs", elsewhere, f"Sale 1: {no_rules}"),
    ]


@pytest.mark.parametrize("asked", ["not-a-uuid", "3f0c2a9e-5b1d-4c7e-8a6f-9d2e1b0c4a57"])
def test_the_balance_of_a_customer_the_server_does_not_know_names_the_id_asked(
    store: Store, asked: str
) -> None:
    with pytest.raises(DomainError) as refused:
        balance(asked, store.server.uow(), now=LATER)

    assert (refused.value.code, refused.value.message) == (
        "customer.unknown",
        f"The server knows no customer {asked}.",
    )
