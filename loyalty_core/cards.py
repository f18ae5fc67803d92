"""Loyalty card numbers: digits only, self-checking and unguessable.

A card number is 16 digits: 10 random digits, 5 digits of an HMAC of those
digits under the program's secret key, and a Damm check digit.

* Digits only, so a keyboard-wedge scanner types it the same under any keyboard
  layout (a Russian layout turns letters into Cyrillic).
* The Damm check digit catches every single-digit typo and every swap of two
  adjacent digits before anything is looked up.
* The HMAC lets any till, even offline and before the card has synced, refuse a
  made-up number: a forger has a 1 in 100,000 chance per try, and a number that
  passes must still exist and be active in the card register.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from loyalty_core.errors import DomainError

CARD_LENGTH = 16
_RANDOM_DIGITS = 10
_MAC_DIGITS = 5

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_digit(digits: str) -> int:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


class InvalidCardNumberError(DomainError):
    code = "card.invalid"
    template = "'{text}' is not a loyalty card number: check the digits or scan again."


class ForgedCardNumberError(DomainError):
    code = "card.forged"
    template = "Card {masked} was not issued by this loyalty program."


def mask_card(number: str) -> str:
    return "*" * max(0, len(number) - 4) + number[-4:]


class CardNumberCodec:
    """Issues and verifies card numbers under one program secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the card secret must be at least 16 bytes")
        self._secret = secret

    def _mac(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode("ascii"), hashlib.sha256).digest()
        return str(int.from_bytes(digest[:8], "big") % 10**_MAC_DIGITS).zfill(_MAC_DIGITS)

    def issue(self) -> str:
        return self.number_for("".join(secrets.choice("0123456789") for _ in range(_RANDOM_DIGITS)))

    def number_for(self, body: str) -> str:
        """The card number whose random part is ``body`` (10 digits); for bulk loads."""
        if len(body) != _RANDOM_DIGITS or not body.isdigit():
            raise ValueError("a card body is 10 digits")
        signed = body + self._mac(body)
        return signed + str(damm_digit(signed))

    def verify(self, text: str) -> str:
        """The card number, or ``InvalidCardNumberError`` / ``ForgedCardNumberError``."""
        number = text.strip()
        if len(number) != CARD_LENGTH or not number.isascii() or not number.isdigit():
            raise InvalidCardNumberError(text=text)
        if damm_digit(number) != 0:
            raise InvalidCardNumberError(text=text)
        body, mac = number[:_RANDOM_DIGITS], number[_RANDOM_DIGITS:-1]
        if not hmac.compare_digest(mac, self._mac(body)):
            raise ForgedCardNumberError(masked=mask_card(number))
        return number


def looks_like_card(text: str) -> bool:
    """Whether a scanned payload has the shape of a card (not a product barcode)."""
    t = text.strip()
    return len(t) == CARD_LENGTH and t.isascii() and t.isdigit()
