"""Gift card PINs: stored as a salted PBKDF2 hash, checked once, locked after too many misses."""

import pytest

from loyalty_core.giftcards import (
    GiftCard,
    GiftCardLockedError,
    WrongPinError,
    hash_pin,
    pin_matches,
    verify_pin,
)
from loyalty_core.rules import GiftCardPolicy

from .builders import T0, uid

SALT = bytes(range(16))
# PBKDF2-HMAC-SHA256 of "4321" with that salt and 20 000 rounds, as `openssl kdf -keylen 32
# -kdfopt digest:SHA256 -kdfopt pass:4321 -kdfopt hexsalt:000102...0f -kdfopt iter:20000
# PBKDF2` prints it. Hashes the server stored must keep verifying on every till.
KNOWN_HASH = (
    "pbkdf2_sha256$20000$000102030405060708090a0b0c0d0e0f$"
    "6f06855f2a8d261e81580ecae8216d84e40550ea40c54f0e2722059a18864c7f"
)


def _card(pin_hash: str) -> GiftCard:
    return GiftCard(id=uid(), number="7000123456789012", pin_hash=pin_hash, expires_at=T0)


def test_a_pin_hashed_with_a_given_salt_is_the_known_pbkdf2_sha256_value() -> None:
    assert hash_pin("4321", salt=SALT) == KNOWN_HASH
    assert pin_matches("4321", KNOWN_HASH)
    assert not pin_matches("4322", KNOWN_HASH)


def test_each_new_pin_hash_gets_its_own_random_16_byte_salt() -> None:
    first, second = hash_pin("4321"), hash_pin("4321")
    assert first != second  # the same PIN on two cards does not give the same hash
    for stored in (first, second):
        scheme, rounds, salt_hex, digest_hex = stored.split("$")
        assert (scheme, rounds, len(salt_hex), len(digest_hex)) == (
            "pbkdf2_sha256",
            "20000",
            32,
            64,
        )
        assert pin_matches("4321", stored)
        assert not pin_matches("1234", stored)
        _card(stored).check_pin("4321")


@pytest.mark.parametrize(
    "stored",
    ["", "4321", "pbkdf2_sha256$20000$zz$00", "pbkdf2_sha256$many$0011$00", "a$b$c"],
)
def test_a_malformed_stored_hash_never_matches_any_pin(stored: str) -> None:
    assert not pin_matches("4321", stored)
    with pytest.raises(WrongPinError) as caught:
        _card(stored).check_pin("4321")
    assert caught.value.params == {"card": "************9012"}


def test_the_pin_is_refused_once_the_attempts_are_used_up_even_when_right() -> None:
    card = _card(KNOWN_HASH)
    policy = GiftCardPolicy(max_pin_attempts=3)
    verify_pin(card, "4321", failed_attempts=2, policy=policy)  # third try, right PIN: fine
    with pytest.raises(WrongPinError):
        verify_pin(card, "0000", failed_attempts=2, policy=policy)
    with pytest.raises(GiftCardLockedError) as caught:
        verify_pin(card, "4321", failed_attempts=3, policy=policy)
    assert caught.value.params == {"card": "************9012"}
    assert caught.value.message == "Gift card ************9012 is locked after too many wrong PINs."
