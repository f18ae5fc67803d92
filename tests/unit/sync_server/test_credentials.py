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
    with pytest.raises(ValueError, match=r"^not an enrollment code$"):
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


def test_every_code_is_made_of_decimal_digits_only() -> None:
    codes = [new_enrollment_code() for _ in range(200)]  # 2,400 digits drawn

    assert all(re.fullmatch(r"[0-9]{4}-[0-9]{4}-[0-9]{4}", code) for code in codes)
    assert set("".join(codes).replace("-", "")) == set("0123456789")


def test_the_code_hash_is_hmac_sha256_of_the_twelve_digits() -> None:
    # hmac.new(b"k" * 32, b"482109375512", hashlib.sha256).hexdigest()
    expected = "869ebea4468594ba975a83c82b713ccf022c0771e25b4f705abde3d871b32e85"

    assert enrollment_code_hash("4821-0937-5512", KEY) == expected
    assert enrollment_code_hash(" 4821 0937 5512 ", KEY) == expected


def test_a_credential_is_exactly_43_url_safe_characters() -> None:
    # 32 random bytes = 256 bits; base64 without padding: ceil(32 * 8 / 6) = 43 characters
    for _ in range(20):
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", new_till_credential())


def test_the_credential_hash_is_the_plain_sha256_of_its_text() -> None:
    # The FIPS 180-2 test vector: SHA-256("abc")
    assert till_credential_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
