"""Gift cards as a tender at checkout: how much each offered card pays, to the kopeck."""

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
from loyalty_core.pricing import price_checkout
from loyalty_core.receipt import PricedReceipt

from .builders import T0, at, line, plain_rules, uid

CARD = GiftCard(
    id=uid(),
    number="7000123456789012",
    pin_hash=hash_pin("4321", salt=b"0" * 16),
    expires_at=T0 + timedelta(days=365),
)
SECOND_CARD = replace(CARD, id=uid(), number="7000999988887777")


def _holding(amount: int, card: GiftCard = CARD) -> GiftCardState:
    if not amount:
        return project_gift_card(card, [])
    load = load_entry(card, entry_id=uid(), amount=amount, now=at(-1), till_id="t", rules_version=1)
    return project_gift_card(card, [load])


def _pay(amount: int, *payments: GiftCardPayment) -> PricedReceipt:
    return price_checkout(plain_rules(), [line(amount)], now=T0, gift_cards=list(payments))


def _card_notes(receipt: PricedReceipt) -> list[tuple[str, dict[str, int | str]]]:
    return [(n.code, n.params) for n in receipt.notes if n.code.startswith("gift_card")]


def test_a_second_card_pays_the_last_kopeck_the_first_could_not() -> None:
    # Check 100,01: the first card is asked for 100,00, the second pays the remaining 0,01.
    receipt = _pay(
        10_001,
        GiftCardPayment(_holding(50_000), amount=10_000),
        GiftCardPayment(_holding(50_000, SECOND_CARD)),
    )
    assert [(c.number, c.amount, c.balance_after) for c in receipt.gift_cards] == [
        (CARD.number, 10_000, 40_000),
        (SECOND_CARD.number, 1, 49_999),
    ]
    assert receipt.to_pay == 0


def test_a_card_offered_once_the_check_is_paid_is_left_alone() -> None:
    # The first card pays all 100,00; the second, although expired, is not even looked at.
    expired = replace(SECOND_CARD, expires_at=at(-1))
    receipt = _pay(10_000, GiftCardPayment(_holding(50_000)), GiftCardPayment(_holding(0, expired)))
    assert [c.number for c in receipt.gift_cards] == [CARD.number]
    assert _card_notes(receipt) == [
        ("gift_card.applied", {"card": "************9012", "amount": 10_000, "left": 40_000}),
    ]


def test_a_card_holding_one_kopeck_pays_it_and_an_empty_card_is_named_empty() -> None:
    receipt = _pay(10_000, GiftCardPayment(_holding(1)), GiftCardPayment(_holding(0, SECOND_CARD)))
    assert [(c.amount, c.balance_after) for c in receipt.gift_cards] == [(1, 0)]
    assert receipt.to_pay == 9_999
    assert _card_notes(receipt) == [
        ("gift_card.applied", {"card": "************9012", "amount": 1, "left": 0}),
        ("gift_card.empty", {"card": "************7777"}),
    ]


def test_asking_exactly_the_balance_is_no_shortfall_one_kopeck_more_is() -> None:
    exact = _pay(100_000, GiftCardPayment(_holding(30_000), amount=30_000))
    assert _card_notes(exact) == [
        ("gift_card.applied", {"card": "************9012", "amount": 30_000, "left": 0}),
    ]
    more = _pay(100_000, GiftCardPayment(_holding(30_000), amount=30_001))
    assert (more.gift_card_total, more.to_pay) == (30_000, 70_000)
    assert _card_notes(more)[0] == (
        "gift_card.insufficient",
        {"card": "************9012", "balance": 30_000},
    )


def test_a_card_asked_for_more_than_the_check_pays_only_the_check() -> None:
    # 500,00 asked of a 1 000,00 card on a 300,00 check: 300,00 taken, 700,00 left on it.
    receipt = _pay(30_000, GiftCardPayment(_holding(100_000), amount=50_000))
    assert [(c.amount, c.balance_after) for c in receipt.gift_cards] == [(30_000, 70_000)]
    assert receipt.to_pay == 0


def test_a_card_offered_for_nothing_is_not_charged() -> None:
    receipt = _pay(10_000, GiftCardPayment(_holding(50_000), amount=0))
    assert (receipt.gift_cards, receipt.to_pay) == ((), 10_000)
    assert _card_notes(receipt) == []


def test_a_refused_repeated_or_empty_card_does_not_stop_the_next_card_paying() -> None:
    # Check 1 000,00. Refused: an expired card, an empty one, one offered for 0,00, and the
    # first card offered again; then a card holding 500,00 pays 500,00 after the first's 300,00.
    expired = replace(CARD, id=uid(), number="7000111122223333", expires_at=at(-1))
    empty = replace(CARD, id=uid(), number="7000444455556666")
    third = replace(CARD, id=uid(), number="7000777788889999")
    first = _holding(30_000)
    receipt = _pay(
        100_000,
        GiftCardPayment(first),
        GiftCardPayment(_holding(10_000, expired)),
        GiftCardPayment(_holding(0, empty)),
        GiftCardPayment(_holding(10_000, SECOND_CARD), amount=0),
        GiftCardPayment(first),
        GiftCardPayment(_holding(50_000, third)),
    )
    assert [(c.number, c.amount) for c in receipt.gift_cards] == [
        (CARD.number, 30_000),
        (third.number, 50_000),
    ]
    assert receipt.to_pay == 20_000
    assert [code for code, _ in _card_notes(receipt)] == [
        "gift_card.applied",
        "gift_card.expired",
        "gift_card.empty",
        "gift_card.applied",
    ]
