"""The bank card's part goes through the terminal protocol: charged before the sale is
written, reversed when the sale is then refused, and a declined card sells nothing. The
terminal here is a stand-in for the bank's (our own protocol, no bank to reach)."""

from __future__ import annotations

import pytest

from loyalty_core.errors import DomainError
from pos_client.bootstrap import Till
from pos_client.services.card_terminal import CardApproval, CardDeclinedError, StandaloneTerminal
from pos_client.services.messages import CartItem, CheckoutRequest

MILK = CartItem("4600000000015", "Молоко 3,2% 1 л", unit_price=8_990, quantity_milli=2_000)


class RecordingTerminal:
    def __init__(self, decline: str = "") -> None:
        self.decline = decline
        self.charged: list[CardApproval] = []
        self.reversed: list[CardApproval] = []

    def charge(self, amount: int, reference: str) -> CardApproval:
        if self.decline:
            raise CardDeclinedError(reason=self.decline)
        approval = CardApproval(reference, amount, authorization="A1")
        self.charged.append(approval)
        return approval

    def reverse(self, approval: CardApproval) -> None:
        self.reversed.append(approval)


def _sales(till: Till) -> int:
    with till.services.uows.reading() as uow:
        return len(uow.outbox.of_kind("sale.completed"))


def _request(till: Till, **payment: object) -> CheckoutRequest:
    return CheckoutRequest((MILK,), till.services.staff_list()[0].id, **payment)  # type: ignore[arg-type]


def test_the_card_part_is_charged_once_and_the_sale_kept(seeded_till: Till) -> None:
    terminal = seeded_till.services.card_terminal = RecordingTerminal()
    sale = seeded_till.services.checkout(
        _request(seeded_till, card_amount=10_000, cash_tendered=10_000)
    )
    assert [a.amount for a in terminal.charged] == [10_000] and terminal.reversed == []
    assert sale.payment.paid_by(sale.payment.tenders[0].kind) == 10_000


def test_a_declined_card_sells_nothing(seeded_till: Till) -> None:
    seeded_till.services.card_terminal = RecordingTerminal(decline="insufficient funds")
    with pytest.raises(DomainError) as declined:
        seeded_till.services.checkout(_request(seeded_till, card_amount=17_980))
    assert declined.value.code == "payment.card_declined"
    assert declined.value.params == {"reason": "insufficient funds"}
    assert _sales(seeded_till) == 0


def test_a_sale_refused_after_the_charge_gives_the_charge_back(seeded_till: Till) -> None:
    terminal = seeded_till.services.card_terminal = RecordingTerminal()
    # The customer saw 100,00 but the total is 179,80 now: the commit refuses the sale.
    with pytest.raises(DomainError) as refused:
        seeded_till.services.checkout(
            _request(seeded_till, card_amount=17_980, expected_to_pay=10_000)
        )
    assert refused.value.code == "checkout.price_changed"
    assert terminal.reversed == terminal.charged and len(terminal.charged) == 1
    assert _sales(seeded_till) == 0


def test_tenders_that_cannot_settle_are_refused_before_the_card_is_touched(
    seeded_till: Till,
) -> None:
    terminal = seeded_till.services.card_terminal = RecordingTerminal()
    with pytest.raises(DomainError) as refused:
        seeded_till.services.checkout(_request(seeded_till, card_amount=17_981))
    assert refused.value.code == "payment.card_above_total"
    assert terminal.charged == [] and _sales(seeded_till) == 0


def test_a_standalone_terminal_approves_what_the_cashier_keyed_in_under_the_tills_reference() -> (
    None
):
    approval = StandaloneTerminal().charge(17_980, "sale-ref")
    assert approval == CardApproval("sale-ref", 17_980)
    StandaloneTerminal().reverse(approval)  # nothing went through the till: nothing to undo
