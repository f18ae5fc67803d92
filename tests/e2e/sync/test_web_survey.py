"""The receipt's web survey against a real server: one vote per receipt whichever channel
brings the first (the web page or the till's customer display, in both orders of arrival),
and links that are forged, expired, for another cashier or for a receipt not synced yet."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select

from loyalty_core.errors import DomainError
from loyalty_core.survey_links import sign, store_secret
from pos_client.bootstrap import Till
from pos_client.records import EventStatus
from pos_client.services.messages import CartItem, CheckoutRequest, CompletedSale
from pos_client.ui.checkout.scan_bar import scanned_receipt_id
from sync_server.adapters.models import Vote, VoteRefusal
from sync_server.context import survey_secret
from sync_server.services.clock import utc_now
from sync_server.services.tills import StoreRecord, TillRecord
from sync_server.services.web_survey import open_survey, survey_link_for, vote_on_web
from tests.e2e.sync.conftest import MILK, STORE, Store
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
    """Signed as the store's tills sign: under the store's secret."""
    assert store.store_id is not None
    secret = store_secret(survey_secret(store.settings), store.store_id)
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
        (  # signed with the server's own secret: not the one of the receipt's store
            lambda s, sale: sign(survey_secret(s.settings), sale, s.cashier_id, utc_now(), WEEK),
            "survey.link_invalid",
        ),
        (  # signed with another store's secret
            lambda s, sale: sign(
                store_secret(survey_secret(s.settings), "another-store"),
                sale,
                s.cashier_id,
                utc_now(),
                WEEK,
            ),
            "survey.link_invalid",
        ),
        (lambda s, sale: "not-a-token", "survey.link_invalid"),
        (lambda s, sale: "x.y.1.z", "survey.link_invalid"),  # no sale id: never a lookup
        (lambda s, sale: _token(s, sale).upper(), "survey.link_invalid"),
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


def test_the_receipts_own_qr_opens_the_survey_and_takes_the_vote(store: Store) -> None:
    """The till signs the link itself, with its store's secret fetched once when it synced;
    the QR on the receipt is what the customer's phone opens."""
    till, sale = _sold_and_synced(store)
    assert till.services.receipt_to_show(sale.sale_id).survey_url is None  # not fetched yet
    assert till.sync.ensure_survey_link() is True  # the sync runner does it once online
    url = till.services.receipt_to_show(sale.sale_id).survey_url
    assert url is not None and url.startswith(f"{store.url}/survey/{sale.sale_id}.")
    assert scanned_receipt_id(url) == sale.sale_id  # scanned at a till, it finds the receipt
    page = requests.get(url, params={"lang": "en"}, timeout=10)
    assert page.status_code == 200 and f"Receipt No. {sale.number}" in page.text
    voted = requests.post(url, params={"lang": "en"}, data={"score": "4"}, timeout=10)
    assert voted.status_code == 200 and "Thank you" in voted.text
    assert _counts(store) == (1, 0)


def test_the_survey_link_needs_the_tills_credential_and_names_the_public_page(
    store: Store,
) -> None:
    anonymous = requests.get(f"{store.url}/v1/sync/survey-link", timeout=10)
    assert anonymous.status_code == 401
    till = store.till("till-1")
    assert store.store_id is not None
    link = survey_link_for(
        till_record(store),
        secret=survey_secret(store.settings),
        valid_days=14,
        public_url="https://rate.example.com/",
    )
    assert link.page_url == "https://rate.example.com/survey/"
    # The store's own secret, never the server's: what the server checks its tokens with.
    assert link.secret != base64.urlsafe_b64encode(survey_secret(store.settings)).decode()
    assert till.sync.ensure_survey_link() is True
    with till.services.uows.reading() as uow:
        kept = uow.state.get("survey.secret")
    assert (
        kept
        == survey_link_for(
            till_record(store), secret=survey_secret(store.settings), valid_days=14, public_url=None
        ).secret
    )


def till_record(store: Store) -> TillRecord:
    assert store.store_id is not None
    return TillRecord("till", "till-1", StoreRecord(store.store_id, STORE), None, None)
