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


@given(st.integers(min_value=0, max_value=10**10 - 1), st.integers(0, 15), st.integers(1, 9))
def test_every_single_digit_typo_is_rejected(body: int, position: int, shift: int) -> None:
    number = CODEC.number_for(f"{body:010d}")
    wrong = str((int(number[position]) + shift) % 10)
    typo = number[:position] + wrong + number[position + 1 :]
    with pytest.raises(InvalidCardNumberError):
        CODEC.verify(typo)


@given(st.integers(min_value=0, max_value=10**10 - 1), st.integers(0, 14))
def test_every_adjacent_swap_is_rejected(body: int, position: int) -> None:
    number = CODEC.number_for(f"{body:010d}")
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(InvalidCardNumberError):
        CODEC.verify(swapped)


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
