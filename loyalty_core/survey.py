"""The staff-rating survey: after a purchase the customer rates how they were served.

One vote per receipt: a score from 1 to 5 and a few of the reasons below, tied to the
receipt and to the cashier who served it. The till and the server check a vote the same way
(``check_vote``).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from loyalty_core.errors import DomainError

SCORES = range(1, 6)
MAX_REASONS = 4


class Reason(StrEnum):
    POLITE = "polite"
    FAST = "fast"
    HELPFUL = "helpful"
    OFFERED_CARD = "offered_card"  # the cashier offered the loyalty card
    SLOW = "slow"
    IMPOLITE = "impolite"
    MISTAKE = "mistake"  # a wrong price, wrong change


class BadScoreError(DomainError):
    code = "survey.bad_score"
    template = "A rating is 1 to 5, not {score}."


class BadReasonsError(DomainError):
    code = "survey.bad_reasons"
    template = "Reasons must be up to {most} of the known ones, each once: {problem}."


class AlreadyVotedError(DomainError):
    code = "survey.already_voted"
    template = "Receipt No. {number} has already been rated."


def check_vote(score: int, reasons: Iterable[str]) -> tuple[Reason, ...]:
    """The vote's reasons as ``Reason`` values; refuses a score or reasons out of bounds."""
    if type(score) is not int or score not in SCORES:
        raise BadScoreError(score=score)
    given = list(reasons)
    known = {r.value for r in Reason}
    unknown = [r for r in given if r not in known]
    problem = None
    if unknown:
        problem = "unknown " + ", ".join(sorted(unknown))
    elif len(set(given)) != len(given):
        problem = "a reason given twice"
    elif len(given) > MAX_REASONS:
        problem = f"{len(given)} given"
    if problem is not None:
        raise BadReasonsError(most=MAX_REASONS, problem=problem)
    return tuple(Reason(r) for r in given)
