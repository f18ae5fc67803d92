"""A staff rating's score and reasons, as both the till and the server check them."""

import pytest

from loyalty_core.errors import DomainError
from loyalty_core.survey import Reason, check_vote


def test_a_score_of_one_to_five_with_a_few_known_reasons_is_taken() -> None:
    assert check_vote(5, ["polite", "fast"]) == (Reason.POLITE, Reason.FAST)
    assert check_vote(1, []) == ()
    assert check_vote(3, ["polite", "fast", "helpful", "offered_card"])  # four at most


@pytest.mark.parametrize("score", [0, 6, -1, True, 4.5, "5"])
def test_a_score_outside_one_to_five_is_refused(score: object) -> None:
    with pytest.raises(DomainError) as refused:
        check_vote(score, [])  # type: ignore[arg-type]
    assert refused.value.code == "survey.bad_score"
    assert refused.value.params == {"score": score}


@pytest.mark.parametrize(
    ("reasons", "problem"),
    [
        (["polite", "bribed"], "unknown bribed"),
        (["tipped", "bribed"], "unknown bribed, tipped"),
        (["fast", "fast"], "a reason given twice"),
        (["polite", "fast", "helpful", "offered_card", "slow"], "5 given"),
    ],
)
def test_unknown_repeated_or_too_many_reasons_are_refused(reasons: list[str], problem: str) -> None:
    with pytest.raises(DomainError) as refused:
        check_vote(4, reasons)
    assert refused.value.code == "survey.bad_reasons"
    assert refused.value.params == {"most": 4, "problem": problem}
