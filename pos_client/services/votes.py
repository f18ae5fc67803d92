"""The customer's rating of the cashier, from the customer display after the purchase.

One vote per receipt, tied to the receipt and to the cashier who rang it up (the sale's
staff, never who is logged in when the customer taps), written with its ``vote.recorded``
event in one transaction so it syncs; the server refuses a second vote for the receipt
whichever channel brought the first.
"""

from __future__ import annotations

from collections.abc import Sequence

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from loyalty_core.survey import AlreadyVotedError, check_vote
from loyalty_core.wire.events import VoteRecordedV1, dump
from pos_client.adapters.repositories.outbox import OutboxEvent
from pos_client.adapters.repositories.votes import VoteRecord
from pos_client.adapters.unit_of_work import SqliteUnitOfWork
from pos_client.services.context import TillContext


class NotASaleError(DomainError):
    code = "survey.not_a_sale"
    template = "Only a sale of this till can be rated."


def record_vote(
    sale_id: str, score: int, reasons: Sequence[str], uow: SqliteUnitOfWork, ctx: TillContext
) -> VoteRecord:
    checked = check_vote(score, reasons)
    now = ctx.clock()
    with uow:
        sale = uow.sales.get(sale_id)
        if sale is None:
            raise NotASaleError()
        if uow.votes.for_sale(sale_id) is not None:
            raise AlreadyVotedError(number=sale.number)
        vote = VoteRecord(new_id(), sale_id, sale.staff_id, score, tuple(checked), now)
        uow.votes.add(vote)
        event = VoteRecordedV1(
            vote_id=vote.id,
            sale_id=sale_id,
            till_id=ctx.till_id,
            staff_id=sale.staff_id,
            score=score,
            reasons=list(checked),
            channel="display",
            at=now,
        )
        uow.outbox.add(
            OutboxEvent(
                event_id=new_id(),
                kind=VoteRecordedV1.KIND,
                aggregate_id=vote.id,
                payload=dump(event),
                created_at=now,
            )
        )
        uow.commit()
    return vote
