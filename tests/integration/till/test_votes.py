"""The customer's rating of the cashier at the till: one per receipt, tied to the receipt
and to the cashier who rang it up, written with its event; anything else changes nothing."""

from __future__ import annotations

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.staff import Role
from loyalty_core.wire.events import VoteRecordedV1, parse_payload
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest, ReturnRequest

TEA = CartItem("t", "Чай", unit_price=32_900)


def _staff(till: Till, role: Role) -> str:
    return next(s.id for s in till.services.staff_list() if s.role is role)


def _votes(till: Till) -> list[VoteRecordedV1]:
    with till.services.uows.reading() as uow:
        events = uow.outbox.of_kind("vote.recorded")
    parsed = [parse_payload(e.kind, e.payload) for e in events]
    return [v for v in parsed if isinstance(v, VoteRecordedV1)]


def test_a_vote_names_the_receipt_and_the_cashier_who_rang_it_up(seeded_till: Till) -> None:
    sv = seeded_till.services
    cashier = _staff(seeded_till, Role.CASHIER)
    sale = sv.checkout(CheckoutRequest((TEA,), cashier))
    sv.record_vote(sale.sale_id, 5, ["polite", "offered_card"])
    (vote,) = _votes(seeded_till)
    assert (vote.sale_id, vote.staff_id, vote.till_id) == (sale.sale_id, cashier, sv.ctx.till_id)
    assert (vote.score, vote.reasons, vote.channel) == (5, ["polite", "offered_card"], "display")


def test_a_receipt_is_rated_once_and_the_second_vote_changes_nothing(seeded_till: Till) -> None:
    sv = seeded_till.services
    sale = sv.checkout(CheckoutRequest((TEA,), _staff(seeded_till, Role.CASHIER)))
    sv.record_vote(sale.sale_id, 2, ["slow"])
    with pytest.raises(DomainError) as refused:
        sv.record_vote(sale.sale_id, 5, [])
    assert (refused.value.code, refused.value.params) == (
        "survey.already_voted",
        {"number": sale.number},
    )
    assert [v.score for v in _votes(seeded_till)] == [2]


def test_a_return_an_unknown_receipt_or_a_bad_score_is_refused(seeded_till: Till) -> None:
    sv = seeded_till.services
    cashier = _staff(seeded_till, Role.CASHIER)
    sale = sv.checkout(CheckoutRequest((TEA,), cashier))
    back = sv.return_items(ReturnRequest(sale.number, {TEA.line_id: 1_000}, cashier))
    for sale_id, score, code in (
        (back.return_id, 5, "survey.not_a_sale"),
        ("no such receipt", 5, "survey.not_a_sale"),
        (sale.sale_id, 0, "survey.bad_score"),
    ):
        with pytest.raises(DomainError) as refused:
            sv.record_vote(sale_id, score, [])
        assert refused.value.code == code
    assert _votes(seeded_till) == []
