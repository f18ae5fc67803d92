"""The web survey a receipt's QR opens: the customer rates the cashier who served them.

The link's token (``loyalty_core.survey_links``) names the receipt and its cashier. One
vote per receipt, whichever channel brings the first: a vote from the till's customer
display that arrives later is refused by the push (``survey.already_voted``, a rejected
event), and a web vote after any first one is refused here and kept in ``vote_refusals``.
A receipt the till has not synced yet cannot be rated until it has (the page says so).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from loyalty_core.errors import DomainError
from loyalty_core.ids import new_id
from loyalty_core.survey import AlreadyVotedError, check_vote
from loyalty_core.survey_links import (
    SurveyLinkInvalidError,
    SurveyTicket,
    read,
    sale_named,
    store_secret,
)
from loyalty_core.wire.survey_link import SurveyLinkV1
from sync_server.services.sync_ports import (
    SaleRecordOnServer,
    VoteRecordOnServer,
    VoteRefusalRecord,
)
from sync_server.services.tills import TillRecord, canonical_id
from sync_server.services.unit_of_work import UnitOfWork

WEB = "web"
MAX_COMMENT = 1000


class ReceiptNotHereYetError(DomainError):
    code = "survey.receipt_not_here"
    template = "This receipt has not reached us yet: try the link again in a few minutes."


class CommentTooLongError(DomainError):
    code = "survey.comment_too_long"
    template = "A comment is at most {most} characters."


@dataclass(frozen=True, slots=True)
class SurveyPage:
    sale_id: str
    number: int | None  # the receipt's number on its till
    voted: bool  # rated already (here or at the till)


def _checked(
    token: str, uow: UnitOfWork, *, now: datetime, secret: bytes
) -> tuple[SurveyTicket, SaleRecordOnServer]:
    """The ticket and its sale: the sale the token names is found first, then the token is
    checked under that sale's store's secret (the one its till signed with)."""
    named = sale_named(token)
    sale_id = canonical_id(named) if named is not None else None
    if sale_id is None or sale_id != named:  # a sale id is a UUID, spelled as the till does
        raise SurveyLinkInvalidError()
    sale = uow.sync.sale(sale_id)
    if sale is None:
        raise ReceiptNotHereYetError()
    key = store_secret(secret, sale.store_id) if sale.store_id is not None else secret
    ticket = read(key, token, now)
    if sale.staff_id is not None and sale.staff_id != ticket.staff_id:
        raise SurveyLinkInvalidError()  # signed, but not for the cashier of that receipt
    return ticket, sale


def open_survey(token: str, uow: UnitOfWork, *, now: datetime, secret: bytes) -> SurveyPage:
    """``secret``: the server's survey secret (each store's is derived from it)."""
    with uow:
        _ticket, sale = _checked(token, uow, now=now, secret=secret)
        return SurveyPage(sale.id, sale.number, uow.sync.voted(sale.id))


def vote_on_web(
    token: str,
    score: int,
    reasons: Sequence[str],
    comment: str,
    uow: UnitOfWork,
    *,
    now: datetime,
    secret: bytes,
) -> SurveyPage:
    """Record the customer's vote for the receipt; a second one is refused and kept as such."""
    with uow:
        ticket, sale = _checked(token, uow, now=now, secret=secret)
    checked = check_vote(score, reasons)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise CommentTooLongError(most=MAX_COMMENT)
    with uow:
        if uow.sync.voted(sale.id):
            uow.sync.add_vote_refusal(VoteRefusalRecord(new_id(), sale.id, WEB, score, now))
            uow.commit()
            raise AlreadyVotedError(number=sale.number if sale.number is not None else "?")
        assert sale.store_id is not None and sale.till_id is not None
        uow.sync.add_vote(
            VoteRecordOnServer(
                id=new_id(),
                sale_id=sale.id,
                store_id=sale.store_id,
                till_id=sale.till_id,
                staff_id=ticket.staff_id,
                score=score,
                reasons=[str(r) for r in checked],
                channel=WEB,
                at=now,
                comment=comment,
            )
        )
        uow.commit()
    return SurveyPage(sale.id, sale.number, voted=True)


def survey_link_for(
    till: TillRecord, *, secret: bytes, valid_days: int, public_url: str | None
) -> SurveyLinkV1:
    """What the till signs its receipts' links with: its store's secret, never the server's."""
    key = store_secret(secret, till.store.id)
    page = public_url.rstrip("/") + "/survey/" if public_url else None
    return SurveyLinkV1(
        store_id=till.store.id,
        secret=base64.urlsafe_b64encode(key).rstrip(b"=").decode("ascii"),
        valid_days=valid_days,
        page_url=page,
    )
