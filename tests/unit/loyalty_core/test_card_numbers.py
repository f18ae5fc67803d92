"""Card numbers: digits only, a check digit that catches typos, an HMAC that refuses forgeries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty_core.cards import (
    CARD_LENGTH,
    CardNumberCodec,
    ForgedCardNumberError,
    InvalidCardNumberError,
    damm_digit,
    looks_like_card,
    mask_card,
)

CODEC = CardNumberCodec(b"test-program-secret-0123456789")
OTHER_PROGRAM = CardNumberCodec(b"another-program-secret-987654")


def test_issued_numbers_are_16_digits_and_verify() -> None:
    numbers = {CODEC.issue() for _ in range(200)}
    assert len(numbers) == 200  # random, not sequential
    for number in numbers:
        assert len(number) == CARD_LENGTH and number.isdigit()
        assert CODEC.verify(number) == number
        assert looks_like_card(number)


def _typos(number: str) -> list[str]:
    """Every number one wrong digit away from ``number``: 16 positions x 9 other digits."""
    return [
        number[:position] + wrong + number[position + 1 :]
        for position, digit in enumerate(number)
        for wrong in "0123456789"
        if wrong != digit
    ]


def _swaps(number: str) -> list[str]:
    """Every number with two different adjacent digits of ``number`` swapped."""
    return [
        number[:position] + number[position + 1] + number[position] + number[position + 2 :]
        for position in range(len(number) - 1)
        if number[position] != number[position + 1]
    ]


# Bodies whose numbers repeat digits, run through all ten, or come from the issuer.
BODIES = ["0000000000", "9999999999", "0123456789", "9876543210", "1111122222", "5050505050"]


@pytest.mark.parametrize("body", BODIES)
def test_every_single_digit_typo_is_rejected(body: str) -> None:
    number = CODEC.number_for(body)
    typos = _typos(number)
    assert len(typos) == 16 * 9
    for typo in typos:
        with pytest.raises(InvalidCardNumberError):
            CODEC.verify(typo)


@pytest.mark.parametrize("body", BODIES)
def test_every_adjacent_swap_is_rejected(body: str) -> None:
    number = CODEC.number_for(body)
    swaps = _swaps(number)
    assert swaps  # no 16-digit number from these bodies is one digit repeated
    for swapped in swaps:
        with pytest.raises(InvalidCardNumberError):
            CODEC.verify(swapped)


@given(st.integers(min_value=0, max_value=10**10 - 1))
def test_every_typo_and_swap_of_any_issued_number_is_rejected(body: int) -> None:
    number = CODEC.number_for(f"{body:010d}")
    for wrong in _typos(number) + _swaps(number):
        with pytest.raises(InvalidCardNumberError):
            CODEC.verify(wrong)


def test_the_check_digit_catches_every_typo_and_swap_whatever_comes_before_or_after() -> None:
    """Why 'every' holds for all 10^15 numbers, checked over a finite set.

    The check digit folds the digits one by one through a state of ten values. A
    one-digit prefix reaches every state; one digit after a difference keeps two
    different states different. So it is enough that, from every state, two different
    digits (a typo) or two different digits in either order (a swap) end in different
    states, and that any next digit keeps different states apart.
    """
    prefixes = [str(d) for d in range(10)]
    assert sorted(damm_digit(p) for p in prefixes) == list(range(10))  # every state
    digits = "0123456789"
    for p in prefixes:
        for a in digits:
            for b in digits:
                if a == b:
                    continue
                assert damm_digit(p + a) != damm_digit(p + b)  # a typo
                assert damm_digit(p + a + b) != damm_digit(p + b + a)  # a swap
                for after in digits:  # the difference survives the digits that follow
                    assert damm_digit(p + a + after) != damm_digit(p + b + after)
    # The first digit has no prefix: the empty state is state 0, which "0" also reaches.
    assert damm_digit("") == damm_digit("0") == 0


def test_a_made_up_number_with_a_valid_check_digit_is_a_forgery() -> None:
    forged = 0
    for body in range(100):
        signed = f"{body:010d}00000"
        number = signed + str(damm_digit(signed))
        try:
            CODEC.verify(number)
        except ForgedCardNumberError as exc:
            forged += 1
            assert number[-4:] in exc.message and number[:10] not in exc.message
    assert forged >= 99  # a forger succeeds about once in 100,000 tries


def test_another_programs_cards_are_refused() -> None:
    refused = 0
    for body in range(50):
        try:
            CODEC.verify(OTHER_PROGRAM.number_for(f"{body:010d}"))
        except ForgedCardNumberError:
            refused += 1
    assert refused >= 49  # the two programs' MACs coincide for 1 body in 100,000


@pytest.mark.parametrize("text", ["", "123", "12345678901234567", "ABCDEFGHIJKLMNOP", "１２３４"])
def test_wrong_shapes_are_invalid(text: str) -> None:
    with pytest.raises(InvalidCardNumberError):
        CODEC.verify(text)


def test_short_secrets_are_refused_and_masking_keeps_last_four() -> None:
    with pytest.raises(ValueError):
        CardNumberCodec(b"short")
    assert mask_card("1234567890123456") == "************3456"
