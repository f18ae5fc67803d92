"""The receipt's web survey against a real server: one vote per receipt whichever channel
brings the first (the web page or the till's customer display, in both orders of arrival),
and links that are forged, expired, for another cashier or for a receipt not synced yet."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from loyalty_core.errors import DomainError
from loyalty_core.survey_links import sign
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale
from sync_server.adapters.models import Vote, VoteRefusal
from sync_server.context import survey_secret
from sync_server.services.clock import utc_now
from sync_server.services.web_survey import open_survey, vote_on_web
from tests.e2e.sync.conftest import MILK, Store
from tests.e2e.sync_server.sync_support import operator

WEEK = timedelta(days=7)


def _sold_and_synced(store: Store) -> tuple[Till, CompletedSale]:
    till = store.till("till-1")
    till.sync.sync_now()
    sale = till.services.checkout(
        CheckoutRequest((CartItem(MILK[0], MILK[1], MILK[2]),), store.cashier_id)
    )
    assert till.sync.sync_now().pushed.applied == 1
    return till, sale


def _token(store: Store, sale_id: str, staff_id: str | None = None, valid: timedelta = WEEK) -> str:
    secret = survey_secret(store.settings)
    return sign(secret, sale_id, staff_id or store.cashier_id, utc_now(), valid)


def _web_vote(store: Store, token: str, score: int, comment: str = "") -> None:
    with operator(store.settings) as uow:
        vote_on_web(
            token,
            score,
            ["polite"],
            comment,
            uow,
            now=utc_now(),
            secret=survey_secret(store.settings),
        )


def _counts(store: Store) -> tuple[int, int]:
    with operator(store.settings) as uow, uow:
        session = uow.session
        votes = session.scalar(select(func.count()).select_from(Vote))
        refused = session.scalar(select(func.count()).select_from(VoteRefusal))
        return int(votes or 0), int(refused or 0)


def test_a_web_vote_first_then_the_tills_vote_is_refused_when_it_syncs(store: Store) -> None:
    till, sale = _sold_and_synced(store)
    token = _token(store, sale.sale_id)
    with operator(store.settings) as uow:
        page = open_survey(token, uow, now=utc_now(), secret=survey_secret(store.settings))
    assert (page.sale_id, page.number, page.voted) == (sale.sale_id, sale.number, False)
    _web_vote(store, token, 5, "  quick and friendly  ")
    assert _counts(store) == (1, 0)
    with operator(store.settings) as uow, uow:
        vote = uow.session.scalars(select(Vote)).one()
        assert (vote.channel, vote.score, vote.comment) == ("web", 5, "quick and friendly")
        assert vote.staff_id == store.cashier_id

    # The customer display at the till took a vote offline; it syncs later and is refused.
    till.services.record_vote(sale.sale_id, 2, [])
    pushed = till.sync.sync_now().pushed
    assert (pushed.applied, pushed.rejected) == (0, 1)
    with till.services.uows.reading() as till_uow:
        (event,) = till_uow.outbox.of_kind("vote.recorded")
    state = till.services.sync_state(event.aggregate_id)
    assert state is not None and state.status is EventStatus.REJECTED
    assert state.error_code == "survey.already_voted"
    assert _counts(store)[0] == 1  # still the web vote, unchanged


def test_the_tills_vote_first_then_the_web_page_says_it_was_rated_and_keeps_the_refusal(
    store: Store,
) -> None:
    till, sale = _sold_and_synced(store)
    till.services.record_vote(sale.sale_id, 4, ["fast"])
    assert till.sync.sync_now().pushed.applied == 1
    token = _token(store, sale.sale_id)
    with operator(store.settings) as uow:
        assert open_survey(token, uow, now=utc_now(), secret=survey_secret(store.settings)).voted
    with pytest.raises(DomainError) as refused:
        _web_vote(store, token, 1)
    assert refused.value.code == "survey.already_voted"
    assert refused.value.params == {"number": sale.number}
    assert _counts(store) == (1, 1)  # the till's vote, and the web one refused
    with pytest.raises(DomainError) as again:  # the same link used again
        _web_vote(store, token, 1)
    assert again.value.code == "survey.already_voted" and _counts(store) == (1, 2)


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda s, sale: _token(s, sale) + "x", "survey.link_invalid"),  # forged
        (lambda s, sale: _token(s, sale, valid=timedelta(seconds=-1)), "survey.link_expired"),
        (
            lambda s, sale: _token(s, sale, staff_id="0" * 8 + "-0000-4000-8000-" + "0" * 12),
            "survey.link_invalid",
        ),
        (
            lambda s, sale: _token(s, "5f0c6a1e-2b3d-4c5e-8f90-123456789abc"),
            "survey.receipt_not_here",
        ),
    ],
)
def test_a_link_that_does_not_name_this_receipts_cashier_records_nothing(
    store: Store, make: object, code: str
) -> None:
    _till, sale = _sold_and_synced(store)
    token = make(store, sale.sale_id)  # type: ignore[operator]
    with pytest.raises(DomainError) as refused:
        _web_vote(store, token, 5)
    assert refused.value.code == code
    assert _counts(store) == (0, 0)


def test_the_survey_page_over_http_votes_once_in_russian_or_english(store: Store) -> None:
    _till, sale = _sold_and_synced(store)
    url = f"{store.url}/survey/{_token(store, sale.sale_id)}"
    form = requests.get(url, headers={"Accept-Language": "ru-RU,ru;q=0.9"}, timeout=10)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    assert "Как вас обслужили?" in form.text and f"Чек № {sale.number}" in form.text
    assert 'name="viewport"' in form.text and form.text.count('name="score"') == 5
    english = requests.get(url, params={"lang": "en"}, timeout=10)
    assert "How were you served?" in english.text

    no_score = requests.post(url, params={"lang": "en"}, data={"comment": "x"}, timeout=10)
    assert no_score.status_code == 422 and "Choose a rating from 1 to 5." in no_score.text
    voted = requests.post(
        url,
        params={"lang": "en"},
        data={"score": "4", "reason": ["polite", "fast"], "comment": "<b>ok</b>"},
        timeout=10,
    )
    assert voted.status_code == 200 and "Thank you for your rating!" in voted.text
    again = requests.post(url, params={"lang": "en"}, data={"score": "1"}, timeout=10)
    assert again.status_code == 409
    assert f"Receipt No. {sale.number} has already been rated." in again.text
    shown = requests.get(url, params={"lang": "en"}, timeout=10)
    assert shown.status_code == 200 and 'name="score"' not in shown.text  # no form again
    with operator(store.settings) as uow, uow:
        vote = uow.session.scalars(select(Vote)).one()
        assert (vote.score, vote.reasons, vote.comment) == (4, ["polite", "fast"], "<b>ok</b>")
    assert _counts(store) == (1, 1)


def test_a_forged_or_expired_link_answers_404_or_410_and_names_nothing(store: Store) -> None:
    _till, sale = _sold_and_synced(store)
    forged = requests.get(
        f"{store.url}/survey/{_token(store, sale.sale_id)}x", params={"lang": "en"}, timeout=10
    )
    assert forged.status_code == 404 and "This survey link is not valid." in forged.text
    assert "Receipt No." not in forged.text  # a forged link names no receipt
    expired = requests.get(
        f"{store.url}/survey/{_token(store, sale.sale_id, valid=timedelta(seconds=-5))}",
        params={"lang": "en"},
        timeout=10,
    )
    assert expired.status_code == 410 and "This survey link expired on" in expired.text
    assert 'name="score"' not in expired.text
