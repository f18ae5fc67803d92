"""A gift card's balance, folded from its load / spend / refund entries, and when it can pay."""

from dataclasses import replace
from datetime import timedelta

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardPayment,
    GiftCardState,
    hash_pin,
    load_entry,
    project_gift_card,
)
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import price_checkout

from .builders import T0, at, entry, line, plain_rules, uid

CARD = GiftCard(
    id=uid(),
    number="7000123456789012",
    pin_hash=hash_pin("4321", salt=b"0" * 16),
    expires_at=T0 + timedelta(days=365),
)
MASKED = "************9012"


def _move(kind: EntryKind, amount: int, day: int, card: GiftCard = CARD) -> LedgerEntry:
    return entry(kind, when=at(day), amount=amount, gift_card_id=card.id, customer_id=None)


def test_a_sold_card_is_loaded_by_an_entry_naming_the_sale_till_and_rules() -> None:
    loaded = load_entry(
        CARD,
        entry_id="load-1",
        amount=50_000,
        now=T0,
        till_id="till-7",
        rules_version=3,
        sale_id="sale-9",
    )
    # What the till pushes and the server replays.
    assert loaded.to_wire() == {
        "id": "load-1",
        "kind": "gift_card_load",
        "occurred_at": "2024-03-01T09:00:00+00:00",
        "till_id": "till-7",
        "rules_version": 3,
        "customer_id": None,
        "points": 0,
        "amount": 50_000,
        "sale_id": "sale-9",
        "lot_id": None,
        "activates_at": None,
        "expires_at": None,
        "gift_card_id": CARD.id,
        "ref": None,
        "reason": None,
        "author": None,
    }
    assert project_gift_card(CARD, [loaded]).balance == 50_000
    unsold = load_entry(CARD, entry_id="load-2", amount=100, now=T0, till_id="t", rules_version=1)
    assert unsold.sale_id is None


def test_loads_spends_and_refunds_add_up_to_the_balance() -> None:
    # Loaded 300,00 + 200,00 = 500,00; spent 100,00 + 150,00 = 250,00; 50,00 refunded:
    # 200,00 spent in the end, 500,00 - 200,00 = 300,00 left.
    ledger = [
        _move(EntryKind.GIFT_CARD_LOAD, 30_000, 0),
        _move(EntryKind.GIFT_CARD_LOAD, 20_000, 1),
        _move(EntryKind.GIFT_CARD_SPEND, 10_000, 2),
        _move(EntryKind.GIFT_CARD_SPEND, 15_000, 3),
        _move(EntryKind.GIFT_CARD_REFUND, 5_000, 4),
    ]
    state = project_gift_card(CARD, ledger)
    assert (state.loaded, state.spent, state.balance) == (50_000, 20_000, 30_000)


def test_a_spend_of_exactly_the_balance_empties_the_card_one_kopeck_more_is_overdrawn() -> None:
    loaded = _move(EntryKind.GIFT_CARD_LOAD, 30_000, 0)
    exact = project_gift_card(CARD, [loaded, _move(EntryKind.GIFT_CARD_SPEND, 30_000, 1)])
    assert (exact.spent, exact.balance, exact.overdrawn) == (30_000, 0, 0)
    # Spent at two offline tills: the spend is kept, the kopeck beyond is the card's debt.
    over = project_gift_card(CARD, [loaded, _move(EntryKind.GIFT_CARD_SPEND, 30_001, 1)])
    assert (over.spent, over.balance, over.overdrawn) == (30_001, 0, 1)


def test_each_spend_beyond_the_balance_adds_to_what_the_card_is_overdrawn() -> None:
    # 300,00 on the card; three offline tills each take what they saw: 250,00, then 100,00
    # (50,00 beyond), then 50,00 (all of it beyond): the card owes 50,00 + 50,00 = 100,00.
    state = project_gift_card(
        CARD,
        [
            _move(EntryKind.GIFT_CARD_LOAD, 30_000, 0),
            _move(EntryKind.GIFT_CARD_SPEND, 25_000, 1),
            _move(EntryKind.GIFT_CARD_SPEND, 10_000, 2),
            _move(EntryKind.GIFT_CARD_SPEND, 5_000, 3),
        ],
    )
    assert (state.spent, state.balance, state.overdrawn) == (40_000, 0, 10_000)


def test_a_refund_beyond_what_was_spent_gives_back_only_what_was_spent() -> None:
    # One receipt returned at two offline tills refunds the card twice; merged, the card gets
    # back the 200,00 it spent, never more, and the kopeck over is counted apart.
    spent = [
        _move(EntryKind.GIFT_CARD_LOAD, 30_000, 0),
        _move(EntryKind.GIFT_CARD_SPEND, 20_000, 1),
    ]
    exact = project_gift_card(CARD, [*spent, _move(EntryKind.GIFT_CARD_REFUND, 20_000, 2)])
    assert (exact.spent, exact.balance, exact.refunded_twice) == (0, 30_000, 0)
    over = project_gift_card(CARD, [*spent, _move(EntryKind.GIFT_CARD_REFUND, 20_001, 2)])
    assert (over.spent, over.balance, over.refunded_twice) == (0, 30_000, 1)
    halves = [
        _move(EntryKind.GIFT_CARD_REFUND, 15_000, 2),
        _move(EntryKind.GIFT_CARD_REFUND, 15_000, 3),
    ]
    twice = project_gift_card(CARD, [*spent, *halves])
    assert (twice.spent, twice.balance, twice.refunded_twice) == (0, 30_000, 10_000)
    # Returned at three tills: what is refunded beyond the spend adds up, 150,00 + 50,00.
    thrice = [
        _move(EntryKind.GIFT_CARD_REFUND, 20_000, 2),
        _move(EntryKind.GIFT_CARD_REFUND, 15_000, 3),
        _move(EntryKind.GIFT_CARD_REFUND, 5_000, 4),
    ]
    three = project_gift_card(CARD, [*spent, *thrice])
    assert (three.spent, three.balance, three.refunded_twice) == (0, 30_000, 20_000)


def test_folding_one_entry_twice_or_another_cards_entry_changes_nothing() -> None:
    # A retried push hands the same spend to the state again: it counts once.
    other = replace(CARD, id=uid(), number="7000999988887777")
    state = GiftCardState(CARD)
    load = _move(EntryKind.GIFT_CARD_LOAD, 30_000, 0)
    spend = _move(EntryKind.GIFT_CARD_SPEND, 10_000, 1)
    for e in (load, spend, spend, _move(EntryKind.GIFT_CARD_LOAD, 5_000, 2, card=other)):
        state.apply(e)
    assert (state.loaded, state.spent, state.balance) == (30_000, 10_000, 20_000)
    state.apply(load)
    assert state.balance == 20_000


def test_a_card_pays_until_the_instant_it_expires() -> None:
    state = project_gift_card(CARD, [_move(EntryKind.GIFT_CARD_LOAD, 30_000, -1)])
    second = timedelta(seconds=1)
    last = price_checkout(
        plain_rules(),
        [line(10_000)],
        now=CARD.expires_at - second,
        gift_cards=[GiftCardPayment(state)],
    )
    assert (last.gift_card_total, last.to_pay) == (10_000, 0)
    over = price_checkout(
        plain_rules(), [line(10_000)], now=CARD.expires_at, gift_cards=[GiftCardPayment(state)]
    )
    assert (over.gift_card_total, over.to_pay) == (0, 10_000)
    assert [(n.code, n.params) for n in over.notes] == [
        ("gift_card.expired", {"card": MASKED, "date": "2025-03-01"}),
    ]


def test_a_blocked_card_pays_nothing_and_the_cashier_is_told_which_card() -> None:
    blocked = replace(CARD, blocked=True)
    state = project_gift_card(blocked, [_move(EntryKind.GIFT_CARD_LOAD, 30_000, -1)])
    receipt = price_checkout(
        plain_rules(), [line(10_000)], now=T0, gift_cards=[GiftCardPayment(state)]
    )
    assert (receipt.gift_card_total, receipt.to_pay) == (0, 10_000)
    assert [(n.code, n.params) for n in receipt.notes] == [
        ("gift_card.blocked", {"card": MASKED}),
    ]
