"""A return's money goes back the way the sale was paid: the card first, then cash."""

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.payment import (
    Payment,
    Tender,
    TenderKind,
    check_refund,
    refund_by_tender,
    settle,
)

CASH, CARD = TenderKind.CASH, TenderKind.CARD
# A check of 1 000,00: 600,00 on the card, 400,00 in cash (a 500 note, 100,00 change).
SPLIT = settle(100_000, card=60_000, cash_tendered=50_000)


def _refund(card: int = 0, cash: int = 0) -> Payment:
    tenders = [Tender(CARD, card, card)] if card else []
    return Payment(tuple(tenders + ([Tender(CASH, cash, cash)] if cash else [])))


def test_a_cash_sale_is_refunded_in_cash_what_it_paid_not_what_was_handed_over() -> None:
    cash_sale = settle(12_345, cash_tendered=20_000)
    assert refund_by_tender(cash_sale, [], 12_345) == _refund(cash=12_345)


def test_a_card_sale_goes_back_to_the_card_and_opens_no_drawer() -> None:
    refund = refund_by_tender(settle(50_000, card=50_000), [], 20_000)
    assert refund == _refund(card=20_000)
    assert not refund.takes_cash


def test_a_split_sale_refunds_the_card_first_then_cash() -> None:
    # Half back (500,00): all of it to the card, which paid 600,00.
    assert refund_by_tender(SPLIT, [], 50_000) == _refund(card=50_000)
    # Then the other half: the card takes its last 100,00, cash the 400,00.
    assert refund_by_tender(SPLIT, [_refund(card=50_000)], 50_000) == _refund(10_000, 40_000)


def test_the_card_takes_back_exactly_what_it_paid_and_not_one_kopeck_more() -> None:
    assert refund_by_tender(SPLIT, [], 60_000) == _refund(card=60_000)
    assert refund_by_tender(SPLIT, [], 60_001) == _refund(card=60_000, cash=1)
    assert refund_by_tender(SPLIT, [_refund(card=60_000)], 1) == _refund(cash=1)


def test_earlier_cash_refunds_leave_the_card_what_it_is_owed() -> None:
    assert refund_by_tender(SPLIT, [_refund(cash=40_000)], 60_000) == _refund(card=60_000)


def test_a_sale_stored_before_tenders_were_recorded_is_refunded_in_cash() -> None:
    assert refund_by_tender(None, [_refund(card=5)], 7_000) == _refund(cash=7_000)


def test_nothing_to_give_back_is_no_tender_and_a_negative_refund_is_refused() -> None:
    assert refund_by_tender(SPLIT, [], 0) == Payment(())
    with pytest.raises(DomainError) as refused:
        refund_by_tender(SPLIT, [], -1)
    assert refused.value.code == "payment.negative"


def test_the_server_refuses_a_refund_in_cash_of_what_the_card_paid() -> None:
    check_refund(_refund(card=50_000), SPLIT, [], 50_000)  # as the till must give it
    with pytest.raises(DomainError) as refused:
        check_refund(_refund(cash=50_000), SPLIT, [], 50_000)
    assert refused.value.code == "payment.refund_mismatch"
    assert refused.value.params == {"problem": "cash 50000 given, card 50000 due"}
    with pytest.raises(DomainError) as refused:
        check_refund(Payment(()), SPLIT, [], 100)
    assert refused.value.params == {"problem": "nothing given, card 100 due"}


def test_the_refusal_names_every_tender_due() -> None:
    # After 500,00 went back to the card, the next 500,00 is 100,00 to the card and 400,00 cash.
    with pytest.raises(DomainError) as refused:
        check_refund(_refund(cash=50_000), SPLIT, [_refund(card=50_000)], 50_000)
    assert refused.value.params == {"problem": "cash 50000 given, card 10000, cash 40000 due"}
