from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardLockedError,
    GiftCardPayment,
    WrongPinError,
    hash_pin,
    load_entry,
    project_gift_card,
    verify_pin,
)
from loyalty_core.ledger import EntryKind, LedgerEntry
from loyalty_core.pricing import price_checkout
from loyalty_core.returns import price_return
from loyalty_core.rules import GiftCardPolicy
from loyalty_core.sale import sale_entries

from .builders import T0, at, line, plain_rules, uid

CARD = GiftCard(
    id=uid(),
    number="7000123456789012",
    pin_hash=hash_pin("4321", salt=b"0" * 16),
    expires_at=T0 + timedelta(days=365),
)


def _loaded(amount: int) -> list[LedgerEntry]:
    return [
        load_entry(CARD, entry_id=uid(), amount=amount, now=at(-1), till_id="t", rules_version=1)
    ]


def test_the_pin_is_checked_against_its_salted_hash() -> None:
    CARD.check_pin("4321")
    with pytest.raises(WrongPinError) as caught:
        CARD.check_pin("1234")
    assert caught.value.params == {"card": "************9012"}


def test_a_gift_card_pays_part_of_a_check_and_keeps_the_rest() -> None:
    ledger = _loaded(300_000)
    state = project_gift_card(CARD, ledger)
    receipt = price_checkout(
        plain_rules(), [line(100_000)], now=T0, gift_cards=[GiftCardPayment(state)]
    )
    assert (receipt.due, receipt.gift_card_total, receipt.to_pay) == (100_000, 100_000, 0)
    assert receipt.gift_cards[0].balance_after == 200_000
    ledger += sale_entries(receipt, sale_id=uid(), till_id="t")
    assert project_gift_card(CARD, ledger).balance == 200_000


def test_a_gift_card_smaller_than_the_check_leaves_the_rest_to_pay() -> None:
    state = project_gift_card(CARD, _loaded(30_000))
    receipt = price_checkout(
        plain_rules(), [line(100_000)], now=T0, gift_cards=[GiftCardPayment(state, amount=50_000)]
    )
    assert (receipt.gift_card_total, receipt.to_pay) == (30_000, 70_000)
    assert [n.code for n in receipt.notes if n.code.startswith("gift_card")] == [
        "gift_card.insufficient",
        "gift_card.applied",
    ]


def test_a_gift_card_offered_twice_in_one_check_is_charged_once() -> None:
    # The card holds 300,00; the cashier offers it twice for 250,00 each on a 1 000,00 check.
    # Taking both would charge 500,00 from 300,00: only the first offer counts.
    state = project_gift_card(CARD, _loaded(30_000))
    twice = [GiftCardPayment(state, amount=25_000), GiftCardPayment(state, amount=25_000)]
    receipt = price_checkout(plain_rules(), [line(100_000)], now=T0, gift_cards=twice)
    assert [(c.amount, c.balance_after) for c in receipt.gift_cards] == [(25_000, 5_000)]
    assert (receipt.gift_card_total, receipt.to_pay) == (25_000, 75_000)
    # Offered twice for "as much as it holds": 300,00 once, never 600,00.
    whole = [GiftCardPayment(state), GiftCardPayment(state)]
    receipt = price_checkout(plain_rules(), [line(100_000)], now=T0, gift_cards=whole)
    assert [(c.amount, c.balance_after) for c in receipt.gift_cards] == [(30_000, 0)]
    assert (receipt.gift_card_total, receipt.to_pay) == (30_000, 70_000)
    # The card's ledger takes the spend: 300,00 - 300,00 = 0, no overdraft.
    ledger = _loaded(30_000) + sale_entries(receipt, sale_id=uid(), till_id="t")
    assert project_gift_card(CARD, ledger).balance == 0


def test_a_gift_card_cannot_be_spent_twice() -> None:
    ledger = _loaded(30_000)
    # Offered twice in one 500,00 check, the 300,00 card pays 300,00 once; 200,00 is left.
    state = project_gift_card(CARD, ledger)
    first = price_checkout(
        plain_rules(),
        [line(50_000)],
        now=T0,
        gift_cards=[GiftCardPayment(state), GiftCardPayment(state)],
    )
    assert (first.gift_card_total, first.to_pay) == (30_000, 20_000)
    spend = sale_entries(first, sale_id=uid(), till_id="t")
    ledger += spend
    # The next check, after the first was recorded, finds the card empty and charges nothing...
    second = price_checkout(
        plain_rules(),
        [line(50_000)],
        now=at(1),
        gift_cards=[GiftCardPayment(project_gift_card(CARD, ledger))],
    )
    assert (second.gift_card_total, second.to_pay) == (0, 50_000)
    assert [n.code for n in second.notes] == ["gift_card.empty"]
    # ...and a second spend made offline on another till, replayed, is kept: the card
    # stays at 0 and the 300,00 beyond its balance is recorded as its debt.
    other_till = sale_entries(first, sale_id=uid(), till_id="t2")
    replayed = project_gift_card(CARD, ledger + other_till)
    assert (replayed.balance, replayed.spent, replayed.overdrawn) == (0, 60_000, 30_000)
    # A retried push of the same spend is the same entry: counted once.
    assert project_gift_card(CARD, ledger + spend).balance == 0


def test_a_gift_card_spent_in_two_checks_in_a_row_pays_at_most_its_balance() -> None:
    # 300,00 on the card: the first 200,00 check takes 200,00 (100,00 left); the second
    # 200,00 check takes the last 100,00 and leaves 100,00 to pay in money.
    ledger = _loaded(30_000)
    for day, (paid, left, to_pay) in enumerate([(20_000, 10_000, 0), (10_000, 0, 10_000)]):
        state = project_gift_card(CARD, ledger)
        receipt = price_checkout(
            plain_rules(), [line(20_000)], now=at(day), gift_cards=[GiftCardPayment(state)]
        )
        assert [(c.amount, c.balance_after) for c in receipt.gift_cards] == [(paid, left)]
        assert receipt.to_pay == to_pay
        ledger += sale_entries(receipt, sale_id=uid(), till_id="t")
    final = project_gift_card(CARD, ledger)
    assert (final.loaded, final.spent, final.balance) == (30_000, 30_000, 0)


def test_an_expired_gift_card_is_refused() -> None:
    state = project_gift_card(CARD, _loaded(50_000))
    receipt = price_checkout(
        plain_rules(), [line(10_000)], now=at(366), gift_cards=[GiftCardPayment(state)]
    )
    assert receipt.gift_card_total == 0
    assert [(n.code, n.params) for n in receipt.notes] == [
        ("gift_card.expired", {"card": "************9012", "date": "2025-03-01"}),
    ]


def test_a_gift_card_expiry_is_shown_as_the_store_day_it_expires() -> None:
    # Midnight in Moscow, 1 March, is still 28 February in UTC.
    card = replace(CARD, expires_at=datetime(2025, 2, 28, 21, tzinfo=UTC))
    state = project_gift_card(card, [])
    rules = plain_rules(timezone="Europe/Moscow")
    receipt = price_checkout(
        rules, [line(10_000)], now=at(366), gift_cards=[GiftCardPayment(state)]
    )
    assert [(n.code, n.params) for n in receipt.notes] == [
        ("gift_card.expired", {"card": "************9012", "date": "2025-03-01"}),
    ]


def test_a_gift_card_cannot_pay_for_another_gift_card() -> None:
    state = project_gift_card(CARD, _loaded(50_000))
    cart = [line(20_000, flags=frozenset({"gift_card"})), line(10_000)]
    receipt = price_checkout(plain_rules(), cart, now=T0, gift_cards=[GiftCardPayment(state)])
    assert (receipt.gift_card_total, receipt.to_pay) == (10_000, 20_000)


def test_a_return_refunds_the_gift_card_its_share() -> None:
    ledger = _loaded(40_000)
    cart = [line(30_000, line_id="a"), line(70_000, line_id="b")]
    receipt = price_checkout(
        plain_rules(), cart, now=T0, gift_cards=[GiftCardPayment(project_gift_card(CARD, ledger))]
    )
    sale = uid()
    ledger += sale_entries(receipt, sale_id=sale, till_id="t")
    # Returning line a (30% of the money) gives the card back 30% of its 400,00: 120,00.
    result = price_return(
        plain_rules(), receipt, {"a": 1000}, sale_id=sale, return_id=uid(), till_id="t", now=at(1)
    )
    assert (result.refund, result.gift_card_total, result.cash_refund) == (30_000, 12_000, 18_000)
    ledger += [e for e in result.entries if e.kind is EntryKind.GIFT_CARD_REFUND]
    assert project_gift_card(CARD, ledger).balance == 12_000
    rest = price_return(
        plain_rules(),
        receipt,
        {"b": 1000},
        sale_id=sale,
        return_id=uid(),
        till_id="t",
        now=at(2),
        already_returned={"a": 1000},
    )
    ledger += list(rest.entries)
    assert project_gift_card(CARD, ledger).balance == 40_000


def test_a_card_locks_after_too_many_wrong_pins() -> None:
    policy = GiftCardPolicy(max_pin_attempts=3)
    verify_pin(CARD, "4321", failed_attempts=2, policy=policy)
    with pytest.raises(GiftCardLockedError):
        verify_pin(CARD, "4321", failed_attempts=3, policy=policy)


def test_a_gift_card_is_not_cashed_out_by_returning_what_it_paid_for() -> None:
    # 100,00 on the card pays the 100,00 item; the new 200,00 gift card is paid in cash.
    ledger = _loaded(10_000)
    cart = [
        line(20_000, line_id="new-card", flags=frozenset({"gift_card"})),
        line(10_000, line_id="i"),
    ]
    state = project_gift_card(CARD, ledger)
    receipt = price_checkout(plain_rules(), cart, now=T0, gift_cards=[GiftCardPayment(state)])
    assert (receipt.gift_card_total, receipt.to_pay) == (10_000, 20_000)
    sale = uid()
    item = price_return(
        plain_rules(), receipt, {"i": 1000}, sale_id=sale, return_id=uid(), till_id="t", now=at(1)
    )
    # The item goes back onto the card that paid for it, not into the till's cash.
    assert (item.refund, item.gift_card_total, item.cash_refund) == (10_000, 10_000, 0)
    new_card = price_return(
        plain_rules(),
        receipt,
        {"new-card": 1000},
        sale_id=sale,
        return_id=uid(),
        till_id="t",
        now=at(2),
        already_returned={"i": 1000},
    )
    assert (new_card.refund, new_card.gift_card_total, new_card.cash_refund) == (20_000, 0, 20_000)
