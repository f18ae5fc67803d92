"""How a cashier serves customers, in numbers a manager can trust: the scorecard.

From the votes on a cashier's receipts and the cashier's own sales:

- ``average``: the plain mean of the scores (two decimals, half up);
- ``score``: a Bayesian average, the volume-aware figure cashiers are ranked by. Each
  cashier starts with ``PRIOR_VOTES`` imaginary votes at the store's own mean, so one vote
  of 5 sits near the store's mean while 200 votes of 4.8 stay near 4.8:
  score = (prior_votes × prior_mean + sum of scores) / (prior_votes + votes);
- the distribution of scores 1 to 5, the reasons given most, the weekly trend (weeks from
  Monday in the store's time zone);
- loyalty behaviour: the share of the cashier's sales with a loyalty card attached, the
  customers they registered, the questionnaires completed, the bonus spent on their sales;
- sales, revenue, the average check, returns and overrides;
- alerts: a vote of 2 or less, a score that dropped by ``DROP_ALERT`` or more from one
  four-week window to the next, a card share below ``CARD_SHARE_ALERT`` over at least
  ``MIN_SALES_FOR_CARD_ALERT`` sales.

The server adds the figures up in its database (``StaffTotals``, from daily roll-ups) and
``scorecard_of`` turns them into the card; ``scorecard`` does both from plain facts.

Pure: the server (and the till, reading the server's answer) compute nothing else. No
floats: Decimals rounded half up to two places; shares in basis points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from loyalty_core.survey import SCORES, Reason

PRIOR_VOTES = 10
LOW_SCORE = 2  # a vote of this or less is a low rating: an alert, and its comment shown
DROP_ALERT = Decimal("0.5")  # the score fell this much from one window to the next
WINDOW_DAYS = 28
CARD_SHARE_ALERT = 2_000  # basis points: fewer than 20% of sales with a card
MIN_SALES_FOR_CARD_ALERT = 20
TOP_REASONS = 3
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Vote:
    sale_id: str
    staff_id: str
    score: int
    reasons: tuple[Reason, ...]
    at: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class SaleFact:
    """What the scorecard needs of one sale (or return) the cashier rang up."""

    staff_id: str
    at: datetime
    total: int  # money taken (minor units); a return's refund for a return
    with_card: bool  # a loyalty card (or phone) was attached
    is_return: bool = False
    redeemed: int = 0  # bonus points spent on it


@dataclass(frozen=True, slots=True)
class StaffActivity:
    """Counts kept apart from sales: registrations, questionnaires, overrides asked for."""

    registrations: int = 0
    questionnaires: int = 0
    overrides: int = 0


class AlertKind(StrEnum):
    LOW_VOTE = "low_vote"
    SCORE_DROP = "score_drop"
    FEW_CARDS = "few_cards"


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    staff_id: str
    detail: str  # the receipt of a low vote, the two scores of a drop, the card share


@dataclass(frozen=True, slots=True)
class WeekPoint:
    week: date  # the Monday the week starts on, in the store's zone
    votes: int
    average: Decimal


@dataclass(frozen=True, slots=True)
class Scorecard:
    staff_id: str
    votes: int
    average: Decimal | None
    score: Decimal
    distribution: tuple[int, int, int, int, int]  # votes of 1, 2, 3, 4, 5
    top_reasons: tuple[tuple[Reason, int], ...]
    trend: tuple[WeekPoint, ...]
    low_comments: tuple[str, ...]
    sales: int
    revenue: int
    average_check: int  # minor units, half up; 0 without sales
    returns: int
    card_share_bp: int  # sales with a card, in basis points of sales
    registrations: int
    questionnaires: int
    overrides: int
    redeemed: int = 0  # bonus points spent on the cashier's sales
    alerts: tuple[Alert, ...] = field(default=())


def mean(scores: Sequence[int]) -> Decimal | None:
    return mean_of(sum(scores), len(scores))


def mean_of(total: int, count: int) -> Decimal | None:
    """``total / count`` to two places, half up; ``None`` of nothing."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(_CENT, ROUND_HALF_UP)


def bayesian_score(
    total: int, count: int, prior_mean: Decimal, prior_votes: int = PRIOR_VOTES
) -> Decimal:
    """(prior_votes × prior_mean + total) / (prior_votes + count), two decimals half up."""
    if count < 0 or prior_votes < 0 or (count + prior_votes) == 0:
        raise ValueError("a score needs votes or a prior")
    value = (prior_mean * prior_votes + total) / (prior_votes + count)
    return value.quantize(_CENT, ROUND_HALF_UP)


def week_of(moment: datetime, zone: tzinfo) -> date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def _trend(votes: Sequence[Vote], zone: tzinfo) -> tuple[WeekPoint, ...]:
    weeks: dict[date, list[int]] = {}
    for vote in votes:
        weeks.setdefault(week_of(vote.at, zone), []).append(vote.score)
    points = []
    for week in sorted(weeks):
        average = mean(weeks[week])
        assert average is not None
        points.append(WeekPoint(week, len(weeks[week]), average))
    return tuple(points)


def store_mean(votes: Iterable[Vote]) -> Decimal:
    """The prior: the store's mean over all its votes; 4 (a neutral good) with none."""
    scores = [v.score for v in votes]
    found = mean(scores)
    return found if found is not None else Decimal(4)


@dataclass(frozen=True, slots=True)
class LowVote:
    """A vote of ``LOW_SCORE`` or less: an alert, and its comment shown to managers."""

    sale_id: str
    at: datetime
    comment: str = ""


@dataclass(frozen=True, slots=True)
class StaffTotals:
    """One cashier's figures over a period, added up: from the facts (``totals_of``) or by
    the server's database (its daily roll-ups), so a scorecard never needs every sale."""

    staff_id: str
    sales: int = 0
    revenue: int = 0
    with_card: int = 0
    returns: int = 0
    redeemed: int = 0  # bonus points spent on the cashier's sales
    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # votes of 1..5
    reasons: tuple[tuple[Reason, int], ...] = ()
    weeks: tuple[WeekPoint, ...] = ()
    low_votes: tuple[LowVote, ...] = ()  # newest first
    recent: tuple[int, int] = (0, 0)  # (sum, count) of scores in the last WINDOW_DAYS
    earlier: tuple[int, int] = (0, 0)  # the same over the WINDOW_DAYS before those
    activity: StaffActivity = field(default_factory=StaffActivity)

    @property
    def votes(self) -> int:
        return sum(self.distribution)

    @property
    def score_total(self) -> int:
        return sum(score * n for score, n in zip(SCORES, self.distribution, strict=True))


def totals_of(
    staff_id: str,
    votes: Sequence[Vote],
    sales: Sequence[SaleFact],
    activity: StaffActivity,
    *,
    now: datetime,
    zone: tzinfo,
) -> StaffTotals:
    """Add up one cashier's votes and sales (the caller picks the period)."""
    mine = [v for v in votes if v.staff_id == staff_id]
    counts = Counter(v.score for v in mine)
    reasons = Counter(r for v in mine for r in v.reasons)
    sold = [s for s in sales if s.staff_id == staff_id and not s.is_return]
    recent_from = now - timedelta(days=WINDOW_DAYS)
    earlier_from = recent_from - timedelta(days=WINDOW_DAYS)
    recent = [v.score for v in mine if recent_from <= v.at <= now]
    earlier = [v.score for v in mine if earlier_from <= v.at < recent_from]
    return StaffTotals(
        staff_id=staff_id,
        sales=len(sold),
        revenue=sum(s.total for s in sold),
        with_card=sum(1 for s in sold if s.with_card),
        returns=sum(1 for s in sales if s.staff_id == staff_id and s.is_return),
        redeemed=sum(s.redeemed for s in sold),
        distribution=(counts[1], counts[2], counts[3], counts[4], counts[5]),
        reasons=tuple(reasons.items()),
        weeks=_trend(mine, zone),
        low_votes=tuple(
            LowVote(v.sale_id, v.at, v.comment)
            for v in sorted(mine, key=lambda v: v.at, reverse=True)
            if v.score <= LOW_SCORE
        ),
        recent=(sum(recent), len(recent)),
        earlier=(sum(earlier), len(earlier)),
        activity=activity,
    )


def scorecard(
    staff_id: str,
    votes: Sequence[Vote],
    sales: Sequence[SaleFact],
    activity: StaffActivity,
    *,
    prior_mean: Decimal,
    now: datetime,
    zone: tzinfo,
) -> Scorecard:
    """One cashier's card over the votes and sales given (the caller picks the period)."""
    totals = totals_of(staff_id, votes, sales, activity, now=now, zone=zone)
    return scorecard_of(totals, prior_mean=prior_mean)


def scorecard_of(totals: StaffTotals, *, prior_mean: Decimal) -> Scorecard:
    """The card of figures already added up."""
    sold = totals.sales
    card_share = totals.with_card * 10_000 // sold if sold else 0
    average_check = (totals.revenue * 2 + sold) // (2 * sold) if sold else 0
    votes = totals.votes
    return Scorecard(
        staff_id=totals.staff_id,
        votes=votes,
        average=mean_of(totals.score_total, votes),
        score=bayesian_score(totals.score_total, votes, prior_mean),
        distribution=totals.distribution,
        top_reasons=tuple(
            sorted(((r, n) for r, n in totals.reasons if n), key=lambda kv: (-kv[1], kv[0].value))
        )[:TOP_REASONS],
        trend=totals.weeks,
        low_comments=tuple(v.comment for v in totals.low_votes if v.comment.strip()),
        sales=sold,
        revenue=totals.revenue,
        average_check=average_check,
        returns=totals.returns,
        card_share_bp=card_share,
        registrations=totals.activity.registrations,
        questionnaires=totals.activity.questionnaires,
        overrides=totals.activity.overrides,
        redeemed=totals.redeemed,
        alerts=_alerts(totals, sold, card_share, prior_mean),
    )


def _alerts(
    totals: StaffTotals, sales: int, card_share_bp: int, prior_mean: Decimal
) -> tuple[Alert, ...]:
    staff_id = totals.staff_id
    found = [
        Alert(AlertKind.LOW_VOTE, staff_id, v.sale_id)
        for v in sorted(totals.low_votes, key=lambda v: v.at)
    ]
    (recent_total, recent), (earlier_total, earlier) = totals.recent, totals.earlier
    if recent and earlier:
        before = bayesian_score(earlier_total, earlier, prior_mean)
        after = bayesian_score(recent_total, recent, prior_mean)
        if before - after >= DROP_ALERT:
            found.append(Alert(AlertKind.SCORE_DROP, staff_id, f"{before} -> {after}"))
    if sales >= MIN_SALES_FOR_CARD_ALERT and card_share_bp < CARD_SHARE_ALERT:
        found.append(Alert(AlertKind.FEW_CARDS, staff_id, f"{card_share_bp} bp"))
    return tuple(found)


def ranked(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """Best served first: by score, then by votes (more evidence first), then by id."""
    return sorted(cards, key=lambda c: (-c.score, -c.votes, c.staff_id))
