"""Paying what the check leaves due: cash with change, a bank card, both; and the server's check."""

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.payment import Payment, Tender, TenderKind, settle

CASH, CARD = TenderKind.CASH, TenderKind.CARD
SHORT = "a tender pays nothing, or less was handed over than it pays"


def test_cash_handed_over_above_the_total_gives_the_difference_back() -> None:
    # Check 1 234,50; the customer gives 1 500,00: change 265,50.
    payment = settle(123_450, cash_tendered=150_000)
    assert payment.tenders == (Tender(CASH, 123_450, 150_000),)
    assert payment.change == 26_550
    assert payment.paid_by(CASH) == 123_450
    assert payment.takes_cash


def test_no_amount_typed_means_the_exact_sum_in_cash() -> None:
    payment = settle(9_990)
    assert payment.tenders == (Tender(CASH, 9_990, 9_990),)
    assert payment.change == 0


def test_the_exact_sum_handed_over_gives_no_change() -> None:
    assert settle(9_990, cash_tendered=9_990).change == 0


def test_one_kopeck_short_is_refused_and_says_how_much_is_missing() -> None:
    with pytest.raises(DomainError) as refused:
        settle(9_990, cash_tendered=9_989)
    assert refused.value.code == "payment.cash_short"
    assert refused.value.params == {"short": 1, "due": 9_990, "tendered": 9_989}


def test_a_card_pays_exactly_and_never_gives_change_nor_opens_the_drawer() -> None:
    payment = settle(50_000, card=50_000)
    assert payment.tenders == (Tender(CARD, 50_000, 50_000),)
    assert payment.change == 0
    assert payment.paid_by(CARD) == 50_000
    assert payment.paid_by(CASH) == 0
    assert not payment.takes_cash


def test_split_the_card_pays_its_part_and_cash_the_rest_with_change() -> None:
    # Check 1 000,00: 700,00 by card, 300,00 due in cash, the customer gives 500,00.
    payment = settle(100_000, card=70_000, cash_tendered=50_000)
    assert payment.tenders == (Tender(CARD, 70_000, 70_000), Tender(CASH, 30_000, 50_000))
    assert payment.change == 20_000
    assert payment.takes_cash


def test_split_with_too_little_cash_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        settle(100_000, card=70_000, cash_tendered=29_999)
    assert refused.value.params == {"short": 1, "due": 30_000, "tendered": 29_999}


def test_a_card_above_the_total_is_refused_naming_both_sums() -> None:
    with pytest.raises(DomainError) as refused:
        settle(100_000, card=100_001)
    assert refused.value.code == "payment.card_above_total"
    assert refused.value.params == {"card": 100_001, "to_pay": 100_000}


def test_nothing_handed_over_is_short_by_the_whole_sum_not_a_negative_amount() -> None:
    with pytest.raises(DomainError) as refused:
        settle(9_990, cash_tendered=0)
    assert refused.value.code == "payment.cash_short"
    assert refused.value.params == {"short": 9_990, "due": 9_990, "tendered": 0}
    assert settle(0, cash_tendered=0).tenders == ()  # all paid by bonus: 0 handed over is fine


def test_cash_typed_when_the_card_already_pays_all_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        settle(100_000, card=100_000, cash_tendered=1)
    assert refused.value.code == "payment.cash_not_needed"


@pytest.mark.parametrize(("card", "cash"), [(-1, None), (0, -1)])
def test_negative_amounts_are_refused(card: int, cash: int | None) -> None:
    with pytest.raises(DomainError) as refused:
        settle(100, card=card, cash_tendered=cash)
    assert refused.value.code == "payment.negative"


def test_a_check_paid_all_by_bonus_needs_no_tender_and_opens_no_drawer() -> None:
    payment = settle(0)
    assert payment.tenders == ()
    assert not payment.takes_cash


def test_what_settle_builds_passes_the_servers_check() -> None:
    for payment, to_pay in (
        (settle(100_000, card=70_000, cash_tendered=50_000), 100_000),
        (settle(1, cash_tendered=5_000), 1),
        (settle(0), 0),
    ):
        payment.check(to_pay)


@pytest.mark.parametrize(
    ("tenders", "to_pay", "problem"),
    [
        ((Tender(CASH, 900, 1_000),), 1_000, "the tenders pay 900, 1000 is due"),
        ((Tender(CARD, 1_000, 1_200),), 1_000, "a card gave change"),
        ((Tender(CASH, 1_000, 999),), 1_000, SHORT),
        ((Tender(CASH, 0, 0), Tender(CARD, 1_000, 1_000)), 1_000, SHORT),
        ((Tender(CASH, 500, 500), Tender(CASH, 500, 500)), 1_000, "a kind of tender appears twice"),
        ((Tender(CASH, 1_100, 1_100), Tender(CARD, -100, -100)), 1_000, SHORT),
    ],
)
def test_the_server_refuses_tenders_that_do_not_settle_the_check(
    tenders: tuple[Tender, ...], to_pay: int, problem: str
) -> None:
    with pytest.raises(DomainError) as refused:
        Payment(tenders).check(to_pay)
    assert refused.value.code == "payment.mismatch"
    assert refused.value.message == f"The payment does not settle the check: {problem}."
