"""Money arithmetic written out by hand: each rounding mode on halves and non-halves, both
signs, the refusals with their exact messages, allocation's edges."""

from __future__ import annotations

import pytest

from loyalty_core.money import Rounding, allocate, allocate_cumulative, div_round, round_to_step

DOWN, UP, HALF_UP, HALF_EVEN = Rounding.DOWN, Rounding.UP, Rounding.HALF_UP, Rounding.HALF_EVEN


@pytest.mark.parametrize(
    ("numerator", "denominator", "down", "up", "half_up", "half_even"),
    [
        (10, 4, 2, 3, 3, 2),  # 2.5: half-even keeps the even 2
        (14, 4, 3, 4, 4, 4),  # 3.5: half-even goes to the even 4
        (5, 4, 1, 2, 1, 1),  # 1.25
        (7, 4, 1, 2, 2, 2),  # 1.75
        (8, 4, 2, 2, 2, 2),  # exact
        (-10, 4, -2, -3, -3, -2),  # signs: away from and toward zero mirror the positives
        (10, -4, -2, -3, -3, -2),
        (-14, -4, 3, 4, 4, 4),  # two negatives make a positive
        (-7, 4, -1, -2, -2, -2),
        (0, 7, 0, 0, 0, 0),
        (5, 1, 5, 5, 5, 5),  # a denominator of one divides nothing away
    ],
)
def test_each_mode_rounds_halves_and_the_rest_as_written(
    numerator: int, denominator: int, down: int, up: int, half_up: int, half_even: int
) -> None:
    got = [div_round(numerator, denominator, mode) for mode in (DOWN, UP, HALF_UP, HALF_EVEN)]
    assert got == [down, up, half_up, half_even]


def test_division_by_zero_and_non_integers_are_refused_by_name() -> None:
    with pytest.raises(ZeroDivisionError, match=r"^division by zero in money arithmetic$"):
        div_round(5, 0, DOWN)
    for numerator, denominator in ((1.5, 2), (3, 2.0)):
        with pytest.raises(TypeError, match=r"^money arithmetic takes integers only$"):
            div_round(numerator, denominator, DOWN)  # type: ignore[arg-type]


def test_round_to_step_rounds_to_whole_steps_and_leaves_steps_of_one() -> None:
    assert round_to_step(12_345, 100, DOWN) == 12_300
    assert round_to_step(12_350, 100, HALF_EVEN) == 12_400
    assert round_to_step(5, 2, DOWN) == 4  # a step of two rounds too
    assert round_to_step(5, 2, UP) == 6
    assert round_to_step(12_345, 1, UP) == 12_345
    assert round_to_step(12_345, 0, UP) == 12_345


def test_allocate_refuses_negatives_by_name_and_gives_nothing_when_weights_are_all_zero() -> None:
    message = r"^allocate takes a non-negative total and weights$"
    with pytest.raises(ValueError, match=message):
        allocate(-1, [1, 2])
    with pytest.raises(ValueError, match=message):
        allocate(3, [1, -2])
    assert allocate(5, [0, 0]) == [0, 0]


def test_allocate_cumulative_refusals_are_exact() -> None:
    with pytest.raises(
        ValueError, match=r"^allocate_cumulative takes a non-negative total and weights$"
    ):
        allocate_cumulative(-1, [3])
    with pytest.raises(
        ValueError, match=r"^allocate_cumulative cannot hand out more than the weights hold$"
    ):
        allocate_cumulative(4, [1, 2])
