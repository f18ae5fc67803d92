"""Returns pushed to the server (``sync_server.services.push``), on SQLite and PostgreSQL.

Two tills of one store build their events with the real engine (``price_checkout``,
``sale_entries``, ``price_return``) from their own view of the ledger and push them
through the server's push service. Every number below is worked out by hand with the
demo rules (``default_rules``: Bronze accrues 3 % of the money paid, a first purchase
is boosted to 50 % in all, bonus pays at most 30 % of a check, returns within 14 days):

Anna has 300.00 of bonus (30000 points). She buys 2 bags of coffee for 1001.32 (100132),
pays 299.99 (29999) with bonus and 701.33 (70133) in money. Her accrual is 3 % of 70133
= 2103 (rounded down) and the first-purchase boost 50 % of 70133 = 35066, less 2103:
32963. One bag of two is half of each, rounded half up on the cumulative share:
money 35067 (35066.5), bonus 15000 (14999.5), accrual 1052 (1051.5), boost 16482
(16481.5); the second bag gets the rest: 35066, 14999, 1051, 16481.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from loyalty_core.giftcards import GiftCard, hash_pin, load_entry
from loyalty_core.giftcards import project_gift_card as card_balance
from loyalty_core.ids import new_id
from loyalty_core.ledger import EntryKind
from loyalty_core.ledger import LedgerEntry as Entry
from loyalty_core.receipt import PricedReceipt
from loyalty_core.rules import LoyaltyRules, default_rules
from loyalty_core.wire.ledger import entries_of
from loyalty_core.wire.sync import EventResultV1
from sync_server.services.push import retry_event
from sync_server.services.setup import add_gift_card, load_gift_card
from tests.integration.sync_server.push_support import Store, statuses, two_tills

RULES: LoyaltyRules = default_rules()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Anna gets her 300.00; she buys at 10:00
SOLD_AT = T0 + timedelta(hours=1)
BAG_OF_TWO = 100_132  # 2 bags of coffee, 1001.32
TWO_BAGS = 2_000  # their quantity, in thousandths
SPENT = 29_999  # bonus paid on them
PAID = 70_133  # money paid
ACCRUAL, BOOST = 2_103, 32_963
ALL_POINTS = SPENT + ACCRUAL + BOOST  # 65065: what returning both bags gives and takes back
FIRST_BAG_POINTS = 15_000 + 1_052 + 16_482  # 32534
SECOND_BAG_POINTS = 14_999 + 1_051 + 16_481  # 32531


@pytest.fixture
def store(migrated_engine: Engine) -> Store:
    return two_tills(migrated_engine, RULES, published_at=T0 - timedelta(days=1))


def anna_buys_two_bags(store: Store) -> tuple[str, str, PricedReceipt]:
    """Anna, 300.00 of bonus, buys the 2 bags at till 1 paying 299.99 with bonus; till 2
    learns it by pull."""
    anna, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    given = store.one.adjust(anna, 30_000, T0)
    sale_id, receipt, sold = store.one.sell(
        anna, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS, redeem=SPENT
    )
    assert (receipt.to_pay, receipt.redeemed, receipt.accrual, receipt.boost) == (
        PAID,
        SPENT,
        ACCRUAL,
        BOOST,
    )
    assert statuses(store.one.push(registered, given, sold, now=SOLD_AT)) == ["applied"] * 3
    store.two.learn(store.one)
    # 300.00 - 299.99 = 0.01 left; 2103 + 32963 = 35066 pending for 14 days.
    assert store.balance(anna, SOLD_AT) == (1, ACCRUAL + BOOST, 0)
    return anna, sale_id, receipt


# -- one return --------------------------------------------------------------------------
def test_one_bag_of_two_back_restores_half_the_bonus_and_takes_back_half_the_accrual(
    store: Store,
) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    staff = new_id()
    return_id, priced, event = store.one.give_back(
        sale_id, receipt, 1, at=at, staff_id=staff.upper()
    )
    now = at + timedelta(minutes=5)

    results = store.one.push(event, now=now)

    assert statuses(results) == ["applied"]
    assert results[0].settlements == []
    # 35067 back in money; 15000 of the 29999 bonus back; 1052 + 16482 taken back.
    assert store.entries(priced) == sorted(
        [
            ("purchase_return", anna, 0, -35_067, event["event_id"]),
            ("restore", anna, 15_000, 0, event["event_id"]),
            ("reversal", anna, -1_052, 1_052, event["event_id"]),
            ("reversal", anna, -16_482, 16_482, event["event_id"]),
        ]
    )
    # 0.01 + 150.00 usable; 35066 - 17534 = 17532 still pending.
    assert store.balance(anna, now) == (15_001, 17_532, 0)
    [row] = store.returns()
    assert (row.id, row.sale_id, row.till_id, row.store_id, row.number) == (
        return_id,
        sale_id,
        store.one.record.id,
        store.one.record.store.id,
        2,  # the till's receipt numbers: the sale was 1
    )
    assert (row.staff_id, row.quantities, row.refund_minor) == (staff, {"1": 1000}, 35_067)
    assert (row.occurred_at, row.received_at, row.event_id) == (at, now, event["event_id"])
    assert row.document == event["payload"]["return"]
    assert store.settlements() == []


def test_a_full_return_at_another_till_gives_back_all_the_bonus_and_takes_back_all_accrual(
    store: Store,
) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, priced, event = store.two.give_back(sale_id, receipt, 2, at=at)

    results = store.two.push(event, now=at)

    assert statuses(results) == ["applied"]
    assert results[0].settlements == []
    assert store.entries(priced) == sorted(
        [
            ("purchase_return", anna, 0, -PAID, event["event_id"]),
            ("restore", anna, SPENT, 0, event["event_id"]),
            ("reversal", anna, -ACCRUAL, ACCRUAL, event["event_id"]),
            ("reversal", anna, -BOOST, BOOST, event["event_id"]),
        ]
    )
    assert store.balance(anna, at) == (30_000, 0, 0)  # as before the sale
    [row] = store.returns()
    assert (row.till_id, row.quantities, row.refund_minor) == (
        store.two.record.id,
        {"1": 2000},
        PAID,
    )
    assert store.settlements() == []


def test_a_return_of_the_rest_after_a_first_return_is_no_second_return(store: Store) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    first_at, rest_at = SOLD_AT + timedelta(hours=1), SOLD_AT + timedelta(hours=2)
    _, _, first = store.one.give_back(sale_id, receipt, 1, at=first_at)
    _, rest, second = store.one.give_back(sale_id, receipt, 1, at=rest_at, already=1)

    results = store.one.push(first, second, now=rest_at)

    assert statuses(results) == ["applied", "applied"]
    assert [r.settlements for r in results] == [[], []]
    # The second bag: 35066 in money, 14999 bonus, 1051 + 16481 taken back.
    assert store.entries(rest) == sorted(
        [
            ("purchase_return", anna, 0, -35_066, second["event_id"]),
            ("restore", anna, 14_999, 0, second["event_id"]),
            ("reversal", anna, -1_051, 1_051, second["event_id"]),
            ("reversal", anna, -16_481, 16_481, second["event_id"]),
        ]
    )
    assert store.balance(anna, rest_at) == (30_000, 0, 0)
    assert [r.refund_minor for r in store.returns()] == [35_067, 35_066]
    assert store.settlements() == []


# -- one receipt returned twice ----------------------------------------------------------
def twice_message(sale_id: str, till: str, number: int, amount: int, points: int) -> str:
    return (
        f"Receipt of sale {sale_id} returned again at till {till} (return {number}): "
        f"{amount} refunded again in money is recorded; bonus is restored and taken back "
        f"at most once ({points} points not applied a second time)."
    )


def the_settlement(store: Store, results: list[EventResultV1]) -> tuple[Any, ...]:
    [settlement] = results[0].settlements
    [row] = [r for r in store.settlements() if r.event_id == str(results[0].event_id)]
    assert (row.id, row.kind, row.points, row.amount_minor, row.message) == (
        row.id,
        settlement.kind,
        settlement.points,
        settlement.amount,
        settlement.message,
    )
    return (
        settlement.kind,
        settlement.customer_id,
        settlement.sale_id,
        row.return_id,
        row.event_id,
        row.till_id,
        row.store_id,
        settlement.amount,
        settlement.points,
        settlement.message,
    )


def test_one_receipt_returned_twice_at_the_same_till_refunds_twice_and_restores_once(
    store: Store,
) -> None:
    """The till lost its list of returns (a backup from before the first); its ledger came
    back by pull, so its wallet knows the bonus was given back and asks nothing again."""
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 2, at=at)
    assert statuses(store.one.push(first, now=at)) == ["applied"]
    again_at = at + timedelta(hours=1)
    return_id, again, second = store.one.give_back(sale_id, receipt, 2, at=again_at)
    assert [(ln.refund, ln.bonus_restored, ln.accrual_reversed) for ln in again.lines] == [
        (PAID, 0, 0)
    ]

    results = store.one.push(second, now=again_at)

    assert statuses(results) == ["applied"]
    assert the_settlement(store, results) == (
        "return_twice",
        anna,
        sale_id,
        return_id,
        second["event_id"],
        store.one.record.id,
        store.one.record.store.id,
        PAID,  # 701.33 refunded again
        0,  # nothing asked again, nothing refused
        twice_message(sale_id, "Till 1", 3, PAID, 0),
    )
    assert store.balance(anna, again_at) == (30_000, 0, 0)
    assert [r.refund_minor for r in store.returns()] == [PAID, PAID]


def test_one_receipt_returned_at_two_tills_refunds_twice_but_gives_bonus_back_once(
    store: Store,
) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 2, at=at)
    return_id, _, second = store.two.give_back(sale_id, receipt, 2, at=at + timedelta(hours=1))
    assert statuses(store.one.push(first, now=at)) == ["applied"]

    results = store.two.push(second, now=at + timedelta(hours=1))

    assert statuses(results) == ["applied"]
    # Till 2 asked 29999 + 2103 + 32963 = 65065 points again; the server gives none.
    assert the_settlement(store, results) == (
        "return_twice",
        anna,
        sale_id,
        return_id,
        second["event_id"],
        store.two.record.id,
        store.two.record.store.id,
        PAID,
        ALL_POINTS,
        twice_message(sale_id, "Till 2", 1, PAID, ALL_POINTS),
    )
    assert store.balance(anna, at + timedelta(hours=1)) == (30_000, 0, 0)
    assert [(r.till_id, r.refund_minor) for r in store.returns()] == [
        (store.one.record.id, PAID),
        (store.two.record.id, PAID),
    ]


def test_one_bag_back_at_one_till_and_both_at_the_other_counts_one_bag_twice(
    store: Store,
) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 1, at=at)
    _, _, second = store.two.give_back(sale_id, receipt, 2, at=at + timedelta(hours=1))
    assert statuses(store.one.push(first, now=at)) == ["applied"]

    results = store.two.push(second, now=at + timedelta(hours=1))

    # One bag of the two was returned before: half of till 2's 70133 refund again,
    # 35066.5 rounded half up = 35067. Of the 65065 points asked, the second bag's
    # 32531 were still due; the first bag's 32534 are not given again.
    settlement = the_settlement(store, results)
    assert settlement[-3:] == (
        35_067,
        FIRST_BAG_POINTS,
        twice_message(sale_id, "Till 2", 1, 35_067, FIRST_BAG_POINTS),
    )
    assert store.balance(anna, at + timedelta(hours=1)) == (30_000, 0, 0)


def test_a_return_made_earlier_but_pushed_later_is_priced_on_the_wallet_of_its_time(
    store: Store,
) -> None:
    """Till 2 took both bags back at 11:00 offline; till 1 one bag at 12:00, pushed first.
    At 11:00 the server's ledger had given nothing back yet, so of till 2's 65065 points
    the second bag's 32531 (what was left after one bag, from 2000 down) are due and the
    first bag's 32534 are the part returned twice."""
    anna, sale_id, receipt = anna_buys_two_bags(store)
    early, late = SOLD_AT + timedelta(hours=1), SOLD_AT + timedelta(hours=2)
    _, _, at_two = store.two.give_back(sale_id, receipt, 2, at=early)
    _, _, at_one = store.one.give_back(sale_id, receipt, 1, at=late)
    assert statuses(store.one.push(at_one, now=late)) == ["applied"]

    results = store.two.push(at_two, now=late + timedelta(minutes=5))

    assert the_settlement(store, results)[-3:-1] == (35_067, FIRST_BAG_POINTS)
    assert store.balance(anna, late + timedelta(minutes=5)) == (30_000, 0, 0)


def test_a_second_return_a_manager_approved_past_the_window_is_settled_all_the_same(
    store: Store,
) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 2, at=at)
    assert statuses(store.one.push(first, now=at)) == ["applied"]
    weeks_later = SOLD_AT + timedelta(days=20)  # past the 14 days
    manager = new_id()
    _, _, second = store.two.give_back(sale_id, receipt, 2, at=weeks_later, approved_by=manager)

    results = store.two.push(second, now=weeks_later)

    assert statuses(results) == ["applied"]
    assert the_settlement(store, results)[-3:-1] == (PAID, ALL_POINTS)
    assert store.balance(anna, weeks_later) == (30_000, 0, 0)


def test_without_the_rules_version_the_server_records_the_money_and_no_points(
    store: Store,
) -> None:
    """The tills price with rules version 2, which the server does not have."""
    newer = RULES.model_copy(update={"version": 2})
    store.one.rules = store.two.rules = newer
    anna, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    given = store.one.adjust(anna, 30_000, T0)
    sale_id, receipt, sold = store.one.sell(
        anna, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS, redeem=SPENT
    )
    sale_results = store.one.push(registered, given, sold, now=SOLD_AT)
    assert [s.kind for s in sale_results[2].settlements] == ["pricing_differs"]
    store.two.learn(store.one)
    at = SOLD_AT + timedelta(hours=1)
    _, _, first = store.one.give_back(sale_id, receipt, 1, at=at)
    _, _, second = store.two.give_back(sale_id, receipt, 2, at=at)

    once = store.one.push(first, now=at)
    results = store.two.push(second, now=at)

    assert statuses(once) == ["applied"]
    assert once[0].settlements == []
    assert the_settlement(store, results)[-3:] == (
        35_067,
        0,  # the server cannot price the return: it claims nothing
        twice_message(sale_id, "Till 2", 1, 35_067, 0),
    )
    assert store.balance(anna, at) == (30_000, 0, 0)


# -- refused returns -----------------------------------------------------------------------
def test_a_return_of_a_sale_the_server_does_not_have_is_rejected_and_changes_nothing(
    store: Store,
) -> None:
    anna, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    given = store.one.adjust(anna, 30_000, T0)
    assert statuses(store.one.push(registered, given, now=SOLD_AT)) == ["applied"] * 2
    sale_id, receipt, sold = store.one.sell(  # not pushed yet
        anna, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS, redeem=SPENT
    )
    at = SOLD_AT + timedelta(hours=1)
    _, _, back = store.one.give_back(sale_id, receipt, 1, at=at)
    entries_before = store.entry_count()

    [result] = store.one.push(back, now=at)

    assert (result.status, result.code, result.message) == (
        "rejected",
        "sale.unknown",
        f"The server knows no sale {sale_id}; push the sale before its return.",
    )
    assert store.entry_count() == entries_before
    assert store.returns() == []
    assert store.balance(anna, at) == (30_000, 0, 0)
    assert store.received(back["event_id"]).payload == back["payload"]
    # Once the sale has arrived, a manager retries the return: it applies.
    assert statuses(store.one.push(sold, now=at)) == ["applied"]
    assert retry_event(back["event_id"], store.server.uow(), now=at).status == "applied"
    assert store.balance(anna, at) == (15_001, 17_532, 0)


def test_a_return_whose_entries_name_another_sale_is_rejected(store: Store) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    other_sale, _, other = store.one.sell(
        anna, BAG_OF_TWO, at=SOLD_AT + timedelta(minutes=30), quantity_milli=TWO_BAGS
    )
    assert statuses(store.one.push(other, now=SOLD_AT + timedelta(minutes=30))) == ["applied"]
    at = SOLD_AT + timedelta(hours=1)
    _, _, back = store.one.give_back(sale_id, receipt, 1, at=at)
    restore = next(e for e in back["payload"]["entries"] if e["kind"] == "restore")
    restore["sale_id"] = other_sale
    entries_before = store.entry_count()

    [result] = store.one.push(back, now=at)

    assert (result.status, result.code, result.message) == (
        "rejected",
        "sale.entries_mismatch",
        f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
        f"(entry {restore['id']} is of another sale); nothing was recorded.",
    )
    assert (store.entry_count(), store.returns()) == (entries_before, [])


def test_a_return_of_a_line_the_receipt_does_not_have_is_rejected(store: Store) -> None:
    anna, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    _, _, back = store.one.give_back(
        sale_id, receipt, 1, at=at, payload_changes={"quantities": {"1": 1000, "7": 1000}}
    )
    entries_before = store.entry_count()

    [result] = store.one.push(back, now=at)

    assert (result.status, result.code, result.message) == (
        "rejected",
        "sale.entries_mismatch",
        f"The ledger entries of sale {sale_id} are not the ones its receipt makes "
        "(no line 7 on the receipt); nothing was recorded.",
    )
    assert (store.entry_count(), store.returns()) == (entries_before, [])
    assert store.balance(anna, at) == (1, ACCRUAL + BOOST, 0)


@pytest.mark.parametrize("field", ["return_id", "sale_id"])
def test_a_return_or_sale_id_that_is_not_a_uuid_is_rejected(store: Store, field: str) -> None:
    _, sale_id, receipt = anna_buys_two_bags(store)
    at = SOLD_AT + timedelta(hours=1)
    return_id, _, back = store.one.give_back(
        sale_id, receipt, 1, at=at, payload_changes={field: "R-1"}
    )
    shown = "R-1/" + sale_id if field == "return_id" else return_id + "/R-1"

    [result] = store.one.push(back, now=at)

    assert (result.status, result.code, result.message) == (
        "rejected",
        "event.invalid",
        f"return_id/sale_id {shown!r} is not a UUID.",
    )
    assert store.returns() == []


# -- anonymous sales, gift cards, merged customers -----------------------------------------
def test_an_anonymous_sale_returned_at_two_tills_records_the_money_and_no_points(
    store: Store,
) -> None:
    # No customer, 1001.33.
    sale_id, receipt, sold = store.one.sell(None, 100_133, at=SOLD_AT, quantity_milli=TWO_BAGS)
    assert statuses(store.one.push(sold, now=SOLD_AT)) == ["applied"]
    at = SOLD_AT + timedelta(hours=1)
    _, first_back, first = store.one.give_back(sale_id, receipt, 1, at=at)
    return_id, _, second = store.two.give_back(sale_id, receipt, 2, at=at)
    entries_before = store.entry_count()

    once = store.one.push(first, now=at)
    results = store.two.push(second, now=at)

    assert [r.settlements for r in once] == [[]]
    assert first_back.refund == 50_067  # 50066.5 rounded half up
    # Half of till 2's 100133 again: 50066.5, rounded half up.
    assert the_settlement(store, results) == (
        "return_twice",
        None,
        sale_id,
        return_id,
        second["event_id"],
        store.two.record.id,
        store.two.record.store.id,
        50_067,
        0,
        twice_message(sale_id, "Till 2", 1, 50_067, 0),
    )
    assert store.entry_count() == entries_before  # no bonus, no entries
    assert [r.refund_minor for r in store.returns()] == [50_067, 100_133]


CARD = GiftCard(new_id(), "7000111122223333", hash_pin("1234"), T0 + timedelta(days=365))


def card_balance_on_server(store: Store) -> int:
    with store.server.uow() as uow:
        return card_balance(CARD, uow.sync.gift_card_entries(CARD.id)).balance


def bags_paid_by_card_returned_at_two_tills(store: Store) -> list[EventResultV1]:
    """1001.32 for the two bags, no customer: 300.00 from a gift card, 701.32 in cash. Till
    1 takes one bag back, till 2 (offline) both."""
    add_gift_card(CARD, store.server.uow(), now=T0)
    load_id = new_id()
    load_gift_card(CARD, 30_000, load_id, RULES.version, store.server.uow(), now=T0)
    loaded = load_entry(
        CARD, entry_id=load_id, amount=30_000, now=T0, till_id="server", rules_version=1
    )
    store.one.ledger.append(loaded)
    sale_id, receipt, sold = store.one.sell(
        None, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS, gift_card=CARD
    )
    assert [c.amount for c in receipt.gift_cards] == [30_000]
    assert statuses(store.one.push(sold, now=SOLD_AT)) == ["applied"]
    store.two.learn(store.one)
    at = SOLD_AT + timedelta(hours=1)
    _, first_back, first = store.one.give_back(sale_id, receipt, 1, at=at)
    _, second_back, second = store.two.give_back(sale_id, receipt, 2, at=at)

    assert statuses(store.one.push(first, now=at)) == ["applied"]
    # One bag: 50066 back, of which the card's share 300.00 * 50066 / 100132 = 150.00.
    assert (first_back.refund, first_back.gift_card_total) == (50_066, 15_000)
    assert card_balance_on_server(store) == 15_000
    assert (second_back.refund, second_back.gift_card_total) == (BAG_OF_TWO, 30_000)
    return store.two.push(second, now=at)


def test_a_gift_card_gets_its_share_back_and_a_second_return_records_the_money_again(
    store: Store,
) -> None:
    results = bags_paid_by_card_returned_at_two_tills(store)

    assert statuses(results) == ["applied"]
    assert the_settlement(store, results)[-3:-1] == (50_066, 0)


def test_a_gift_card_refunded_by_two_returns_gets_back_what_it_spent_and_can_still_pay(
    store: Store,
) -> None:
    bags_paid_by_card_returned_at_two_tills(store)

    # 150.00 back from till 1, 300.00 from till 2: the card gets back the 300.00 it paid,
    # and the 150.00 refunded twice is the settlement's money (with the cash part).
    with store.server.uow() as uow:
        state = card_balance(CARD, uow.sync.gift_card_entries(CARD.id))
    assert (state.balance, state.spent, state.refunded_twice) == (30_000, 0, 15_000)
    _, _, sold = store.one.sell(
        None, 10_000, at=SOLD_AT + timedelta(hours=2), quantity_milli=TWO_BAGS, gift_card=CARD
    )
    assert statuses(store.one.push(sold, now=SOLD_AT + timedelta(hours=2))) == ["applied"]


def test_returns_of_a_customer_registered_twice_go_to_the_customer_kept(store: Store) -> None:
    """Anna registered at till 1 and again at till 2; till 2 knows her by the second id,
    which the server made an alias of the first."""
    kept, at_one = store.one.register("+79161112233", at=T0, bonuses=False)
    alias, at_two = store.two.register("+79161112233", at=T0, bonuses=False)
    assert statuses(store.one.push(at_one, now=T0)) == ["applied"]
    assert statuses(store.two.push(at_two, now=T0)) == ["applied"]
    given = store.two.adjust(alias, 30_000, T0)
    sale_id, receipt, sold = store.two.sell(
        alias, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS, redeem=SPENT
    )
    assert statuses(store.two.push(given, sold, now=SOLD_AT)) == ["applied"] * 2
    store.one.learn(store.two)
    at = SOLD_AT + timedelta(hours=1)
    _, first_back, first = store.two.give_back(sale_id, receipt, 1, at=at)

    assert statuses(store.two.push(first, now=at)) == ["applied"]
    assert {e[1] for e in store.entries(first_back)} == {kept}
    assert store.balance(kept, at) == (15_001, 17_532, 0)

    _, _, second = store.one.give_back(sale_id, receipt, 2, at=at + timedelta(hours=1))
    results = store.one.push(second, now=at + timedelta(hours=1))

    assert the_settlement(store, results)[:2] == ("return_twice", kept)
    assert the_settlement(store, results)[-3:-1] == (35_067, FIRST_BAG_POINTS)
    assert store.balance(alias, at + timedelta(hours=1)) == (30_000, 0, 0)


def test_a_return_of_an_anonymous_sale_carrying_a_customers_bonus_is_rejected(
    store: Store,
) -> None:
    """SYNC_PROTOCOL.md: ``event.customer_mismatch`` when "an entry belongs to a customer
    other than the event's"; an anonymous sale's return has no customer at all."""
    anna, registered = store.one.register("+79161112233", at=T0, bonuses=False)
    assert statuses(store.one.push(registered, now=T0)) == ["applied"]
    sale_id, receipt, sold = store.one.sell(None, BAG_OF_TWO, at=SOLD_AT, quantity_milli=TWO_BAGS)
    assert statuses(store.one.push(sold, now=SOLD_AT)) == ["applied"]
    at = SOLD_AT + timedelta(hours=1)
    gift = Entry(
        id=new_id(),
        kind=EntryKind.ADJUSTMENT,
        occurred_at=at,
        till_id=store.one.record.id,
        rules_version=1,
        customer_id=anna,
        points=50_000,
        activates_at=at,
        expires_at=at + timedelta(days=365),
        sale_id=sale_id,
        reason="return",
        author=new_id(),
    )
    _, _, back = store.one.give_back(
        sale_id, receipt, 2, at=at, payload_changes={"entries": dump_entries([gift])}
    )

    [result] = store.one.push(back, now=at)

    assert (result.status, result.code) == ("rejected", "event.customer_mismatch")
    assert result.message == (
        f"Entry {gift.id} belongs to customer {anna}, not to nobody (an anonymous sale)"
        " of the event."
    )
    assert store.balance(anna, at) == (0, 0, 0)


def dump_entries(entries: list[Entry]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in entries_of(entries)]
