"""Cashiers' scorecards with the numbers written out by hand: the volume-aware score (one
vote of 5 does not outrank 200 votes of 4.8), plain averages rounded half up, the weekly
trend in the store's zone, card share and average check, and the managers' alerts at their
boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from loyalty_core.scorecards import (
    AlertKind,
    SaleFact,
    Scorecard,
    StaffActivity,
    Vote,
    bayesian_score,
    mean,
    ranked,
    scorecard,
    store_mean,
    week_of,
)
from loyalty_core.survey import Reason

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
FOUR = Decimal("4.00")


def _votes(staff: str, scores: list[int], at: datetime = NOW, **kw: object) -> list[Vote]:
    return [
        Vote(f"{staff}-{at:%m%d}-{i}", staff, s, (), at - timedelta(minutes=i), **kw)  # type: ignore[arg-type]
        for i, s in enumerate(scores)
    ]


def _card(staff: str, votes: list[Vote], sales: list[SaleFact] | None = None) -> Scorecard:
    return scorecard(
        staff, votes, sales or [], StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW
    )


def test_one_vote_of_five_does_not_outrank_two_hundred_votes_of_four_point_eight() -> None:
    # (10 × 4 + 5) / 11 = 4.0909…; (10 × 4 + 960) / 210 = 4.7619…
    assert bayesian_score(5, 1, FOUR) == Decimal("4.09")
    assert bayesian_score(960, 200, FOUR) == Decimal("4.76")
    lucky = scorecard(
        "lucky", _votes("lucky", [5]), [], StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW
    )
    steady_scores = [5] * 160 + [4] * 40  # a mean of 4.8
    steady = scorecard(
        "steady",
        _votes("steady", steady_scores),
        [],
        StaffActivity(),
        prior_mean=FOUR,
        now=NOW,
        zone=MOSCOW,
    )
    assert (lucky.average, steady.average) == (Decimal("5.00"), Decimal("4.80"))
    assert [c.staff_id for c in ranked([lucky, steady])] == ["steady", "lucky"]


def test_a_cashier_with_no_votes_sits_at_the_stores_mean() -> None:
    card = scorecard(
        "new", [], [], StaffActivity(), prior_mean=Decimal("4.37"), now=NOW, zone=MOSCOW
    )
    assert (card.votes, card.average, card.score) == (0, None, Decimal("4.37"))
    assert card.distribution == (0, 0, 0, 0, 0) and card.trend == ()


def test_averages_are_rounded_half_up_to_two_places() -> None:
    assert mean([4, 5]) == Decimal("4.50")
    assert mean([1, 2, 2]) == Decimal("1.67")  # 1.666…
    assert mean([1, 1, 2]) == Decimal("1.33")  # 1.333…
    assert bayesian_score(0, 0, Decimal("4.125")) == Decimal("4.13")  # half up, not to even
    assert store_mean([]) == Decimal(4)
    assert store_mean(_votes("a", [3, 4]) + _votes("b", [5])) == Decimal("4.00")
    with pytest.raises(ValueError):
        bayesian_score(0, 0, FOUR, prior_votes=0)


def test_distribution_top_reasons_and_low_comments() -> None:
    polite, fast, slow = Reason.POLITE, Reason.FAST, Reason.SLOW
    votes = [
        Vote("s1", "anna", 5, (polite, fast), NOW),
        Vote("s2", "anna", 5, (polite,), NOW - timedelta(hours=1)),
        Vote("s3", "anna", 2, (slow,), NOW - timedelta(hours=2), "waited ten minutes"),
        Vote("s4", "anna", 1, (), NOW - timedelta(hours=3), "  "),
        Vote("s5", "oleg", 1, (slow,), NOW, "not mine"),
    ]
    card = scorecard("anna", votes, [], StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW)
    assert card.distribution == (1, 1, 0, 0, 2) and card.votes == 4
    assert card.top_reasons == ((polite, 2), (fast, 1), (slow, 1))  # ties by name
    assert card.low_comments == ("waited ten minutes",)  # a blank comment is no comment
    assert [(a.kind, a.detail) for a in card.alerts] == [
        (AlertKind.LOW_VOTE, "s4"),
        (AlertKind.LOW_VOTE, "s3"),
    ]


def test_weeks_start_on_monday_in_the_stores_zone() -> None:
    # Sunday 1 March 22:00 UTC is Monday 2 March 01:00 in Moscow: the next week.
    assert week_of(datetime(2026, 3, 1, 22, 0, tzinfo=UTC), MOSCOW) == date(2026, 3, 2)
    assert week_of(datetime(2026, 3, 1, 20, 59, tzinfo=UTC), MOSCOW) == date(2026, 2, 23)
    votes = [
        Vote("a", "anna", 5, (), datetime(2026, 3, 1, 20, 0, tzinfo=UTC)),
        Vote("b", "anna", 3, (), datetime(2026, 3, 1, 22, 0, tzinfo=UTC)),
        Vote("c", "anna", 4, (), datetime(2026, 3, 8, 20, 0, tzinfo=UTC)),
    ]
    card = scorecard("anna", votes, [], StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW)
    assert [(p.week, p.votes, p.average) for p in card.trend] == [
        (date(2026, 2, 23), 1, Decimal("5.00")),
        (date(2026, 3, 2), 2, Decimal("3.50")),
    ]


def test_card_share_average_check_returns_and_activity() -> None:
    sales = [
        SaleFact("anna", NOW, 100_100, with_card=True),
        SaleFact("anna", NOW, 100_000, with_card=True),
        SaleFact("anna", NOW, 50_000, with_card=False),
        SaleFact("anna", NOW, 2_000, with_card=True, is_return=True),
        SaleFact("oleg", NOW, 999_999, with_card=False),
    ]
    card = scorecard(
        "anna",
        [],
        sales,
        StaffActivity(registrations=2, questionnaires=1, overrides=1),
        prior_mean=FOUR,
        now=NOW,
        zone=MOSCOW,
    )
    assert (card.sales, card.revenue, card.returns) == (3, 250_100, 1)
    assert card.average_check == 83_367  # 250 100 / 3 = 83 366.67, half up
    assert card.card_share_bp == 6_666  # 2 of 3 sales, rounded down
    assert (card.registrations, card.questionnaires, card.overrides) == (2, 1, 1)
    two = [SaleFact("b", NOW, 1_001, True), SaleFact("b", NOW, 1_000, True)]
    assert (
        scorecard(
            "b", [], two, StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW
        ).average_check
        == 1_001
    )  # 1 000.5 up


def test_a_score_that_drops_by_half_a_point_between_four_week_windows_is_an_alert() -> None:
    earlier = _votes("anna", [5] * 10, NOW - timedelta(days=40))  # (40 + 50) / 20 = 4.50
    recent = _votes("anna", [3] * 10, NOW - timedelta(days=1))  # (40 + 30) / 20 = 3.50
    card = _card("anna", earlier + recent)
    assert [(a.kind, a.detail) for a in card.alerts] == [(AlertKind.SCORE_DROP, "4.50 -> 3.50")]
    # Exactly half a point (ten 4s: 4.00) is an alert; 0.45 (nine 4s and a 5: 4.05) is not.
    exactly = _votes("anna", [4] * 10, NOW - timedelta(days=1))
    assert [a.detail for a in _card("anna", earlier + exactly).alerts] == ["4.50 -> 4.00"]
    less = _votes("anna", [4] * 9 + [5], NOW - timedelta(days=1))
    assert _card("anna", earlier + less).alerts == ()


@pytest.mark.parametrize(
    ("sales", "with_card", "alerted"),
    [(20, 3, True), (20, 4, False), (19, 0, False), (40, 7, True)],
)
def test_a_cashier_who_rarely_attaches_a_card_is_an_alert_once_there_are_twenty_sales(
    sales: int, with_card: int, alerted: bool
) -> None:
    facts = [SaleFact("anna", NOW, 1_000, with_card=i < with_card) for i in range(sales)]
    card = _card("anna", [], facts)
    assert (AlertKind.FEW_CARDS in {a.kind for a in card.alerts}) is alerted


def test_the_store_mean_is_the_prior_and_ties_rank_the_one_with_more_votes_first() -> None:
    assert store_mean(_votes("a", [5, 5]) + _votes("b", [4])) == Decimal("4.67")
    few = _card("few", _votes("few", [5, 3]))  # (40 + 8) / 12 = 4.00
    many = _card("many", _votes("many", [4] * 30))  # (40 + 120) / 40 = 4.00
    assert few.score == many.score == FOUR
    assert [c.staff_id for c in ranked([few, many])] == ["many", "few"]


def test_a_mean_at_exactly_half_a_cent_rounds_up_not_to_even() -> None:
    assert mean([5, 5, 5, 5, 4, 4, 4, 1]) == Decimal("4.13")  # 33 / 8 = 4.125


def test_the_prior_may_be_zero_votes_but_never_negative() -> None:
    assert bayesian_score(45, 10, FOUR, prior_votes=0) == Decimal("4.50")
    for count, prior in ((-1, 10), (5, -1), (0, 0)):
        with pytest.raises(ValueError, match=r"^a score needs votes or a prior$"):
            bayesian_score(0, count, FOUR, prior_votes=prior)


def test_every_score_is_counted_in_its_own_place_and_comments_come_newest_first() -> None:
    scores = [1] + [2] * 2 + [3] * 3 + [4] * 4 + [5] * 5
    card = _card("anna", _votes("anna", scores))
    assert card.distribution == (1, 2, 3, 4, 5)
    older = Vote("o", "anna", 1, (), NOW - timedelta(days=2), "rude at the till")
    newer = Vote("n", "anna", 2, (), NOW - timedelta(days=1), "wrong change")
    assert _card("anna", [older, newer]).low_comments == ("wrong change", "rude at the till")


def test_no_sales_means_no_share_and_no_average_check() -> None:
    card = _card("anna", [])
    assert (card.sales, card.card_share_bp, card.average_check) == (0, 0, 0)


def test_alerts_name_their_cashier_and_say_what_they_measured() -> None:
    low = _card("anna", [Vote("s1", "anna", 2, (), NOW)])
    facts = [SaleFact("anna", NOW, 1_000, with_card=i < 3) for i in range(20)]
    few = _card("anna", [], facts)
    drop = _card(
        "anna",
        _votes("anna", [5] * 10, NOW - timedelta(days=40)) + _votes("anna", [3] * 10, NOW),
    )
    alerts = [*low.alerts, *few.alerts, *drop.alerts]
    assert {a.staff_id for a in alerts} == {"anna"}
    assert [(a.kind, a.detail) for a in few.alerts] == [(AlertKind.FEW_CARDS, "1500 bp")]


def test_the_two_four_week_windows_meet_exactly_and_need_votes_on_both_sides() -> None:
    start_recent = NOW - timedelta(days=28)
    start_earlier = start_recent - timedelta(days=28)

    def at(moment: datetime, scores: list[int]) -> list[Vote]:
        return [Vote(f"{moment:%j}-{i}", "anna", s, (), moment) for i, s in enumerate(scores)]

    # The first moment of each window belongs to it; so does now.
    edges = at(start_earlier, [5] * 10) + at(start_recent, [3] * 5) + at(NOW, [3] * 5)
    assert [a.detail for a in _card("anna", edges).alerts] == ["4.50 -> 3.50"]
    # Just before the earlier window counts for neither: no drop without earlier votes.
    outside = at(start_earlier - timedelta(seconds=1), [5] * 10) + at(NOW, [3] * 10)
    assert _card("anna", outside).alerts == ()
    # Only earlier votes, none recent: nothing to compare either.
    assert _card("anna", at(start_earlier, [5] * 10)).alerts == ()


def test_bonus_spent_counts_the_cashiers_sales_not_returns_nor_others() -> None:
    sales = [
        SaleFact("anna", NOW, 10_000, with_card=True, redeemed=1_500),
        SaleFact("anna", NOW, 20_000, with_card=True, redeemed=250),
        SaleFact("anna", NOW, 5_000, with_card=False),
        SaleFact("anna", NOW, 2_000, with_card=True, is_return=True, redeemed=700),
        SaleFact("oleg", NOW, 9_000, with_card=True, redeemed=4_000),
    ]
    card = scorecard("anna", [], sales, StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW)
    assert card.redeemed == 1_750  # 15,00 + 2,50 of bonus on Anna's two sales
    assert (
        scorecard(
            "oleg", [], sales, StaffActivity(), prior_mean=FOUR, now=NOW, zone=MOSCOW
        ).redeemed
        == 4_000
    )
