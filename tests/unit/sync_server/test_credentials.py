"""Enrollment codes people can type, kept only as keyed hashes; credentials kept as hashes."""

from __future__ import annotations

import re

import pytest

from sync_server.services.credentials import (
    enrollment_code_hash,
    new_enrollment_code,
    new_till_credential,
    normalize_enrollment_code,
    till_credential_hash,
)

KEY = b"k" * 32


def test_a_code_is_twelve_digits_in_groups_of_four() -> None:
    code = new_enrollment_code()

    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}", code)


def test_codes_do_not_repeat() -> None:
    codes = {new_enrollment_code() for _ in range(1000)}

    assert len(codes) == 1000


@pytest.mark.parametrize(
    "typed", ["4821-0937-5512", "4821 0937 5512", " 482109375512 ", "4821-0937 5512"]
)
def test_spaces_and_dashes_are_ignored_when_a_code_is_typed(typed: str) -> None:
    assert normalize_enrollment_code(typed) == "482109375512"
    assert enrollment_code_hash(typed, KEY) == enrollment_code_hash("4821-0937-5512", KEY)


@pytest.mark.parametrize(
    "typed", ["", "4821-0937-551", "4821-0937-55123", "4821-0937-551a", "４８２１０９３７５５１２"]
)
def test_anything_but_twelve_ascii_digits_is_not_a_code(typed: str) -> None:
    assert normalize_enrollment_code(typed) is None
    with pytest.raises(ValueError):
        enrollment_code_hash(typed, KEY)


def test_the_code_hash_depends_on_the_key_and_hides_the_code() -> None:
    code = "4821-0937-5512"

    keyed = enrollment_code_hash(code, KEY)

    assert keyed != enrollment_code_hash(code, b"another key, also 32 bytes long!")
    assert "482109375512" not in keyed
    assert re.fullmatch(r"[0-9a-f]{64}", keyed)


def test_a_credential_is_a_256_bit_token_kept_as_its_sha256() -> None:
    credential = new_till_credential()

    assert len(credential) >= 43  # 32 bytes, URL-safe base64
    assert new_till_credential() != credential
    assert till_credential_hash(credential) == till_credential_hash(credential)
    assert credential not in till_credential_hash(credential)
    assert re.fullmatch(r"[0-9a-f]{64}", till_credential_hash(credential))
